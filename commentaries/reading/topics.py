"""Topics with how many public pieces each has: the topics index and the home page's topics of
the year. Counting walks every tagging of the archive (or of the year), so the counts are made
once per generation of the content (and language: each counts its own pieces) and shared by
every process until something changes."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, Max, Min
from django.utils import timezone
from django.utils.translation import get_language

from commentaries.addresses import address
from commentaries.caching.freshness import kept_per_generation
from commentaries.models import Commentary, TopicName

YEAR_TOPICS = 8  # on the home page


def topic_counts():
    """[{"slug", "name", "count", "url", "first", "last"}] of every topic with a public piece,
    by name; first and last are the years of its first and latest public pieces."""
    name = f"topic-counts-{get_language()}"
    return kept_per_generation(name, _all_counts, settings.PAGE_CACHE_SECONDS)


def topic_years(topic):
    """(first, last): the years of the topic's first and latest public pieces, or None.

    From topic_counts(): a topic's span read for its page alone costs the most for a common
    topic when asked as MIN and MAX (the join walks all its taggings: 210 ms for one on 41,000
    of 100,000 pieces) and for a rare one as the first piece each way (the walk goes through
    the archive: 480 ms for a topic on one piece)."""
    for row in topic_counts():
        if row["slug"] == topic.slug:
            return row["first"], row["last"]
    return None


def topics_of_the_year():
    """The YEAR_TOPICS topics most used by the pieces of the last twelve months, most used
    first: the site's own year, so January does not start empty."""
    name = f"year-topics-{get_language()}"
    return kept_per_generation(name, _year_counts, settings.PAGE_CACHE_SECONDS)


def _all_counts():
    spans = {"first": Min("published_at"), "last": Max("published_at")}
    rows = _counts(_public(), **spans).order_by("topic_name", "topic_slug")
    return [
        {**row, "first": _year(row["first"]), "last": _year(row["last"])}
        for row in _with_addresses(rows)
    ]


def _public():
    return Commentary.objects.published().in_language(get_language())


def _year(moment):
    return timezone.localtime(moment).year


def _year_counts():
    since = timezone.now() - dt.timedelta(days=365)
    pieces = _public().filter(published_at__gte=since)
    return _with_addresses(_counts(pieces).order_by("-count", "topic_name")[:YEAR_TOPICS])


def _with_addresses(rows):
    names = _names_in(get_language())
    return [
        {
            "slug": (slug := row.pop("topic_slug")),
            "name": names.get(slug, row.pop("topic_name")),
            "url": address("commentaries:topic", slug=slug),
            **row,
        }
        for row in rows
    ]


def _names_in(language):
    """{slug: name} of the topics named in `language` (the main one's are the tags')."""
    if language == settings.LANGUAGE_CODE:
        return {}
    names = TopicName.objects.filter(language=language)
    return dict(names.values_list("tag__slug", "name"))


def _counts(pieces, **more):
    """Each topic of these pieces with how many it is on (and `more` aggregates of them)."""
    rows = pieces.filter(tags__isnull=False).order_by()
    rows = rows.values(topic_slug=F("tags__slug"), topic_name=F("tags__name"))
    return rows.annotate(count=Count("pk"), **more)
