from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from authors.models import Author
from commentaries.models import Commentary


class CommentarySitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.8

    def items(self):
        return Commentary.objects.published().select_related("series").order_by("pk")

    def lastmod(self, commentary):
        return commentary.last_modified


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Author.objects.filter(commentaries__in=Commentary.objects.published())
            .annotate(latest=Max("commentaries__published_at"))
            .order_by("slug")
        )

    def lastmod(self, author):
        return author.latest


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

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


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["commentaries:home", "commentaries:list", "authors:list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "commentaries": CommentarySitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}
