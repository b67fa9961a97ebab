"""The editorial calendar's entries: pieces planned, scheduled and published, by day in the
site's time zone (TIME_ZONE, Asia/Tokyo).

A draft or a piece in review with a planned date is *planned* on that day (planning is not
scheduling: nothing happens at that time); a published piece is *scheduled* until its
publication time comes, then *published*. Withdrawn pieces are left out. One query over two
indexes (planned_pieces; the status and publication time) finds a range's entries.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from commentaries.editorial import permissions
from commentaries.models import Commentary

Status = Commentary.Status
PLANNABLE = (Status.DRAFT, Status.IN_REVIEW)
ENTRY_LIMIT = 2000  # a month of a busy archive holds a few hundred
# Addresses name months and weeks in years the calendar can show, and the months on either
# side of them: date arithmetic, and times converted to UTC, stay within Python's range.
FIRST_YEAR, LAST_YEAR = 1000, 9998
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class NoSuchPeriod(ValueError):
    """A month or week the calendar cannot show: mistyped, or out of its years."""


@dataclass(frozen=True)
class Entry:
    piece: Commentary
    kind: str  # "planned", "scheduled" or "published"
    at: dt.datetime

    @property
    def label(self):
        return self.kind.capitalize()

    @property
    def day(self):
        return timezone.localtime(self.at).date()


def entries(user, start, end):
    """The entries from `start` to `end` (aware datetimes, end excluded) among the pieces
    `user` may see, in time order."""
    pieces = permissions.visible(user).filter(
        Q(status__in=PLANNABLE, planned_at__gte=start, planned_at__lt=end)
        | Q(status=Status.PUBLISHED, published_at__gte=start, published_at__lt=end)
    )
    pieces = pieces.select_related("series").defer("body", "summary", "withdrawal_reason")
    now = timezone.now()
    found = []
    for piece in pieces.order_by()[:ENTRY_LIMIT]:
        if piece.status == Status.PUBLISHED:
            kind = "scheduled" if piece.published_at > now else "published"
            found.append(Entry(piece, kind, piece.published_at))
        else:
            found.append(Entry(piece, "planned", piece.planned_at))
    found.sort(key=lambda entry: (entry.at, entry.piece.number))
    return found


def midnight(day):
    """The start of `day` in the site's zone, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def by_day(found):
    days = {}
    for entry in found:
        days.setdefault(entry.day, []).append(entry)
    return days


def parse_month(value, today):
    """The month "2026-12" as its first day of that month; no value, this month."""
    if not value:
        return today.replace(day=1)
    match = MONTH.fullmatch(value)
    if not match:
        raise NoSuchPeriod(f"“{value[:20]}” is not a month: write it like {today:%Y-%m}.")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise NoSuchPeriod(f"There is no month {month} in a year: write it like {today:%Y-%m}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NoSuchPeriod(f"The calendar runs from {FIRST_YEAR} to {LAST_YEAR}.")
    return dt.date(year, month, 1)


def parse_week(value, today):
    """Any day as the Monday of its week; no value, this week."""
    day = today
    if value:
        try:
            if not DAY.fullmatch(value):
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise NoSuchPeriod(
                f"“{value[:20]}” is not a day: write it like {today:%Y-%m-%d}."
            ) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise NoSuchPeriod(f"The calendar runs from {FIRST_YEAR} to {LAST_YEAR}.")
    return day - dt.timedelta(days=day.weekday())


def month_weeks(first):
    """The weeks (Monday to Sunday) that show the month of `first`, as lists of dates."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)


def shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def in_range(day):
    return FIRST_YEAR <= day.year <= LAST_YEAR
