"""Where a reader goes next from a piece: related pieces, and its neighbours in the series."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from commentaries.models import Authorship, Commentary

RELATED_LENGTH = 3
CANDIDATES = 200


def related_commentaries(commentary, limit=RELATED_LENGTH):
    """Published pieces in its language sharing authors or topics, most shared first, then newest first,
    without their bylines (fetch_bylines() gets them with the piece's own).

    Bounded at any size: only the latest CANDIDATES pieces of its authors and of its topics
    (by id, which follows creation) are considered, so a topic on every other piece costs what
    a rare one does. Expects the piece's topics prefetched (with_listing_data()); then three
    queries whatever the piece and the archive: two find the candidates, one scores them (what
    they share, counted in the database) and fetches the best.
    """
    its_authors = Authorship.objects.filter(commentary=commentary).values("author")
    by_author = Authorship.objects.filter(author__in=its_authors)
    # The topics by id: with a subquery instead, PostgreSQL walks three times as many taggings.
    by_topic = TaggedItem.objects.filter(
        tag__in=[tag.pk for tag in commentary.ordered_topics],
        content_type=ContentType.objects.get_for_model(Commentary),
    )
    candidates = {
        *by_author.order_by("-commentary_id").values_list("commentary_id", flat=True)[:CANDIDATES],
        *by_topic.order_by("-object_id").values_list("object_id", flat=True)[:CANDIDATES],
    }
    related = (
        Commentary.objects.published()
        .in_language(commentary.language)
        .filter(pk__in=candidates)
        .exclude(pk=commentary.pk)
        .annotate(
            shared=count(by_author.filter(commentary=OuterRef("pk")))
            + count(by_topic.filter(object_id=OuterRef("pk")))
        )
        .order_by("-shared", "-published_at", "-number")
        .with_card_data(key_points=True, bylines=False)
    )
    return list(related[:limit])


def count(rows):
    """How many of `rows`, correlated to the outer piece, there are: a subquery, 0 for none."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def series_neighbours(commentary):
    """The published pieces numbered just before and just after this one in its series, in
    its language."""
    in_series = Commentary.objects.published().in_language(commentary.language)
    in_series = in_series.filter(series=commentary.series_id)
    in_series = in_series.select_related("series").defer("body")
    previous = in_series.filter(number__lt=commentary.number).order_by("-number")
    following = in_series.filter(number__gt=commentary.number).order_by("number")
    return previous.first(), following.first()
