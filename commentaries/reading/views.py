import functools
import re

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.generic import ListView
from taggit.models import Tag

from commentaries.addresses import absolute, edition_addresses
from commentaries.editorial import permissions, preview
from commentaries.models import Commentary, Series, fetch_bylines, topic_name
from commentaries.pagination import KeysetListMixin
from commentaries.reading import archive, citations, metadata, related, topics
from commentaries.search import query as search

HOME_LENGTH = 10


class CommentaryListView(KeysetListMixin, ListView):
    """Published commentaries in the request's language, newest first, 20 at a time;
    subclasses narrow the queryset. Pages go by keyset both ways (commentaries.pagination): no
    page counts the archive."""

    paginate_by = 20
    template_name = "commentaries/commentary_list.html"
    context_object_name = "commentaries"
    heading = gettext_lazy("All commentaries")

    def get_queryset(self):
        pieces = Commentary.objects.published().in_language(get_language())
        return pieces.with_card_data(key_points=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)


class SeriesDetailView(CommentaryListView):
    allow_empty = False
    template_name = "commentaries/series_detail.html"

    def get_queryset(self):
        self.series = get_object_or_404(Series, slug=self.kwargs["slug"])
        self.heading = self.series.name
        return super().get_queryset().filter(series=self.series)

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


class TopicDetailView(CommentaryListView):
    """A topic's pieces, and its years (/topics/<slug>/<year>/) when a year is given."""

    allow_empty = False  # a topic only drafts carry stays private
    template_name = "commentaries/topic_detail.html"

    def get_queryset(self):
        self.topic = get_object_or_404(Tag, slug=self.kwargs["slug"])
        name = topic_name(self.topic, get_language())
        self.heading = name
        pieces = super().get_queryset().on_topic(self.topic)
        if "year" in self.kwargs:
            self.heading = f"{name}: {self.kwargs['year']}"
            pieces = pieces.filter(published_at__year=self.kwargs["year"])
        return pieces

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


def topic_index(request):
    """Every topic with something public, by name, with how many public pieces it has."""
    return render(request, "commentaries/topic_list.html", {"topics": topics.topic_counts()})


def old_topic_address(request, rest):
    """/tags/..., where topics were, answers with the same address under /topics/ for good:
    a topic's page, its years and its feeds."""
    url = reverse("commentaries:topics") + rest
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)


def home(request):
    """The lead piece (the latest), the ones before it, and the year's most used topics."""
    latest = Commentary.objects.published().in_language(get_language())
    latest = latest.with_card_data(key_points=True)
    pieces = list(latest.select_related("lead_image")[: HOME_LENGTH + 1])  # the lead's picture
    context = {
        "lead": pieces[0] if pieces else None,
        "commentaries": pieces[1:],
        "series": Series.objects.filter(is_primary=True).first(),
        "year_topics": topics.topics_of_the_year(),
    }
    return render(request, "commentaries/home.html", context)


def commentary_detail(request, number, slug=None, series=None):
    """One commentary at its numbered address; any other slug redirects to the canonical one.
    The number names a work; the address's language picks its edition.

    Staff who may edit an unpublished piece see it here as a preview; everyone else gets a 404.
    A withdrawn piece that had been public answers 410 Gone with the editor's notice.
    """
    if series is None:
        series = get_object_or_404(Series, is_primary=True)
    else:
        series = get_object_or_404(Series, slug=series)
    commentary = get_object_or_404(
        Commentary.objects.in_language(get_language())
        .with_listing_data(bylines=False)
        .select_related("original__series"),  # a translation's notice links its original
        series=series,
        number=number,
    )
    if commentary.status == Commentary.Status.WITHDRAWN and commentary.has_been_public:
        fetch_bylines([commentary])
        context = {"commentary": commentary, **editions_of(commentary, request)}
        return render(request, "commentaries/withdrawn.html", context, status=410)
    public = commentary.is_published()
    if not public and not permissions.can_preview(request.user, commentary):
        raise Http404("No commentary has this number.")
    if slug != commentary.slug:
        return redirect(commentary, permanent=public)
    return render_commentary(request, commentary, preview=not public)


def commentary_preview(request, token):
    """A signed preview link for an outside reviewer: no login, expires."""
    try:
        commentary = preview.commentary_from_preview_token(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
    except (signing.BadSignature, Commentary.DoesNotExist):
        raise Http404("This preview link is not valid or has expired.") from None
    if commentary.is_published():
        return redirect(commentary)
    if commentary.status == Commentary.Status.WITHDRAWN:
        raise Http404("This commentary has been withdrawn.")
    return render_commentary(request, commentary, preview=True)


def render_commentary(request, commentary, *, preview):
    """The page of a piece, with where to read next: its neighbours in the series and related
    pieces, whose bylines come in the same query as its own."""
    related_pieces = related.related_commentaries(commentary)
    previous, following = related.series_neighbours(commentary)
    fetch_bylines([commentary, *related_pieces])
    context = {
        "commentary": commentary,
        "related": related_pieces,
        "previous": previous,
        "following": following,
        "canonical_url": absolute(commentary.get_absolute_url(), request),
        "preview": preview,
        "pdf_url": None if preview else metadata.pdf_path(commentary),
        **editions_of(commentary, request),
    }
    response = render(request, "commentaries/commentary_detail.html", context)
    if preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def editions_of(commentary, request):
    """The piece's public editions, in one query: `alternates` (the languages it is read in,
    this page's own once it is public) and `editions`, the others, which its metadata names."""
    public = list(commentary.editions().published().select_related("series"))
    return {
        "alternates": edition_addresses(public, request),
        "editions": [edition for edition in public if edition.pk != commentary.pk],
    }


def year_or_piece(request, year):
    """/commentaries/<year>/, the archive's old address, is also a piece's permanent one: a
    piece numbered like the year keeps it (a draft's preview, its 404 or its 410 included);
    otherwise the archive moved to /archive/<year>/ for good."""
    pieces = Commentary.objects.in_language(get_language())
    if pieces.filter(series__is_primary=True, number=year).exists():
        return commentary_detail(request, number=year)
    return redirect("commentaries:year", year=year, permanent=True)


def archive_index(request):
    """Every year that has public pieces, newest first, with how many (reading.archive); the
    page is kept until the content changes (cached_page)."""
    return render(request, "commentaries/archive.html", {"years": archive.year_counts()})


class YearArchiveView(CommentaryListView):
    allow_empty = False

    def get_queryset(self):
        self.heading = gettext("Commentaries of %(year)s") % {"year": self.kwargs["year"]}
        return super().get_queryset().filter(published_at__year=self.kwargs["year"])


class SearchPaginator(Paginator):
    @property
    def bounded(self):
        """More matched than search.search() ranks: the count is a floor."""
        return self.count >= search.CANDIDATES


class SearchView(ListView):
    """Never cached: each query is its own. Numbered pages over at most search.CANDIDATES,
    ten results a page as search engines show them: each carries a snippet, which PostgreSQL
    makes from the piece's text."""

    template_name = "commentaries/search.html"
    context_object_name = "commentaries"
    paginate_by = 10
    paginator_class = SearchPaginator

    def get(self, request, *args, **kwargs):
        self.form = search.SearchForm(request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        """The matches' ids (see search.search()); each page fetches its own pieces."""
        if not (self.query or (self.form.is_valid() and self.form.filters)):
            return []
        return search.search(Commentary.objects.published(), self.query, **self.form.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form, query=self.query, heading=gettext("Search"), **kwargs
        )
        context["commentaries"] = search.pieces(context["page_obj"].object_list)
        if self.query:
            snippets = search.snippets(context["commentaries"], self.query)
            for commentary in context["commentaries"]:
                commentary.snippet = snippets.get(commentary.pk, "")
        return context


CITATION_FORMATS = {
    "bib": (citations.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8"),
}


def citation_download(request, number, extension, series=None):
    """A published piece's citation as a BibTeX or RIS file, for reference managers."""
    commentary = get_object_or_404(
        Commentary.objects.published().in_language(get_language()).with_listing_data(),
        number=number,
        **({"series__slug": series} if series else {"series__is_primary": True}),
    )
    build, content_type = CITATION_FORMATS[extension]
    url = absolute(commentary.get_absolute_url(), request)
    if extension == "ris":  # RIS carries the PDF edition for reference managers to attach
        build = functools.partial(build, pdf_url=absolute(metadata.pdf_path(commentary), request))
    response = HttpResponse(build(commentary, url=url), content_type=content_type)
    filename = f"{commentary.series.slug}-{commentary.number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# unAPI (https://unapi.info/): how Zotero's unAPI translator, which it prefers to the page's
# meta tags, finds a piece's RIS. Zotero keeps from RIS what its meta-tag reader drops for a
# report: the series (T2, "Series Title") and the topics as tags (KW).
UNAPI_FORMATS = {
    "ris": ("ris", "application/x-research-info-systems"),
    "bibtex": ("bib", "application/x-bibtex"),
}


def unapi(request):
    """No id: the formats offered. An id: its formats (300). An id and a format: a redirect to
    the citation file."""
    identifier, name = request.GET.get("id"), request.GET.get("format")
    commentary = None
    if identifier is not None:
        match = re.fullmatch(r"([\w-]+)/(\d{1,9})", identifier)
        commentary = (
            match
            and Commentary.objects.published()
            .in_language(get_language())
            .select_related("series")
            .filter(series__slug=match.group(1), number=int(match.group(2)))
            .first()
        )
        if not commentary:
            raise Http404("No public commentary has this id.")
    if commentary and name:
        if name not in UNAPI_FORMATS:
            return HttpResponse(status=406)
        return redirect(metadata.citation_url(commentary, UNAPI_FORMATS[name][0]))
    attributes = f' id="{escape(identifier)}"' if commentary else ""
    formats = "".join(
        f'<format name="{format_name}" type="{media_type}"/>'
        for format_name, (_, media_type) in UNAPI_FORMATS.items()
    )
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<formats{attributes}>{formats}</formats>\n',
        content_type="application/xml; charset=utf-8",
        status=300 if commentary else 200,
    )
