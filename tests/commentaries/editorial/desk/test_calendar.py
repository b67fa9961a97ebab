"""The editorial calendar: a month's grid and a week's list of planned, scheduled and published
pieces, for editors, and its private iCalendar feed, which answers without a session."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from commentaries.editorial.desk.models import CalendarFeed
from tests.commentaries.editorial.desk.helpers import Status, parse, piece, words
from tests.factories import AuthorFactory, staff_member

pytestmark = pytest.mark.django_db
CALENDAR = "/admin/calendar/"
TOKYO = dt.timezone(dt.timedelta(hours=9))
# 10:00 in Tokyo on Wednesday 9 December 2026: the calendar's "today".
NOW = dt.datetime(2026, 12, 9, 10, 0, tzinfo=TOKYO)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pieces(editor, contributor):
    at = lambda day, hour=9: dt.datetime(2026, 12, day, hour, tzinfo=TOKYO)  # noqa: E731
    other = staff_member("other", "Contributors")
    return {
        "planned": piece("Planned draft", Status.DRAFT, contributor, planned_at=at(14)),
        "planned review": piece("Planned review", Status.IN_REVIEW, other, planned_at=at(15)),
        "scheduled": piece("Scheduled piece", Status.PUBLISHED, editor, published_at=at(11)),
        "published": piece("Published piece", Status.PUBLISHED, editor, published_at=at(2)),
        "next month": piece("January piece", Status.PUBLISHED, editor, published_at=at(1) + dt.timedelta(days=40)),
        "unplanned": piece("Unplanned draft", Status.DRAFT, editor),
        "withdrawn": piece("Withdrawn piece", Status.WITHDRAWN, editor, published_at=at(3)),
    }  # fmt: skip


def entries(response):
    """The words of every entry on a calendar page, in page order."""
    return [words(a) for a in parse(response).xpath("//a[contains(@class, 'desk-entry')]")]


def test_the_month_shows_planned_scheduled_and_published_pieces_by_day(client, editor, pieces):
    client.force_login(editor)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    page = parse(response)
    assert words(page.xpath("//h2")[0]) == "December 2026"
    shown = entries(response)
    assert shown == [
        f"Published 09:00 No.{pieces['published'].number} Published piece",
        f"Scheduled 09:00 No.{pieces['scheduled'].number} Scheduled piece",
        f"Planned 09:00 No.{pieces['planned'].number} Planned draft",
        f"Planned 09:00 No.{pieces['planned review'].number} Planned review",
    ]
    scheduled = page.xpath("//td[.//a[contains(., 'Scheduled piece')]]")[0]
    assert words(scheduled.xpath(".//p[@class='desk-day']")[0]).startswith("Fri 11")
    link = page.xpath("//a[contains(., 'Scheduled piece')]/@href")[0]
    assert link == reverse("admin:commentaries_commentary_change", args=[pieces["scheduled"].pk])
    today = page.xpath("//td[contains(@class, 'desk-today')]")[0]
    assert "Wed 9" in words(today) and "today" in words(today)


def test_previous_and_next_months_and_the_week(client, editor, pieces):
    client.force_login(editor)
    page = parse(client.get(CALENDAR))
    nav = {words(a): a.get("href") for a in page.xpath("//nav[@class='desk-calnav']//a")}
    assert nav["‹ November"] == "?month=2026-11" and nav["January ›"] == "?month=2027-01"
    following = client.get(CALENDAR + nav["January ›"])
    assert entries(following) == [
        f"Scheduled 09:00 No.{pieces['next month'].number} January piece"
    ]
    week = client.get(CALENDAR + "?week=2026-12-10")
    page = parse(week)
    assert words(page.xpath("//h2")[0]) == "Week of 7 December 2026"
    days = [words(h) for h in page.xpath("//ol[@class='desk-week']/li/h3")]
    assert days[0] == "Monday 7 December" and days[-1] == "Sunday 13 December"
    assert [e.split(" No.")[1] for e in entries(week)] == [
        f"{pieces['scheduled'].number} Scheduled piece"
    ]
    nav = {words(a): a.get("href") for a in page.xpath("//nav[@class='desk-calnav']//a")}
    assert nav["Next week ›"] == "?week=2026-12-14"


def test_a_busy_day_shows_four_and_links_its_week(client, editor):
    for n in range(6):
        piece(f"Busy {n}", Status.PUBLISHED, editor, published_at=NOW + dt.timedelta(minutes=n))
    client.force_login(editor)
    page = parse(client.get(CALENDAR))
    today = page.xpath("//td[contains(@class, 'desk-today')]")[0]
    assert len(today.xpath(".//a[contains(@class, 'desk-entry')]")) == 4
    assert today.xpath(".//a[@class='desk-more-day']/text()") == ["2 more"]
    assert today.xpath(".//a[@class='desk-more-day']/@href") == ["?week=2026-12-09"]


@pytest.mark.parametrize(
    "query",
    [
        "?month=2026-13",
        "?month=2026-00",
        "?month=99999-01",
        "?month=0999-12",
        "?month=abc",
        "?month=2026-1",
        "?month=%F0%9D%95%8F",
        "?week=2026-02-30",
        "?week=99999-01-01",
        "?week=yesterday",
    ],
)
def test_a_month_or_week_that_cannot_be_is_a_clear_404(client, editor, query):
    client.force_login(editor)
    response = client.get(CALENDAR + query)
    assert response.status_code == 404
    page = parse(response)
    said = words(page.xpath("//p[@class='errornote']")[0])
    assert re.search(r"write it like 2026-12(-09)?\.$|runs from 1000 to 9998", said), said
    assert page.xpath("//a[normalize-space()='Go to this month']/@href") == ["?month=2026-12"]


@pytest.mark.parametrize("query", ["?year=99999", "?month=", "?week=", "?month=9998-12"])
def test_other_odd_addresses_are_a_sensible_page(client, editor, query):
    client.force_login(editor)
    response = client.get(CALENDAR + query)
    assert response.status_code == 200
    if query == "?month=9998-12":  # the calendar's last month: nothing after it
        assert "›" not in words(parse(response).xpath("//nav[@class='desk-calnav']")[0])


def test_the_calendar_is_for_editors(client, contributor, pieces):
    client.force_login(contributor)
    assert client.get(CALENDAR).status_code == 403
    assert client.post(CALENDAR + "feed/", {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()
    assert client.get("/admin/").status_code == 200
    assert b"Calendar" not in client.get("/admin/").content


# The feed


def make_feed(client, user):
    client.force_login(user)
    response = client.post(CALENDAR + "feed/", {"action": "create", "back": "?month=2026-11"})
    assert response.status_code == 302
    assert response["Location"] == CALENDAR + "?month=2026-11#calendar-feed"
    page = parse(client.get(CALENDAR))
    [address] = page.xpath("//input[@id='feed-url'][@readonly]/@value")
    [webcal] = page.xpath("//a[starts-with(@href, 'webcal:')]/@href")
    assert webcal == "webcal:" + address.split(":", 1)[1]
    return address.removeprefix("http://testserver")


def fetch(path):
    """The feed as a calendar application gets it: no session, no cookies."""
    return Client().get(path)


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_answers_without_a_session_with_one_event_a_piece(client, editor, pieces):
    address = make_feed(client, editor)
    assert re.fullmatch(r"/desk/calendar/[0-9a-f]{64}\.ics", address)
    found = events(fetch(address))
    scheduled = pieces["scheduled"]
    event = found[f"No.{scheduled.number} Scheduled piece"]
    assert event.decoded("DTSTART") == scheduled.published_at
    assert str(event["URL"]) == "http://testserver" + reverse(
        "admin:commentaries_commentary_change", args=[scheduled.pk]
    )
    assert str(event["STATUS"]) == "CONFIRMED"
    planned = found[f"No.{pieces['planned'].number} Planned draft"]
    assert str(planned["STATUS"]) == "TENTATIVE"
    assert "Unplanned draft" not in str(found) and "Withdrawn piece" not in str(found)
    assert len(found) == 5  # planned twice, scheduled, published, January's


def test_a_piece_keeps_its_uid_as_it_moves(client, editor, pieces):
    address = make_feed(client, editor)
    draft = pieces["planned"]
    before = events(fetch(address))[f"No.{draft.number} Planned draft"]["UID"]
    type(draft).objects.filter(pk=draft.pk).update(
        title="Now scheduled", status=Status.PUBLISHED, published_at=NOW + dt.timedelta(days=2)
    )
    after = events(fetch(address))[f"No.{draft.number} Now scheduled"]["UID"]
    assert before == after


def test_revoking_and_making_anew(client, editor, pieces):
    first = make_feed(client, editor)
    client.post(CALENDAR + "feed/", {"action": "renew"})
    second = parse(client.get(CALENDAR)).xpath("//input[@id='feed-url']/@value")[0]
    second = second.removeprefix("http://testserver")
    assert second != first
    assert fetch(first).status_code == 404
    assert fetch(second).status_code == 200
    client.post(CALENDAR + "feed/", {"action": "revoke"})
    assert fetch(second).status_code == 404
    page = parse(client.get(CALENDAR))
    assert not page.xpath("//input[@id='feed-url']")
    assert page.xpath("//button[normalize-space()='Create a private address']")


def test_unknown_and_forged_tokens_are_404(client, editor, pieces):
    address = make_feed(client, editor)
    token = address.removeprefix("/desk/calendar/").removesuffix(".ics")
    forged = token[:24] + ("0" if token[24] != "0" else "1") + token[25:]
    for path in (
        f"/desk/calendar/{forged}.ics",  # the right key, a wrong signature
        f"/desk/calendar/{'ab' * 32}.ics",  # no such key
        f"/desk/calendar/{token[:-1]}.ics",  # too short
        f"/desk/calendar/{token.upper()}.ics",
    ):
        assert fetch(path).status_code == 404, path


def test_a_deactivated_owner_or_one_who_is_no_longer_an_editor_has_no_feed(client, editor, pieces):
    address = make_feed(client, editor)
    editor.is_active = False
    editor.save()
    assert fetch(address).status_code == 404
    editor.is_active = True
    editor.save()
    assert fetch(address).status_code == 200
    editor.groups.set([Group.objects.get(name="Contributors")])
    assert fetch(address).status_code == 404


def test_the_feed_survives_a_secret_key_rotation_while_the_old_key_is_a_fallback(
    client, editor, pieces, settings
):
    address = make_feed(client, editor)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-" * 8, [old]
    assert fetch(address).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert fetch(address).status_code == 404


def test_one_editor_never_touches_another_editors_feed(client, editor, superuser, pieces):
    mine = make_feed(client, editor)
    theirs = make_feed(Client(), superuser)
    assert mine != theirs
    client.force_login(editor)
    client.post(CALENDAR + "feed/", {"action": "revoke"})
    assert fetch(mine).status_code == 404
    assert fetch(theirs).status_code == 200


def test_a_contributor_never_sees_others_drafts_anywhere(client, contributor, editor, pieces):
    """Not on the dashboard, not in the calendar, not in a feed, even one made while they were
    an editor."""
    contributor.groups.add(Group.objects.get(name="Editors"))
    address = make_feed(client, contributor)
    contributor.groups.set([Group.objects.get(name="Contributors")])
    assert fetch(address).status_code == 404
    client.force_login(contributor)
    assert client.get(CALENDAR).status_code == 403
    home = client.get("/admin/").content.decode()
    assert "Planned review" not in home and "Unplanned draft" not in home
    assert "Planned draft" in home  # their own


def test_the_feed_and_the_calendar_cost_the_same_however_many_pieces(client, editor):
    """Guards against a query per entry."""

    def queries(path, session=True):
        with CaptureQueriesContext(connection) as captured:
            response = (client if session else Client()).get(path)
            assert response.status_code == 200
        return len(captured)

    address = make_feed(client, editor)
    author = AuthorFactory()
    piece("First", Status.PUBLISHED, editor, published_at=NOW, authors=[author])
    counts = queries(CALENDAR), queries(CALENDAR + "?week=2026-12-09"), queries(address, False)
    for n in range(30):
        when = NOW + dt.timedelta(hours=n * 7)
        piece(f"More {n}", Status.PUBLISHED, editor, published_at=when, authors=[author])
        piece(f"Planned {n}", Status.DRAFT, editor, planned_at=when)
    again = queries(CALENDAR), queries(CALENDAR + "?week=2026-12-09"), queries(address, False)
    assert again == counts
    # Session, user, the two-step check (accounts), permissions, then the calendar itself.
    assert counts[0] <= 7 and counts[2] <= 5, counts
