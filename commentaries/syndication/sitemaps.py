"""Sitemaps: /sitemap.xml is an index of sections, each paginated at LIMIT addresses a file
(/sitemap-<section>.xml?p=N), every public piece, author and topic in exactly one of them, each
address with its last change. Each file costs a fixed number of queries, and the index never
walks the archive: the latest change of a section is one aggregate."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from taggit.models import Tag

from authors.models import Author
from commentaries.models import Authorship, Commentary

LIMIT = 10_000


class CommentarySitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8
    limit = LIMIT

    def items(self):
        return (
            Commentary.objects.published()
            .select_related("series")
            .only(
                "number",
                "slug",
                "published_at",
                "modified_at",
                "series__slug",
                "series__is_primary",
            )
            .order_by("pk")
        )

    def lastmod(self, commentary):
        return commentary.last_modified

    def get_latest_lastmod(self):
        latest = self.items().aggregate(
            published=Max("published_at"), corrected=Max("modified_at")
        )
        return max(filter(None, latest.values()), default=None)


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = LIMIT

    def items(self):
        public = Authorship.objects.filter(
            author=OuterRef("pk"), commentary__in=Commentary.objects.published()
        )
        return (
            Author.objects.filter(Exists(public))
            .annotate(
                latest=public.order_by("-commentary__published_at").values(
                    "commentary__published_at"
                )[:1]
            )
            .order_by("slug")
        )

    def lastmod(self, author):
        return author.latest

    def get_latest_lastmod(self):
        return Commentary.objects.published().aggregate(latest=Max("published_at"))["latest"]


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4
    limit = LIMIT

    def items(self):
        return (
            Tag.objects.filter(commentary__in=Commentary.objects.published())
            .annotate(latest=Max("commentary__published_at"))
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("commentaries:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest

    get_latest_lastmod = AuthorSitemap.get_latest_lastmod


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["commentaries:home", "commentaries:list", "authors:list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return AuthorSitemap.get_latest_lastmod(self)

    get_latest_lastmod = AuthorSitemap.get_latest_lastmod


SITEMAPS = {
    "pages": PageSitemap,
    "commentaries": CommentarySitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}
