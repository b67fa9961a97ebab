"""The whole editorial loop in Chromium, at 1280 and 390 px: a contributor writes a piece and
submits it; an editor returns it with a note; the contributor reads the note, mends the piece
and submits it again; the editor schedules it, finds it on the dashboard and the calendar, then
publishes it now. Each screen is saved to DESK_SCREENSHOTS (default: the test's temporary
directory) to be looked at."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commentaries.models import Commentary
from tests.browser.admin import editor_and_contributor, sign_in
from tests.factories import AuthorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = {"laptop": (1280, 860), "phone": (390, 844)}
TITLE = "Energy prices and the yen"


@pytest.fixture
def people(db):
    AuthorFactory(given_name="Kenji", family_name="Mori")
    return editor_and_contributor()


def row(page):
    return page.locator("#desk-actions")


def said(page):
    return page.locator(".messagelist li").first


@pytest.mark.parametrize("width", WIDTHS)
def test_a_piece_goes_round_the_loop_and_out(page, live_server, people, tmp_path, width):
    shots = Path(os.environ.get("DESK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def shot(name):
        page.screenshot(path=shots / f"loop-{name}-{width}.png", full_page=True)

    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))

    # The contributor writes and submits.
    sign_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/admin/commentaries/commentary/add/")
    page.fill("#id_title", TITLE)
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.type("A weak yen raises what Japan pays for energy.")
    page.fill("#id_summary", "What the yen's fall means for energy imports.")
    row(page).get_by_role("button", name="Save draft").click()
    expect(said(page)).to_have_text("No.211 saved")
    expect(row(page).get_by_role("button", name="Publish now")).to_have_count(0)
    shot("1-contributor-draft")
    row(page).get_by_role("button", name="Submit for review").click()
    expect(said(page)).to_have_text("No.211 submitted for review")
    expect(row(page)).to_contain_text("In review since")
    piece = Commentary.objects.get(number=211)
    assert piece.status == Commentary.Status.IN_REVIEW

    # The editor finds it waiting and returns it with a note.
    sign_in(page, live_server, "eddie")
    waiting = page.locator("section.desk-review")
    expect(waiting).to_contain_text(TITLE)
    shot("2-editor-dashboard")
    waiting.get_by_role("link", name=TITLE).click()
    row(page).get_by_text("Return to author…").click()
    page.fill("#id_return_note", "Add a key point on LNG contracts, please.")
    shot("3-editor-returns")
    row(page).get_by_role("button", name="Return to author", exact=True).click()
    expect(said(page)).to_have_text("No.211 returned to the author")

    # The contributor reads the note on the dashboard, mends the piece, submits again.
    sign_in(page, live_server, "carol")
    expect(page.locator("#content")).to_contain_text("Add a key point on LNG contracts")
    shot("4-contributor-returned")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_text("Add another Key point").click()
    page.fill("#id_key_points-0-text", "Long-term LNG contracts soften the blow.")
    row(page).get_by_role("button", name="Submit for review").click()
    expect(said(page)).to_have_text("No.211 submitted for review")

    # The editor schedules it for the day after tomorrow, 09:00 Tokyo time.
    sign_in(page, live_server, "eddie")
    page.locator("section.desk-review").get_by_role("link", name=TITLE).click()
    when = timezone.localtime() + dt.timedelta(days=2)
    row(page).get_by_text("Schedule…").click()
    page.fill("#id_schedule_at", when.strftime("%Y-%m-%dT09:00"))
    shot("5-editor-schedules")
    row(page).get_by_role("button", name="Schedule", exact=True).click()
    # No author yet: the warning is read, and the editor presses again.
    expect(row(page).locator(".desk-checks")).to_contain_text("There is no author")
    row(page).get_by_text("Schedule…").click()
    row(page).get_by_role("button", name="Schedule", exact=True).click()
    expect(said(page)).to_contain_text("No.211 scheduled for")
    expect(said(page)).to_contain_text("09:00 JST")
    expect(row(page)).to_contain_text("Scheduled for")

    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("section.desk-scheduled")).to_contain_text(TITLE)
    page.get_by_role("link", name="Calendar", exact=True).click()
    calendar = page.locator(".desk-calendar")
    if not calendar.get_by_text(TITLE).count():  # its day is next month
        page.get_by_role("link", name="Next", exact=False).first.click()
    expect(page.locator(".desk-calendar")).to_contain_text(TITLE)
    shot("6-editor-calendar")

    # Then it goes out now.
    page.goto(f"{live_server.url}/admin/")
    page.locator("section.desk-scheduled").get_by_role("link", name=TITLE).click()
    row(page).get_by_role("button", name="Publish now").click()
    expect(row(page).locator(".desk-checks")).to_contain_text("There is no author")
    row(page).get_by_role("button", name="Publish now").click()
    expect(said(page)).to_have_text("No.211 published")
    shot("7-editor-published")
    piece.refresh_from_db()
    assert piece.is_published() and piece.published_at <= timezone.now()

    page.goto(f"{live_server.url}/admin/commentaries/commentary/")
    expect(page.locator("#result_list")).to_contain_text(TITLE)
    shot("8-change-list")

    page.goto(f"{live_server.url}/admin/commentaries/commentary/{piece.pk}/history/")
    record = page.locator("#change-record")
    for line in (
        "Submitted for review",
        "Returned to author: Add a key point on LNG contracts, please.",
        "Scheduled for",
        "Published",
    ):
        expect(record).to_contain_text(line)
    expect(page.locator("#content")).not_to_contain_text("seen_version")
    shot("9-history")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
