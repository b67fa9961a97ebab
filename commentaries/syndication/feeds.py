"""RSS, Atom and JSON feeds for the site, each series, each author and each topic.

CommentaryFeed is the one place that says what a subscriber gets for a commentary; the scopes
below only narrow `published()` and name themselves. feed_http serves them (caching, 304s).
Each feed is in one language, the language of its address (/feeds/rss/ the main language's,
/ja/feeds/rss/ Japanese): it carries that language's editions, titled in it.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from authors.models import Author
from commentaries.addresses import absolute
from commentaries.models import Commentary, Series, topic_name
from commentaries.syndication.formats import AtomFeed, JsonFeed, RssFeed

SUMMARY_WORDS = 60  # of the body, for a piece with neither a summary nor key points

# kind in the URL: (generator, media type advertised in <link rel="alternate">, label)
FORMATS = {
    "rss": (RssFeed, "application/rss+xml", "RSS"),
    "atom": (AtomFeed, "application/atom+xml", "Atom"),
    "json": (JsonFeed, "application/feed+json", "JSON Feed"),
}


class CommentaryFeed(Feed):
    """The site-wide feed, and the item data every feed shares."""

    url_name = "syndication:feed"

    def __init__(self, kind):
        self.kind = kind
        self.feed_type = FORMATS[kind][0]

    def get_queryset(self, obj):
        return Commentary.objects.published().in_language(get_language())

    def items(self, obj):
        queryset = self.get_queryset(obj).with_listing_data().with_corrections()
        return queryset[: settings.FEED_LENGTH]

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute(reverse("commentaries:home"))

    def description(self, obj):
        return _("Every commentary from %(site)s, in full, as it is published.") % {
            "site": settings.SITE_NAME
        }

    def feed_url(self, obj):
        """The feed's permanent address: what rel="self" says and what the WebSub hub is told."""
        return absolute(self.path(obj))

    def path(self, obj):
        return reverse(f"{self.url_name}-{self.kind}", kwargs=self.url_kwargs(obj))

    def url_kwargs(self, obj):
        return {}

    def feed_guid(self, obj):
        return f"tag:{settings.FEED_TAG_AUTHORITY}:{self.path(obj)}"

    def feed_extra_kwargs(self, obj):
        return {"hub_url": settings.WEBSUB_HUB_URL}

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_title(self, item):
        return f"{item.label}: {item.title}"

    def item_description(self, item):
        """The summary, else the key points, else the body's first words: never empty (an empty
        Atom <summary> warns, and RSS wants a <description> before content:encoded)."""
        summary = render_to_string("commentaries/feed_summary.html", {"commentary": item})
        if summary.strip():
            return summary.strip()
        opening = Truncator(" ".join(strip_tags(item.body).split())).words(SUMMARY_WORDS)
        return format_html("<p>{}</p>", opening) if opening else None

    def item_pubdate(self, item):
        return timezone.localtime(publication_instant(item))

    def item_updateddate(self, item):
        """The last major correction: minor edits do not make readers show the piece again."""
        if item.last_modified == item.published_at:
            return self.item_pubdate(item)
        return timezone.localtime(item.last_modified)

    def item_author_name(self, item):
        return item.byline

    def item_categories(self, item):
        return [topic_name(tag, item.language) for tag in item.ordered_topics]

    def item_guid(self, item):
        """Built from what never changes once published (series and number, and a
        translation's language: editions share the number), not title or date. An original
        keeps the id it had before it had translations."""
        guid = f"tag:{settings.FEED_TAG_AUTHORITY}:{item.series.slug}/{item.number}"
        return f"{guid}/{item.language}" if item.is_translation else guid

    item_guid_is_permalink = False

    def item_extra_kwargs(self, item):
        return {
            "content_html": render_to_string(
                "commentaries/feed_item.html", {"commentary": item}
            ).strip(),
            "summary_text": summary_text(item),
            "authors": [
                {
                    "name": authorship.name,  # as the piece prints it, in its language
                    "url": absolute(authorship.author.get_absolute_url()),
                }
                for authorship in item.ordered_authorships
            ]
            # An unsigned piece is the institution's: an Atom entry must name an author.
            or [{"name": item.series.publisher, "url": absolute(item.series.get_absolute_url())}],
            "language": item.language,
        }


class ScopedFeed(CommentaryFeed):
    """A feed of one series, author or topic; unknown, or with nothing public yet in any
    language, is a 404. A scope with public pieces in other languages only has an empty feed in
    this one: its pages advertise it, and a subscriber gets its first piece in this language."""

    model = None
    lookup = None

    def get_object(self, request, slug):
        obj = get_object_or_404(self.model, slug=slug)
        if not self.narrow(Commentary.objects.published(), obj).exists():
            raise Http404("Nothing is published here yet.")
        return obj

    def get_queryset(self, obj):
        return self.narrow(super().get_queryset(obj), obj)

    def narrow(self, queryset, obj):
        return queryset.filter(**{self.lookup: obj})

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def name(self, obj):
        """The scope's name in the feed's language."""
        return str(obj)

    def title(self, obj):
        return f"{self.name(obj)} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())


class SeriesFeed(ScopedFeed):
    url_name = "syndication:series-feed"
    model = Series
    lookup = "series"

    def title(self, obj):
        return obj.name

    def description(self, obj):
        return _("Every commentary in %(series)s, in full, as it is published.") % {
            "series": obj.name
        }


class AuthorFeed(ScopedFeed):
    url_name = "syndication:author-feed"
    model = Author
    lookup = "authors"

    def name(self, obj):
        return obj.name_in(get_language())

    def description(self, obj):
        return _("Every commentary by %(author)s on %(site)s, in full.") % {
            "author": self.name(obj),
            "site": settings.SITE_NAME,
        }


class TopicFeed(ScopedFeed):
    url_name = "syndication:topic-feed"
    model = Tag

    def narrow(self, queryset, obj):
        return queryset.on_topic(obj)

    def name(self, obj):
        return topic_name(obj, get_language())

    def link(self, obj):
        return absolute(reverse("commentaries:topic", kwargs={"slug": obj.slug}))

    def feed_guid(self, obj):
        # The feed's id from its first address (/tags/..., now a 301): an id never changes.
        first_path = self.path(obj).replace("/topics/", "/tags/", 1)
        return f"tag:{settings.FEED_TAG_AUTHORITY}:{first_path}"

    def description(self, obj):
        return _("Every commentary on %(topic)s from %(site)s, in full.") % {
            "topic": self.name(obj),
            "site": settings.SITE_NAME,
        }


SCOPES = {None: CommentaryFeed, Series: SeriesFeed, Author: AuthorFeed, Tag: TopicFeed}


def feeds_of(obj=None):
    """The feeds of the site (obj None), a series, an author or a topic: one per format."""
    feed_class = SCOPES[None if obj is None else type(obj)]
    return [feed_class(kind) for kind in FORMATS]


def publication_instant(commentary):
    """The publication time, as an instant of the piece's own. Pieces loaded for one day share
    their time (midnight), and entries of one feed sharing atom:updated are what RFC 4287 asks
    publishers to avoid (the W3C validator warns). A time with no fraction of a second takes the
    piece's id as its microseconds: the same piece always the same instant, no two pieces one,
    and no reader shows the difference. A time the admin set (timezone.now()) keeps its own."""
    published = commentary.published_at
    if published.microsecond:
        return published
    return published.replace(microsecond=commentary.pk % 1_000_000)


def summary_text(commentary):
    """The summary as plain text: the editor's summary, or else the key points."""
    return commentary.summary or " ".join(point.text for point in commentary.ordered_key_points)
