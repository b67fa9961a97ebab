"""Lists that never count what they list.

Lists of pieces page by keyset, both ways: "Older" continues after the last piece shown
(?older=2015-05-15.210, its publication date and number), "Newer" before the first
(?newer=...). The address names a piece as readers know it, never a database id, and a page
deep in the archive costs what the first one does: the piece is found in the same query as the
page. A cursor whose piece has gone (withdrawn, or listed elsewhere) still names a day, and the
page starts there; a cursor past either end lands on the last or the first page; a malformed one
on the first page. The old ?before=<id> answers 301 with the new address. Numbered pages
(?page=N, as older links and crawlers have them) still work up to MAX_NUMBERED_PAGE, by offset
and without a count; other lists (the authors) page that way only.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone, translation

from commentaries.addresses import page_addresses

MAX_NUMBERED_PAGE = 500
# The order of every list of pieces, and of its keyset: two pieces share a time and a number
# only in different series on the same instant, which a cursor cannot tell apart.
NEWEST_FIRST = ("-published_at", "-number", "-pk")
OLDEST_FIRST = ("published_at", "number", "pk")
CURSOR = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.([0-9]{1,9})")


class PageMoved(Exception):
    """The page asked for lives at another address (keyset_page's redirects)."""

    def __init__(self, url, *, permanent=False):
        super().__init__(url)
        self.url, self.permanent = url, permanent

    def response(self):
        response = HttpResponseRedirect(self.url)
        response.status_code = 301 if self.permanent else 302
        return response


def cursor(piece):
    """A piece's place in a list: "2015-05-15.210", its publication date (the site's time
    zone) and number."""
    return f"{timezone.localtime(piece.published_at).date().isoformat()}.{piece.number}"


def parse_cursor(value):
    """(date, number) from a cursor, or None when it is not one."""
    match = CURSOR.fullmatch(value or "")
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        return None
    return day, int(match[2])


@dataclass
class KeysetPage:
    items: list
    has_older: bool
    has_newer: bool
    number: int | None = None  # ?page=N

    @property
    def older(self):
        return cursor(self.items[-1])

    @property
    def newer(self):
        return cursor(self.items[0])

    @property
    def first(self):
        return not self.has_newer

    @property
    def paged(self):
        return self.has_older or self.has_newer


def _day(day):
    """The instants a date of the site's calendar spans: [start, end)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _split(queryset, day, number, *, older):
    """(past, others): the pieces of `queryset` past the cursor (day, number) in the direction
    asked (older or newer than the piece it names, or, when the list holds no such piece, than
    the cursor's day as a whole), and the others, for whether a link the other way leads
    anywhere.

    One query with the page: the piece's time is a subquery the database runs once, and the
    bound on the day (a constant) lets the index scan start at the cursor, however deep."""
    start, end = _day(day)
    on_day = queryset.filter(number=number, published_at__gte=start, published_at__lt=end)
    if older:
        moment = on_day.order_by("-published_at").values("published_at")[:1]
        moment = Coalesce(Subquery(moment), Value(end))
        past = Q(published_at__lt=moment) | Q(published_at=moment, number__lt=number)
        return (
            queryset.filter(published_at__lt=end).filter(past),
            queryset.filter(published_at__gte=start).exclude(past),
        )
    moment = on_day.order_by("published_at").values("published_at")[:1]
    moment = Coalesce(Subquery(moment), Value(start - dt.timedelta(microseconds=1)))
    past = Q(published_at__gt=moment) | Q(published_at=moment, number__gt=number)
    return (
        queryset.filter(published_at__gte=start).filter(past),
        queryset.filter(published_at__lt=end).exclude(past),
    )


def keyset_page(request, queryset, page_size, *, allow_empty=True):
    """The page of `queryset` (pieces) the request's query asks for. Raises PageMoved for an
    address that has another (an old one, a malformed or stale one past either end) and
    Http404 for an empty list that must not be shown (allow_empty=False)."""
    params, path = request.GET, request.path
    queryset = queryset.order_by(*NEWEST_FIRST)
    if "before" in params:
        raise PageMoved(_before_address(queryset, params["before"], path), permanent=True)
    for direction in ("older", "newer"):
        if direction in params:
            position = parse_cursor(params[direction])
            if position is None:
                raise PageMoved(path)
            past, others = _split(queryset, *position, older=direction == "older")
            # Whether the other way holds anything, in the same query (run once, not per row).
            past = past.annotate(other_way=Exists(others.order_by()[:1]))
            if direction == "older":
                items = list(past[: page_size + 1])
                if not items:  # past the oldest piece: the last page
                    raise PageMoved(f"{path}?{urlencode({'newer': params['older']})}")
                return KeysetPage(items[:page_size], len(items) > page_size, items[0].other_way)
            items = list(past.order_by(*OLDEST_FIRST)[: page_size + 1])
            if len(items) <= page_size:  # the newest pieces: the first page has them
                raise PageMoved(path)
            return KeysetPage(items[:page_size][::-1], items[0].other_way, has_newer=True)
    if "page" in params:
        number = page_number(params)
        if number is None:
            raise PageMoved(path)
        offset = (number - 1) * page_size
        items = list(queryset[offset : offset + page_size + 1])
        if not items:  # the list has shrunk since
            raise PageMoved(path)
        return KeysetPage(items[:page_size], len(items) > page_size, number > 1, number)
    items = list(queryset[: page_size + 1])
    if not items and not allow_empty:
        raise Http404("Nothing published here.")
    return KeysetPage(items[:page_size], len(items) > page_size, has_newer=False)


def _before_address(queryset, before, path):
    """Where ?before=<id> (the old "Older" link) now is: ?older=<that piece's cursor>."""
    piece = None
    if before.isascii() and before.isdigit() and len(before) < 19:
        piece = queryset.model.objects.filter(pk=int(before)).only("published_at", "number")
        piece = piece.first()
    return f"{path}?{urlencode({'older': cursor(piece)})}" if piece else path


class KeysetListMixin:
    """For a ListView of pieces: keyset pages (keyset_page()) instead of a Paginator."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageMoved as moved:
            return moved.response()

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(self.request, queryset, page_size, allow_empty=self.allow_empty)
        return None, page, page.items, page.paged

    def get_allow_empty(self):
        # Emptiness is keyset_page()'s to judge (allow_empty), from the page it fetched:
        # ListView would ask the database first.
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.allow_empty:
            # A list with no pieces in a language answers 404 there: its other languages are
            # only those it has pieces in (addresses.alternates).
            context["alternates"] = page_addresses(self.request, exists_in=self.has_pieces_in)
        return context

    def has_pieces_in(self, code):
        """Whether the list has pieces in language `code` (its queryset made in it)."""
        with translation.override(code):
            return self.get_queryset().exists()


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
    """?page=N as a number from 1 to MAX_NUMBERED_PAGE (1 when absent); None otherwise."""
    number = params.get("page", "1")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= MAX_NUMBERED_PAGE:
        return None
    return int(number)


def numbered_page(queryset, params, page_size):
    """The ?page=N page of an ordered queryset, by offset: one more row than the page tells
    whether another follows, so nothing is counted. A page past the end is a 404."""
    number = page_number(params)
    if number is None:
        raise Http404("No such page.")
    offset = (number - 1) * page_size
    items = list(queryset[offset : offset + page_size + 1])
    if not items and number > 1:
        raise Http404("No such page.")
    return NumberedPage(items[:page_size], number, has_next=len(items) > page_size)
