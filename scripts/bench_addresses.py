"""What `make bench` measures: (label, path, kind) for the database at hand.

kind is "uncached" (the cache cleared before each request), "cached" (a reader's second
request onwards), "search" (never page-cached; the filter choices stay cached, as they are
between searches), "admin" (a logged-in superuser) or "private" (the superuser's calendar
feed, fetched without a session as calendar applications do). The same labels come out at 1
piece and at 100,000, so the two columns compare like with like: the newest piece, its first
author and topic, its year, a list page half-way down the archive, and the commonest topic.
"""

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag

from commentaries.models import Commentary, Series
from commentaries.pagination import NEWEST_FIRST, cursor

PUBLIC = "uncached", "cached"


def commonest_topic():
    """The topic on the most pieces: generated topics, like real ones, differ in size."""
    return (
        Tag.objects.annotate(pieces=Count("taggit_taggeditem_items")).order_by("-pieces").first()
    )


def addresses():
    # The main language's pages, which list its pieces alone (a Japanese piece's author or
    # topic-year may have none in English).
    published = Commentary.objects.published().in_language(settings.LANGUAGE_CODE)
    newest = published.select_related("series").order_by("-published_at", "-number").first()
    author = newest.ordered_authors[0]
    topic = newest.tags.order_by("name").first()
    series = Series.objects.get(is_primary=True)
    # Half-way down the archive: the page that starts with the middle piece ("Older" from the
    # one before it); with one piece, the first page.
    newest_first = published.order_by(*NEWEST_FIRST)
    middle = published.count() // 2
    deep = deep_page(newest_first[middle - 1]) if middle else reverse("commentaries:list")
    pages = [
        ("home", reverse("commentaries:home")),
        ("list", reverse("commentaries:list")),
        ("list, half-way down", deep),
        ("list, half-way down, newer", deep.replace("?older=", "?newer=")),
        ("archive, years", reverse("commentaries:archive")),
        ("year archive", year_archive(newest.published_at.year)),
        ("commentary", newest.get_absolute_url()),
        ("topic", reverse("commentaries:topic", kwargs={"slug": topic.slug})),
        (
            "topic year",
            reverse(
                "commentaries:topic-year",
                kwargs={"slug": topic.slug, "year": newest.published_at.year},
            ),
        ),
        ("topics", reverse("commentaries:topics")),
        ("author", author.get_absolute_url()),
        ("authors", reverse("authors:list")),
        ("series", series.get_absolute_url()),
        ("sitemap index", "/sitemap.xml"),
        *sitemap_pages(),
    ]
    rows = [(label, path, kind) for label, path in pages for kind in PUBLIC]
    search = reverse("commentaries:search")
    rows += [
        ("search, common word", f"{search}?q=security", "search"),
        ("search, rare word", f"{search}?q=bilateral", "search"),
        (
            "search, common word, year filter",
            f"{search}?q=security&year={newest.published_at.year}",
            "search",
        ),
        (
            "search, common word, topic filter",
            f"{search}?q=cooperation&topic={topic.slug}",
            "search",
        ),
        (
            "search, common word, commonest topic filter",
            f"{search}?q=cooperation&topic={commonest_topic().slug}",
            "search",
        ),
        (
            "search, common word, author filter",
            f"{search}?q=policy&author={author.slug}",
            "search",
        ),
        ("search, common word, language filter", f"{search}?q=security&language=en", "search"),
        # A third of a generated archive is in Japanese (generate_commentaries): queries cut into
        # words as the text was (commentaries.words).
        ("search, Japanese word", f"{search}?q=協力", "search"),
        ("search, Japanese theme word", f"{search}?q=漁業", "search"),
        # 安全保障 is cut into two words: a phrase, 安全 <-> 保障
        ("search, Japanese compound", f"{search}?q=安全保障", "search"),
        ("search, Japanese word, language filter", f"{search}?q=協力&language=ja", "search"),
        (
            "search, Japanese word, topic filter",
            f"{search}?q=協力&topic={topic.slug}",
            "search",
        ),
    ]
    feeds = [
        ("feed, site RSS", reverse("syndication:feed-rss")),
        ("feed, site Atom", reverse("syndication:feed-atom")),
        ("feed, site JSON", reverse("syndication:feed-json")),
        (
            "feed, series RSS",
            reverse("syndication:series-feed-rss", kwargs={"slug": series.slug}),
        ),
        ("feed, author RSS", reverse("syndication:author-feed-rss", kwargs={"slug": author.slug})),
        (
            "feed, topic RSS",
            reverse("syndication:topic-feed-rss", kwargs={"slug": topic.slug}),
        ),
    ]
    rows += [(label, path, kind) for label, path in feeds for kind in PUBLIC]
    admin = reverse("admin:commentaries_commentary_changelist")
    rows += [
        ("admin change list", admin, "admin"),
        ("admin search", f"{admin}?q=security", "admin"),
        ("admin dashboard", reverse("admin:index"), "admin"),
        ("admin calendar, month", reverse("admin:calendar"), "admin"),
        ("admin calendar, week", reverse("admin:calendar") + "?week=", "admin"),
        ("calendar feed", calendar_feed(), "private"),
    ]
    return rows


def calendar_feed():
    """The bench superuser's private calendar feed (made once, kept in the database)."""
    from django.contrib.auth import get_user_model

    from commentaries.editorial.desk.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(
        user=get_user_model().objects.get(username="bench")
    )
    return reverse("desk:calendar-feed", args=[feed.token])


def deep_page(piece):
    return f"{reverse('commentaries:list')}?older={cursor(piece)}"


def year_archive(year):
    return reverse("commentaries:year", kwargs={"year": year})


def sitemap_pages():
    """The last file of the pieces' sitemap (the deepest), and the authors' and topics'."""
    from commentaries.syndication.sitemaps import CommentarySitemap

    last = CommentarySitemap().paginator.num_pages
    section = "sitemap-section"
    return [
        ("sitemap, pieces, last file", reverse(section, args=["commentaries"]) + f"?p={last}"),
        ("sitemap, authors", reverse(section, args=["authors"])),
        ("sitemap, topics", reverse(section, args=["topics"])),
    ]
