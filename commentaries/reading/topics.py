"""Topics with how many public pieces each has: the topics index and the home page's topics of
the year. Counting walks every tagging of the archive (or of the year), so the counts are made
once per generation of the content and shared by every process until something changes."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField
from django.db.models.functions import Cast
from django.utils import timezone
from taggit.models import TaggedItem

from commentaries.addresses import address
from commentaries.caching.freshness import kept_per_generation
from commentaries.models import Commentary

YEAR_TOPICS = 8  # on the home page


def topic_counts():
    """[{"slug", "name", "count"}] of every topic with a public piece, by name."""
    return kept_per_generation("topic-counts", _all_counts, settings.PAGE_CACHE_SECONDS)


def topics_of_the_year():
    """The YEAR_TOPICS topics most used by the pieces of the last twelve months, most used
    first: the site's own year, so January does not start empty."""
    return kept_per_generation("year-topics", _year_counts, settings.PAGE_CACHE_SECONDS)


def _all_counts():
    return _with_addresses(_counts(Commentary.objects.published()).order_by("name", "slug"))


def _year_counts():
    since = timezone.now() - dt.timedelta(days=365)
    pieces = Commentary.objects.published().filter(published_at__gte=since)
    return _with_addresses(_counts(pieces).order_by("-count", "name")[:YEAR_TOPICS])


def _with_addresses(rows):
    return [{**row, "url": address("commentaries:topic", slug=row["slug"])} for row in rows]


def _counts(pieces):
    # taggit's object_id is an integer and the pieces' ids bigints (Commentary's Meta indexes
    # the cast for this join).
    ids = pieces.order_by().values(as_integer=Cast("pk", IntegerField()))
    taggings = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Commentary), object_id__in=ids
    )
    return taggings.values(slug=F("tag__slug"), name=F("tag__name")).annotate(
        count=Count("object_id")
    )
