"""The desk's pages: the dashboard (the admin's home, by EditorsAdminSite.index), the calendar
with its feed address (admin URLs, by EditorsAdminSite.get_urls), and the iCalendar feed itself,
which answers calendar applications without a session (urls.py): its token is the credential.
"""

import datetime as dt
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_safe

from commentaries.editorial import permissions
from commentaries.editorial.desk import agenda, ical
from commentaries.editorial.desk.dashboard import has_desk, sections
from commentaries.editorial.desk.models import CalendarFeed

__all__ = ["admin_urls", "calendar_feed", "dashboard", "has_desk"]

BACK = re.compile(r"\?(month=[0-9]{4}-[0-9]{2}|week=[0-9]{4}-[0-9]{2}-[0-9]{2})")
DAY_LIMIT = 4  # entries a day's square shows in the month; the week lists them all


def admin_urls(site):
    """The calendar's pages, under the admin's address and its login."""

    def calendar_view(request):
        return calendar_page(site, request)

    def feed_address_view(request):
        return feed_address(site, request)

    return [
        path("calendar/", site.admin_view(calendar_view), name="calendar"),
        path("calendar/feed/", site.admin_view(feed_address_view), name="calendar_feed"),
    ]


def dashboard(site, request, extra_context=None):
    """The admin's home page for editors and contributors (EditorsAdminSite.index)."""
    user = request.user
    context = {
        **site.each_context(request),
        "title": "Your desk",
        "app_list": site.get_app_list(request),
        "sections": sections(user, timezone.now()),
        "may_add": permissions.can_add(user),
        "may_plan": permissions.is_editor(user),
        **(extra_context or {}),
    }
    request.current_app = site.name
    return TemplateResponse(request, "desk/dashboard.html", context)


def site_address(request):
    """The site's public address: SITE_URL, else the one this request came by."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def feed_urls(request, feed):
    """(https address, webcal address) of a calendar feed."""
    address = site_address(request) + reverse("desk:calendar-feed", args=[feed.token])
    return address, "webcal" + address[address.index(":") :]


def calendar_page(site, request):
    """The editorial calendar: a month's grid (?month=2026-12) or a week's list
    (?week=<any day of it>), and the private feed's address."""
    user = request.user
    if not permissions.is_editor(user):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        **site.each_context(request),
        "title": "Editorial calendar",
        "today": today,
    }
    status = 200
    try:
        if "week" in request.GET:
            context.update(week(user, agenda.parse_week(request.GET["week"], today), today))
        else:
            context.update(month(user, agenda.parse_month(request.GET.get("month"), today), today))
    except agenda.NoSuchPeriod as problem:
        context.update(error=str(problem), this_month=f"?month={today:%Y-%m}")
        status = 404
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        context["feed_url"], context["webcal_url"] = feed_urls(request, feed)
    context["has_feed"] = feed is not None
    request.current_app = site.name
    return TemplateResponse(request, "desk/calendar.html", context, status=status)


def month(user, first, today):
    weeks = agenda.month_weeks(first)
    start, end = weeks[0][0], weeks[-1][-1] + dt.timedelta(days=1)
    days = agenda.by_day(agenda.entries(user, agenda.midnight(start), agenda.midnight(end)))
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "entries": days.get(day, [])[:DAY_LIMIT],
                "more": max(0, len(days.get(day, [])) - DAY_LIMIT),
                "week": f"?week={day:%Y-%m-%d}",
            }
            for day in week
        ]
        for week in weeks
    ]
    listed = [
        {"date": day, "today": day == today, "entries": days[day]}
        for day in sorted(days)
        if day.month == first.month
    ]
    before, after = agenda.shift_month(first, -1), agenda.shift_month(first, 1)
    return {
        "view": "month",
        "here": f"?month={first:%Y-%m}",
        "subtitle": dateformat.format(first, "F Y"),
        "grid": grid,
        "listed": listed,
        "previous": nav(before, f"?month={before:%Y-%m}", "‹ " + dateformat.format(before, "F"),
                        "Previous month, " + dateformat.format(before, "F Y")),
        "next": nav(after, f"?month={after:%Y-%m}", dateformat.format(after, "F") + " ›",
                    "Next month, " + dateformat.format(after, "F Y")),
        "other_view": ("Week", f"?week={(today if today.replace(day=1) == first else first):%Y-%m-%d}"),
    }  # fmt: skip


def week(user, monday, today):
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    found = agenda.by_day(
        agenda.entries(
            user, agenda.midnight(days[0]), agenda.midnight(days[-1]) + dt.timedelta(days=1)
        )
    )
    before, after = monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    return {
        "view": "week",
        "here": f"?week={monday:%Y-%m-%d}",
        "subtitle": "Week of " + dateformat.format(monday, "j F Y"),
        "listed": [{"date": day, "today": day == today, "entries": found.get(day, [])} for day in days],
        "previous": nav(before, f"?week={before:%Y-%m-%d}", "‹ Previous week", "Previous week"),
        "next": nav(after, f"?week={after:%Y-%m-%d}", "Next week ›", "Next week"),
        "other_view": ("Month", f"?month={monday:%Y-%m}"),
    }  # fmt: skip


def nav(day, query, words, label):
    """A link to the previous or next month or week; none past the calendar's years."""
    return {"url": query, "words": words, "label": label} if agenda.in_range(day) else None


def feed_address(site, request):
    """Make, make anew or revoke the editor's private feed address (POST)."""
    user = request.user
    if not permissions.is_editor(user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(reverse("admin:calendar", current_app=site.name) + "#calendar-feed")
    action = request.POST.get("action", "")
    with transaction.atomic():
        had = CalendarFeed.objects.filter(user=user).delete()[0] > 0
        if action in ("create", "renew"):
            CalendarFeed.objects.create(user=user)
    if action in ("create", "renew"):
        said = "Your calendar feed has a new private address"
        said += "; the old one has stopped working." if had else "."
        messages.success(request, said)
    elif had:
        messages.success(request, "Your calendar feed's address has stopped working.")
    back = request.POST.get("back", "")
    query = back if BACK.fullmatch(back) else ""  # the month or week the editor was on
    return redirect(reverse("admin:calendar", current_app=site.name) + query + "#calendar-feed")


@require_safe
def calendar_feed(request, token):
    """The editorial calendar for a calendar application: no session, the token decides. An
    unknown or revoked token, or one whose owner is no longer an active editor, is a 404."""
    feed = CalendarFeed.for_token(token)
    if feed is None or not permissions.is_editor(feed.user):
        raise Http404("No such calendar.")
    start, end = ical.window(timezone.now())
    found = agenda.entries(feed.user, start, end)
    response = HttpResponse(
        ical.feed(found, base_url=site_address(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="editorial-calendar.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
