"""Where a reader goes next from a piece: related pieces, and its neighbours in the series."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from commentaries.models import Authorship, Commentary

RELATED_LENGTH = 3
CANDIDATES = 200


def related_commentaries(commentary, limit=RELATED_LENGTH):
    """Published pieces sharing authors or topics, most shared first, then newest first.

    Bounded at any size: only the latest CANDIDATES pieces of its authors and of its topics
    (by id, which follows creation) are considered, so a topic on every other piece costs what
    a rare one does. Expects the piece's authors and topics prefetched (with_listing_data());
    then two small queries find the candidates, one scores them (what they share, counted in
    the database) and fetches the best, and one more their bylines.
    """
    author_ids = [author.pk for author in commentary.ordered_authors]
    tag_ids = [tag.pk for tag in commentary.tags.all()]
    by_author = Authorship.objects.filter(author__in=author_ids)
    by_topic = TaggedItem.objects.filter(
        tag__in=tag_ids, content_type=ContentType.objects.get_for_model(Commentary)
    )
    candidates = set()
    if author_ids:
        latest = by_author.order_by("-commentary_id").values_list("commentary_id", flat=True)
        candidates.update(latest[:CANDIDATES])
    if tag_ids:
        latest = by_topic.order_by("-object_id").values_list("object_id", flat=True)
        candidates.update(latest[:CANDIDATES])
    related = (
        Commentary.objects.published()
        .filter(pk__in=candidates)
        .exclude(pk=commentary.pk)
        .annotate(
            shared=count(by_author.filter(commentary=OuterRef("pk")))
            + count(by_topic.filter(object_id=OuterRef("pk")))
        )
        .order_by("-shared", "-published_at", "-number")
        .with_card_data()
    )
    return list(related[:limit])


def count(rows):
    """How many of `rows`, correlated to the outer piece, there are: a subquery, 0 for none."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def series_neighbours(commentary):
    """The published pieces numbered just before and just after this one in its series."""
    in_series = Commentary.objects.published().filter(series=commentary.series_id)
    previous = in_series.filter(number__lt=commentary.number).order_by("-number")
    following = in_series.filter(number__gt=commentary.number).order_by("number")
    return previous.select_related("series").first(), following.select_related("series").first()
