"""The editorial calendar as an iCalendar file (RFC 5545), for calendar applications.

One VEVENT per piece: its UID is the piece's, so when a planned piece is scheduled, or a
scheduled one moves, calendar applications move the event rather than add another. SUMMARY
is the number and title, DTSTART the planned, scheduled or publication time (UTC), URL the
piece's change page, CATEGORIES and STATUS whether it is planned (TENTATIVE) or scheduled or
published (CONFIRMED). Nothing more: every property costs time in a feed of hundreds.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

# The feed's window: a month back (the calendar page keeps the whole history) and a year ahead.
# A subscribed calendar is fetched whole every time, so it stays short: at 100,000 pieces over
# 25 years a month is 330 events.
PAST_DAYS = 31
FUTURE_DAYS = 366
REFRESH = dt.timedelta(hours=1)  # how often calendar applications are asked to look again


def window(now):
    return now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS)


def uid(piece):
    """Stable per piece, whatever its title, state or time: the site's feed authority (as the
    feeds' tag: ids use it), never the host a request came by."""
    domain = settings.FEED_TAG_AUTHORITY.split(",")[0]
    return f"commentary-{piece.pk}@{domain}"


def feed(entries, *, base_url, now=None):
    """The iCalendar file's bytes; `base_url` makes the change pages' addresses absolute."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Editorial calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.SITE_NAME} editorial calendar")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the older name, which Outlook reads
    for entry in entries:
        piece = entry.piece
        event = Event()
        event.add("uid", uid(piece))
        event.add("dtstamp", now)
        event.add("dtstart", entry.at.astimezone(dt.UTC))
        event.add("summary", f"{piece.label} {piece.title}")
        event.add("categories", [entry.label])
        event.add("status", "TENTATIVE" if entry.kind == "planned" else "CONFIRMED")
        event.add(
            "url", base_url + reverse("admin:commentaries_commentary_change", args=[piece.pk])
        )
        calendar.add_component(event)
    return calendar.to_ical()
