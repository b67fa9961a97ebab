"""Search: the reader's form and the query itself, over the stored search documents.

PostgreSQL ranks weighted full-text matches (title A; key points, authors and topics B; body C)
and understands web-search syntax: "quoted phrases", -exclusion, or. Other databases get a
simpler fallback: every word or "phrase" must appear in the title, key points, body, authors or
topics, -words must not, and results come newest first.
"""

import re

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from taggit.models import Tag

from authors.models import Author
from commentaries.models import Commentary
from commentaries.search.index import CONFIG, MARK_START, MARK_STOP

MAX_QUERY_LENGTH = 200
SNIPPET_CHARACTERS = 240


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": "A search can be at most %(limit_value)d characters long.",
            "null_characters_not_allowed": "The search contained a character that cannot be "
            "searched for.",
        },
    )
    year = forms.TypedChoiceField(label="Year", coerce=int, required=False, empty_value=None)
    topic = forms.ChoiceField(label="Topic", required=False)
    author = forms.ChoiceField(label="Author", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Commentary.objects.published()
        any_choice = [("", "Any")]
        years = published.dates("published_at", "year", order="DESC")
        self.fields["year"].choices = any_choice + [(d.year, d.year) for d in years]
        topics = Tag.objects.filter(commentary__in=published).distinct().order_by("name")
        self.fields["topic"].choices = any_choice + [(t.slug, t.name) for t in topics]
        authors = Author.objects.filter(commentaries__in=published).distinct()
        self.fields["author"].choices = any_choice + [(a.slug, a.byline_name) for a in authors]

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query and not re.search(r"\w", query):
            raise forms.ValidationError("Search with words or numbers, not punctuation alone.")
        return query

    @property
    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "q" and v}


def search(commentaries, query, *, year=None, topic=None, author=None):
    """The commentaries matching a query, best first, each with a `snippet` once evaluated."""
    if year:
        commentaries = commentaries.filter(published_at__year=year)
    if topic:
        commentaries = commentaries.filter(tags__slug=topic)
    if author:
        commentaries = commentaries.filter(authors__slug=author)
    if not query:
        return commentaries
    if connection.vendor == "postgresql":
        return _full_text(commentaries, query)
    return _fallback(commentaries, query)


def _full_text(commentaries, query):
    query = SearchQuery(query, search_type="websearch", config=CONFIG)
    headline = SearchHeadline(
        "search_document__text",
        query,
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    return (
        commentaries.filter(search_document__vector=query)
        .annotate(rank=SearchRank(F("search_document__vector"), query), headline=headline)
        .order_by("-rank", "-published_at", "-number")
    )


def _terms(query):
    """Web-search syntax, simply: ("phrase" or word, excluded?) pairs; "or" is ignored."""
    for minus, phrase, word in re.findall(r'(-?)(?:"([^"]*)"|(\S+))', query):
        term = (phrase or word).strip().strip('"')
        if term and term.lower() != "or":
            yield term, bool(minus)


def _fallback(commentaries, query):
    for term, excluded in _terms(query):
        matches = (
            Q(title__icontains=term)
            | Q(search_document__text__icontains=term)
            | Q(search_document__names__icontains=term)
        )
        commentaries = commentaries.exclude(matches) if excluded else commentaries.filter(matches)
    return commentaries.annotate(headline=F("search_document__text"))


def snippet(commentary, query):
    """A result's snippet as safe HTML: the text escaped, then the matches put in <mark>."""
    text = getattr(commentary, "headline", None)
    if not text:
        return ""
    if connection.vendor != "postgresql":
        text = _excerpt(text, [term for term, excluded in _terms(query) if not excluded])
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def _excerpt(text, terms):
    """Around the first term found, with every term found in it marked."""
    positions = [text.lower().find(term.lower()) for term in terms]
    first = min((p for p in positions if p >= 0), default=0)
    start = max(0, first - SNIPPET_CHARACTERS // 3)
    excerpt = text[start : start + SNIPPET_CHARACTERS]
    if terms:
        pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        excerpt = re.sub(f"({pattern})", rf"{MARK_START}\1{MARK_STOP}", excerpt, flags=re.I)
    return (
        ("… " if start else "")
        + excerpt
        + (" …" if start + SNIPPET_CHARACTERS < len(text) else "")
    )
