"""Search: the reader's form and the query itself, over the stored search documents.

PostgreSQL ranks weighted full-text matches (title A; key points, authors and topics B; body C)
and understands web-search syntax: "quoted phrases", -exclusion, or. Other databases get a
simpler fallback: every word or "phrase" must appear in the title, key points, body, authors or
topics, -words must not, and results come newest first. Japanese in a query is cut into words
as the stored text was (commentaries.words); results cover every language unless the reader
chooses one.
"""

import re

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Max, Min, OuterRef, Q, When
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.caching.freshness import kept_per_generation
from commentaries.models import Authorship, Commentary, SearchDocument, with_public_pieces
from commentaries.search.index import CONFIG, MARK_START, MARK_STOP
from commentaries.words import query as cut_query
from commentaries.words import text_of

MAX_QUERY_LENGTH = 200
SNIPPET_CHARACTERS = 240
# The newest matches a search ranks and counts (see search()).
CANDIDATES = 500
# Headlines are made from this much of each text: about 250 words, in English or in Japanese
# cut into words (two characters a word with its break: ts_headline's cost is per word, and
# 1,500 characters of Japanese took it twice as long as of English).
HEADLINE_CHARACTERS = 1500
HEADLINE_CHARACTERS_JA = 600
# A topic or author filter longer than this is typed, not chosen from a list.
MAX_CHOICES = 100
NAME_FIELDS = ["slug", "given_name", "family_name"]
# The languages a reader can narrow a search to, as Commentary.language spells them.
LANGUAGES = [("en", "English"), ("ja", "日本語")]
ADDRESS_HELP = {
    "topic": _("As in the topic's address, e.g. %(example)s."),
    "author": _("As in the author's address, e.g. %(example)s."),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("A search can be at most %(limit_value)d characters long."),
            "null_characters_not_allowed": _(
                "The search contained a character that cannot be searched for."
            ),
        },
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    author = forms.ChoiceField(label=_("Author"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGES]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        any_choice = [("", _("Any"))]
        self.fields["year"].choices = any_choice + [(year, year) for year in choices["years"]]
        for name in ("topic", "author"):
            options = choices[name]  # {slug: name}
            if len(options) > MAX_CHOICES:
                # Too many for a list on every results page: the address name is typed (the
                # filter links on topic and author pages fill it in).
                self.fields[name] = TypedChoiceOfSlug(
                    label=self.fields[name].label,
                    known=options,
                    help_text=ADDRESS_HELP[name] % {"example": next(iter(options))},
                )
            else:
                self.fields[name].choices = any_choice + list(options.items())

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query and not re.search(r"\w", query):
            raise forms.ValidationError(_("Search with words or numbers, not punctuation alone."))
        return query

    @property
    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "q" and v}


class TypedChoiceOfSlug(forms.CharField):
    """A choice among thousands, typed: checked against them without building a list of
    choices (a ChoiceField normalises every one of them on each search)."""

    default_error_messages = {
        "invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, known, **kwargs):
        self.known = known
        super().__init__(required=False, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value not in self.known:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


def filter_choices():
    """Years, topics and authors with something public: computed once per generation of the
    content and shared by every search until something changes; kept in the process as well,
    since unpickling thousands of authors from the cache on every search cost 0.7 ms."""
    return kept_per_generation("search-choices", _filter_choices, settings.PAGE_CACHE_SECONDS)


def _filter_choices():
    published = Commentary.objects.published()
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    years = []
    if span["first"]:
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        years = list(range(last, first - 1, -1))
    taggings = TaggedItem.objects.filter(tag=OuterRef("pk"))
    topics = with_public_pieces(Tag.objects.order_by("name"), taggings)
    authorships = Authorship.objects.filter(author=OuterRef("pk"))
    authors = with_public_pieces(Author.objects.all(), authorships)
    authors = authors.order_by("family_name", "given_name", "pk")
    return {
        "years": years,
        "topic": dict(topics.values_list("slug", "name")),
        "author": {a.slug: a.byline_name for a in authors.only(*NAME_FIELDS)},
    }


def search(commentaries, query, *, year=None, topic=None, author=None, language=None):
    """The ids of the matching commentaries: best first with a query, else newest first.

    At most CANDIDATES of them, the newest matches: a word found in most of the archive is
    ranked among its latest CANDIDATES pieces rather than all of them, so a search costs the
    same at any size (the count shown is then "more than ..."). One query of ids and ranks
    (PostgreSQL's, from the stored weighted vector); the page's pieces are fetched after.
    """
    if year:
        commentaries = commentaries.filter(published_at__year=year)
    if topic:
        # The tag first, so that on_topic() selects by its id; an unknown topic matches nothing.
        tag = Tag.objects.filter(slug=topic).first()
        if tag is None:
            return []
        commentaries = commentaries.on_topic(tag)
    if author:
        commentaries = commentaries.filter(authors__slug=author)
    if language:
        commentaries = commentaries.filter(language=language)
    ranked = bool(query) and connection.vendor == "postgresql"
    if ranked:
        query = SearchQuery(cut_query(query), search_type="websearch", config=CONFIG)
        commentaries = commentaries.filter(search_document__vector=query).annotate(
            rank=SearchRank(F("search_document__vector"), query)
        )
    elif query:
        commentaries = _fallback(commentaries, query)
    newest = commentaries.order_by("-published_at", "-pk")
    if not ranked:
        return list(newest.values_list("pk", flat=True)[:CANDIDATES])
    rows = list(newest.values_list("pk", "rank")[:CANDIDATES])
    rows.sort(key=lambda row: row[1], reverse=True)  # stable: newest first among equals
    return [pk for pk, _ in rows]


def pieces(ids):
    """The commentaries of these ids, in this order, with what a listing shows."""
    found = Commentary.objects.filter(pk__in=ids).with_card_data(key_points=True).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def snippets(commentaries, query):
    """{pk: snippet} for one page of results, in one query (headlines are dear: only the
    page's, and from the start of each text, where the key points come first)."""
    documents = SearchDocument.objects.filter(pk__in=[c.pk for c in commentaries]).order_by()
    if connection.vendor == "postgresql":
        japanese = [c.pk for c in commentaries if c.language == "ja"]
        headline = SearchHeadline(
            Case(
                When(pk__in=japanese, then=Left("text", HEADLINE_CHARACTERS_JA)),
                default=Left("text", HEADLINE_CHARACTERS),
            )
            if japanese
            else Left("text", HEADLINE_CHARACTERS),
            SearchQuery(cut_query(query), search_type="websearch", config=CONFIG),
            config=CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        return {pk: _marked(text) for pk, text in documents.values_list("pk", headline)}
    terms = [term for term, excluded in _terms(query) if not excluded]
    return {pk: _marked(_excerpt(text, terms)) for pk, text in documents.values_list("pk", "text")}


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
    return commentaries


def _marked(text):
    """A snippet as safe HTML: the text escaped, then the matches put in <mark>."""
    if not text:
        return ""
    # Words of one Japanese phrase, marked one by one, meet once the breaks between them go.
    text = escape(text_of(text).replace(MARK_STOP + MARK_START, ""))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


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
