"""Sitemaps: /sitemap.xml is an index of sections, each in files of at most LIMIT addresses
(/sitemap-<section>.xml?p=N), every public piece, author and topic in exactly one of them.

Nothing walks the archive: a file is a range of LIMIT consecutive ids (IdRangePaginator), so the
index learns how many files a section has from its lowest and highest id, not from a count, and
the last file costs what the first does. The latest change of a section is one aggregate.

Every public edition of a piece is listed at its own address, with an xhtml:link for each
public edition of the same piece (hreflang, as on its page, and x-default); a file's editions
come in one query, whatever their number.
"""

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Min, OuterRef, Q
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import http_date
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.addresses import address, edition_addresses, site_url
from commentaries.models import Authorship, Commentary, Correction, with_public_pieces

# At most 10,000 addresses a file, as the issue of sitemaps asks; 5,000 keeps each file quick.
LIMIT = 5_000


class IdRangePaginator:
    """File N of a section holds the rows whose ids are the Nth run of `limit` ids from the
    lowest: at most `limit` addresses (fewer where drafts or deleted rows leave gaps), found
    by a range scan of the primary key. The number of files is two index lookups."""

    def __init__(self, queryset, limit):
        self.queryset, self.limit = queryset, limit

    @cached_property
    def span(self):
        ids = self.queryset.model._default_manager.aggregate(first=Min("pk"), last=Max("pk"))
        return ids["first"] or 0, ids["last"] or 0

    @cached_property
    def num_pages(self):
        first, last = self.span
        return (last - first) // self.limit + 1

    def page(self, number):
        if not (isinstance(number, int) or (number.isascii() and number.isdigit())):
            raise PageNotAnInteger(number)
        number = int(number)
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        start = self.span[0] + (number - 1) * self.limit
        return self.Page(self.queryset.filter(pk__gte=start, pk__lt=start + self.limit))

    class Page:
        def __init__(self, object_list):
            self.object_list = object_list


class IdRangeSitemap(Sitemap):
    limit = LIMIT

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)


class SlugSitemap(IdRangeSitemap):
    """Rows at `url_name`'s address by their slug."""

    url_name = None

    def location(self, row):
        return address(self.url_name, slug=row.slug)


# What an edition's address is made of.
EDITION_FIELDS = (
    "number",
    "slug",
    "language",
    "original_id",
    "series__slug",
    "series__is_primary",
)


class CommentarySitemap(IdRangeSitemap):
    changefreq = "yearly"
    priority = 0.8

    def items(self):
        return (
            Commentary.objects.published()
            .select_related("series")
            .only(
                *EDITION_FIELDS,
                "published_at",
                "modified_at",
            )
            .order_by("pk")
        )

    # Not Django's `alternates` (one address per language, made by reverse()): editions have
    # slugs of their own, and a piece need not be in every language.
    def language_alternates(self, commentaries, request):
        """{piece: [(language, address), ...] of its work's public editions} for the pieces
        of a file that have more than one: one query for the file."""
        works = {work(commentary) for commentary in commentaries}
        editions = (
            Commentary.objects.published()
            .filter(Q(pk__in=works) | Q(original_id__in=works))
            .select_related("series")
            .only(*EDITION_FIELDS)
        )
        by_work = defaultdict(list)
        for edition in editions:
            by_work[work(edition)].append(edition)
        return {
            commentary: edition_addresses(by_work[work(commentary)], request)
            for commentary in commentaries
            if len(by_work[work(commentary)]) > 1
        }

    def lastmod(self, commentary):
        return commentary.last_modified

    def get_latest_lastmod(self):
        corrected = Correction.objects.aggregate(latest=Max("made_at"))["latest"]
        return max(filter(None, [latest_publication(), corrected]), default=None)


def work(commentary):
    """The id that names every edition of a piece alike: its original's."""
    return commentary.original_id or commentary.pk


def latest_publication(*args):
    return Commentary.objects.published().aggregate(latest=Max("published_at"))["latest"]


class AuthorSitemap(SlugSitemap):
    """Authors with something public. No lastmod for each: an author's latest piece is a join
    over the whole archive; the section's lastmod (the latest publication) stands for them."""

    url_name = "authors:detail"
    changefreq = "monthly"
    priority = 0.5
    get_latest_lastmod = latest_publication

    def items(self):
        authorships = Authorship.objects.filter(author=OuterRef("pk"))
        return with_public_pieces(Author.objects.only("slug"), authorships).order_by("pk")


class TopicSitemap(SlugSitemap):
    """Topics with something public; like authors, no lastmod for each."""

    url_name = "commentaries:topic"
    changefreq = "weekly"
    priority = 0.4
    get_latest_lastmod = latest_publication

    def items(self):
        taggings = TaggedItem.objects.filter(tag=OuterRef("pk"))
        return with_public_pieces(Tag.objects.only("slug"), taggings).order_by("pk")


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "commentaries:home",
            "commentaries:list",
            "commentaries:archive",
            "commentaries:topics",
            "authors:list",
        ]

    def location(self, name):
        return reverse(name)

    lastmod = latest_publication
    get_latest_lastmod = latest_publication


SITEMAPS = {
    "pages": PageSitemap,
    "commentaries": CommentarySitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}


def section(request, section, sitemaps):
    """One sitemap file, written directly: Django's template takes a second for 10,000
    addresses, this a fraction of it."""
    if section not in sitemaps:
        raise Http404("No such sitemap.")
    site = sitemaps[section]()
    try:
        items = site.paginator.page(request.GET.get("p", 1)).object_list
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    base = site_url(request)
    has_lastmod = hasattr(site, "lastmod")
    if hasattr(site, "language_alternates"):
        items = list(items)
        alternates = site.language_alternates(items, request)
    else:
        alternates = {}
    entries = []
    for item in items:
        lastmod = site.lastmod(item) if has_lastmod else None
        entries.append(
            f"<url><loc>{escape(base + site.location(item))}</loc>"
            + (f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>" if lastmod else "")
            + f"<changefreq>{site.changefreq}</changefreq><priority>{site.priority}</priority>"
            + language_links(alternates.get(item, []))
            + "</url>"
        )
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">' + "\n".join(entries) + "</urlset>\n",
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def language_links(alternates):
    """An xhtml:link for each (language, address), and x-default for the first."""
    links = [*alternates, ("x-default", alternates[0][1])] if alternates else []
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{language}" href="{escape(href)}"/>'
        for language, href in links
    )


def index(request, sitemaps):
    """/sitemap.xml: each section's files, at the site's address (Django's index view takes the
    request's host), with the latest change of each."""
    base = site_url(request)
    entries, latest = [], []
    for name, sitemap_class in sitemaps.items():
        site = sitemap_class()
        location = base + reverse("sitemap-section", kwargs={"section": name})
        lastmod = site.get_latest_lastmod()
        latest.append(lastmod)
        entries += [
            (location if page == 1 else f"{location}?p={page}", lastmod)
            for page in range(1, site.paginator.num_pages + 1)
        ]
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(
            f"<sitemap><loc>{escape(loc)}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</sitemap>\n"
            for loc, lastmod in entries
        )
        + "</sitemapindex>\n",
        content_type="application/xml",
    )
    if latest and None not in latest:
        response["Last-Modified"] = http_date(max(latest).timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def robots(request):
    """/robots.txt, naming the sitemap index at the site's address."""
    text = render_to_string(
        "robots.txt", {"sitemap_url": site_url(request) + reverse("sitemap")}, request
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
