"""Where a reader goes next from a piece: related pieces, and its neighbours in the series."""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from commentaries.models import Authorship, Commentary

RELATED_LENGTH = 3
CANDIDATES = 200


def related_commentaries(commentary, limit=RELATED_LENGTH):
    """Published pieces sharing authors or topics, most shared first, then newest first.

    Bounded at any size: only the latest CANDIDATES pieces of its authors and of its topics
    (by id, which follows creation) are considered, so a topic on every other piece costs what
    a rare one does. Expects the piece's authors and topics prefetched (with_listing_data());
    costs three small queries plus the listing's prefetches, however many authors, topics or
    matches there are.
    """
    author_ids = [author.pk for author in commentary.ordered_authors]
    tag_ids = [tag.pk for tag in commentary.tags.all()]
    if not author_ids and not tag_ids:
        return []
    # Each candidate row is one shared author or one shared topic: counting them is the score.
    shared = Counter(
        Authorship.objects.filter(author__in=author_ids)
        .order_by("-commentary_id")
        .values_list("commentary_id", flat=True)[:CANDIDATES]
    )
    shared.update(
        TaggedItem.objects.filter(
            tag__in=tag_ids, content_type=ContentType.objects.get_for_model(Commentary)
        )
        .order_by("-object_id")
        .values_list("object_id", flat=True)[:CANDIDATES]
    )
    shared.pop(commentary.pk, None)
    public = Commentary.objects.published().filter(pk__in=list(shared))
    ranked = sorted(
        public.values_list("pk", "published_at", "number"),
        key=lambda row: (shared[row[0]], row[1], row[2]),
        reverse=True,
    )
    chosen = [row[0] for row in ranked[:limit]]
    pieces = Commentary.objects.filter(pk__in=chosen).with_listing_data().in_bulk()
    return [pieces[pk] for pk in chosen]


def series_neighbours(commentary):
    """The published pieces numbered just before and just after this one in its series."""
    in_series = Commentary.objects.published().filter(series=commentary.series_id)
    previous = in_series.filter(number__lt=commentary.number).order_by("-number")
    following = in_series.filter(number__gt=commentary.number).order_by("number")
    return previous.select_related("series").first(), following.select_related("series").first()
