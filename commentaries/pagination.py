"""Lists of pieces, 20 at a time, without counting the archive.

"Older" links go by keyset (?before=<the last piece's id>), so a page deep in the archive costs
what the first one does. Numbered pages (?page=N, as older links and crawlers have them) still
work up to MAX_NUMBERED_PAGE, by offset and without a count.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from commentaries.models import Commentary

MAX_NUMBERED_PAGE = 500


@dataclass
class KeysetPage:
    items: list
    has_next: bool
    first: bool

    @property
    def next_before(self):
        return self.items[-1].pk


def keyset_page(queryset, params, page_size, *, allow_empty=True):
    """The page of `queryset` (pieces) that the query parameters ask for; 404 for a bad one."""
    queryset = queryset.order_by("-published_at", "-pk")
    before, number = params.get("before"), params.get("page")
    offset = 0
    if before is not None:
        after = (
            Commentary.objects.filter(pk=before).values("published_at").first()
            if before.isdigit()
            else None
        )
        if after is None:
            raise Http404("No such page.")
        moment = after["published_at"]
        queryset = queryset.filter(published_at__lte=moment).filter(
            Q(published_at__lt=moment) | Q(pk__lt=before)
        )
    elif number is not None:
        if (
            not (number.isascii() and number.isdigit())
            or not 1 <= int(number) <= MAX_NUMBERED_PAGE
        ):
            raise Http404("No such page.")
        offset = (int(number) - 1) * page_size
    items = list(queryset[offset : offset + page_size + 1])
    page = KeysetPage(
        items[:page_size], has_next=len(items) > page_size, first=not (before or offset)
    )
    if not page.items and (offset or not allow_empty):
        raise Http404("Nothing published here.")
    return page
