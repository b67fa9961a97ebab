"""Where a reader goes next from a piece: related pieces, and its neighbours in the series."""

from django.db.models import Count, F, Q

from commentaries.models import Commentary

RELATED_LENGTH = 3


def related_commentaries(commentary, limit=RELATED_LENGTH):
    """Published pieces sharing authors or topics, most shared first, then newest first.

    Expects the piece's authors and topics prefetched (with_listing_data()); costs one query
    plus the listing's prefetches, however many authors, topics or matches there are.
    """
    author_ids = [author.pk for author in commentary.ordered_authors]
    tag_ids = [tag.pk for tag in commentary.tags.all()]
    if not author_ids and not tag_ids:
        return Commentary.objects.none()
    return (
        Commentary.objects.published()
        .exclude(pk=commentary.pk)
        .annotate(
            shared_authors=Count("authors", filter=Q(authors__in=author_ids), distinct=True),
            shared_topics=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
        )
        .filter(Q(shared_authors__gt=0) | Q(shared_topics__gt=0))
        .order_by((F("shared_authors") + F("shared_topics")).desc(), "-published_at", "-number")
        .with_listing_data()[:limit]
    )


def series_neighbours(commentary):
    """The published pieces numbered just before and just after this one in its series."""
    in_series = Commentary.objects.published().filter(series=commentary.series_id)
    previous = in_series.filter(number__lt=commentary.number).order_by("-number")
    following = in_series.filter(number__gt=commentary.number).order_by("number")
    return previous.select_related("series").first(), following.select_related("series").first()
