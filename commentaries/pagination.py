"""Lists that never count what they list.

Lists of pieces: "Older" links go by keyset (?before=<the last piece's id>), so a page deep in
the archive costs what the first one does. Numbered pages (?page=N, as older links and crawlers
have them) still work up to MAX_NUMBERED_PAGE, by offset and without a count; other lists (the
authors) page that way only.
"""

from dataclasses import dataclass

from django.db.models import Q, Subquery
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
        if not (before.isascii() and before.isdigit()):
            raise Http404("No such page.")
        # In the same query as the page (the database computes it once): a page by keyset
        # costs what the first page does, queries included.
        moment = Subquery(Commentary.objects.filter(pk=before).values("published_at"))
        queryset = queryset.filter(published_at__lte=moment).filter(
            Q(published_at__lt=moment) | Q(pk__lt=before)
        )
    elif number is not None:
        offset = (page_number(params) - 1) * page_size
    items = list(queryset[offset : offset + page_size + 1])
    page = KeysetPage(
        items[:page_size], has_next=len(items) > page_size, first=not (before or offset)
    )
    # Past the end, or after a piece that is not there: no page links to it.
    if not page.items and (offset or before is not None or not allow_empty):
        raise Http404("Nothing published here.")
    return page


@dataclass
class NumberedPage:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def page_number(params):
    """?page=N as a number from 1 to MAX_NUMBERED_PAGE (1 when absent); 404 otherwise."""
    number = params.get("page", "1")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= MAX_NUMBERED_PAGE:
        raise Http404("No such page.")
    return int(number)


def numbered_page(queryset, params, page_size):
    """The ?page=N page of an ordered queryset, by offset: one more row than the page tells
    whether another follows, so nothing is counted. A page past the end is a 404."""
    number = page_number(params)
    offset = (number - 1) * page_size
    items = list(queryset[offset : offset + page_size + 1])
    if not items and number > 1:
        raise Http404("No such page.")
    return NumberedPage(items[:page_size], number, has_next=len(items) > page_size)
