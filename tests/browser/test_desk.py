"""The editors' desk in Chromium, as an editor and a contributor meet it on a laptop (1280 px)
and on a phone (390 px): the dashboard, the calendar by month and week, and making the
calendar's private address, under the site's Content-Security-Policy. Screenshots go to
DESK_SCREENSHOTS (default: the test's temporary directory) to be looked at."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commentaries.alerts.models import Delivery
from commentaries.models import Commentary
from commentaries.publishing.models import ReviewNote
from commentaries.scholarly import pdf
from commentaries.scholarly.models import PdfRendition
from tests.browser import admin
from tests.commentaries.alerts.helpers import subscriber
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Status = Commentary.Status
WIDTHS = {"laptop": (1280, 860), "phone": (390, 844)}
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation",
  e => window.__problems.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI}`));
window.addEventListener("error", e => window.__problems.push(`error ${e.message}`));
"""


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("DESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def desk(db):
    """A week at a think tank: pieces waiting, coming, planned, returned and out."""
    editor, contributor = admin.editor_and_contributor()
    now = timezone.now()

    def day(n, hour=9):
        return timezone.localtime(now).replace(hour=hour, minute=0) + dt.timedelta(days=n)

    mori = AuthorFactory(given_name="Kenji", family_name="Mori")
    tanabe = AuthorFactory(given_name="Aiko", family_name="Tanabe")
    osei = AuthorFactory(given_name="Brian", family_name="Osei")

    def make(title, status, by, authors, **fields):
        fields.setdefault("published_at", now - dt.timedelta(days=30))
        return CommentaryFactory(
            title=title, status=status, created_by=by, authors=authors, **fields
        )

    make(
        "Japan and the ROK after the summit: what bilateral cooperation can still achieve",
        Status.IN_REVIEW,
        contributor,
        [mori],
        submitted_at=now - dt.timedelta(days=4, hours=3),
        planned_at=day(3),
    )
    make(
        "Sea lanes and the rule of law",
        Status.IN_REVIEW,
        contributor,
        [tanabe, osei],
        submitted_at=now - dt.timedelta(hours=6),
    )
    make("Energy prices and the yen", Status.PUBLISHED, editor, [osei], published_at=day(1))
    make(
        "A quieter Pacific? Reading the defence white paper",
        Status.PUBLISHED,
        editor,
        [tanabe],
        published_at=day(5, 10),
    )
    make(
        "Semiconductor supply chains in a divided world",
        Status.DRAFT,
        editor,
        [mori],
        planned_at=day(8),
    )
    make("Notes on the Diet's new session", Status.DRAFT, editor, [])
    returned = make("Fisheries talks in the East China Sea", Status.DRAFT, contributor, [tanabe])
    ReviewNote.objects.create(
        commentary=returned,
        kind=ReviewNote.Kind.SUBMITTED,
        made_by=contributor,
        made_at=now - dt.timedelta(days=2),
    )
    ReviewNote.objects.create(
        commentary=returned,
        kind=ReviewNote.Kind.RETURNED,
        made_by=editor,
        made_at=now - dt.timedelta(hours=20),
        note="The key points repeat the summary; give the second one a figure, and shorten the title a little.",
    )
    make(
        "Local elections and national security",
        Status.DRAFT,
        contributor,
        [osei],
        planned_at=day(12),
    )
    out = make(
        "Why the G7 statement on economic security matters for Asia",
        Status.PUBLISHED,
        editor,
        [mori, tanabe],
        published_at=now - dt.timedelta(days=1, hours=2),
    )
    for n in range(3):
        Delivery.objects.create(
            subscriber=subscriber(f"reader{n}@example.org"), commentary=out, sent_at=now
        )
    PdfRendition.objects.create(
        commentary=out,
        edition=pdf.edition(out),
        file="pdf/x.pdf",
        etag="x",
        size=1,
        render_seconds=1,
    )
    make(
        "Taiwan Strait: the view from Okinawa",
        Status.PUBLISHED,
        editor,
        [osei],
        published_at=now - dt.timedelta(days=3),
    )
    make("Trade after the election", Status.PUBLISHED, editor, [tanabe], published_at=day(-2, 11))
    return {"editor": editor, "contributor": contributor}  # fmt: skip


def sign_in(page, live_server, username):
    page.add_init_script(WATCH)
    admin.sign_in(page, live_server, username)


def fits(page):
    """Nothing wider than the window: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_reads_the_desk_and_the_calendar(page, live_server, desk, shots, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    sign_in(page, live_server, "eddie")
    for heading in (
        "In review",
        "Scheduled",
        "My drafts",
        "Recently published",
        "Needs attention",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    review = page.locator("section.desk-review")
    expect(review.locator("a.desk-title").first).to_have_text(
        "Japan and the ROK after the summit: what bilateral cooperation can still achieve"
    )
    expect(review).to_contain_text("waiting 4 days")
    expect(page.locator("section.desk-published")).to_contain_text("Alerts3 sent")
    assert fits(page)
    page.screenshot(path=shots / f"dashboard-editor-{width}.png", full_page=True)

    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", name="Editorial calendar")).to_be_visible()
    expect(page.locator(".desk-calendar")).to_contain_text("Energy prices and the yen")
    assert fits(page)
    page.screenshot(path=shots / f"calendar-month-{width}.png", full_page=True)

    page.get_by_role("button", name="Create a private address").click()
    address = page.locator("#feed-url").input_value()
    assert address.startswith(f"{live_server.url}/desk/calendar/") and address.endswith(".ics")
    assert fits(page)
    page.locator("#calendar-feed").screenshot(path=shots / f"calendar-feed-{width}.png")

    page.get_by_role("link", name="Week").click()
    expect(page.get_by_role("heading", name="Week of", exact=False).first).to_be_visible()
    assert fits(page)
    page.screenshot(path=shots / f"calendar-week-{width}.png", full_page=True)
    assert page.evaluate("window.__problems") == []
    if width == "laptop":  # the admin follows the system's dark theme; so does the desk
        page.emulate_media(color_scheme="dark")
        page.goto(f"{live_server.url}/admin/calendar/")
        page.screenshot(path=shots / "calendar-month-dark.png", full_page=True)
        page.goto(f"{live_server.url}/admin/")
        page.screenshot(path=shots / "dashboard-editor-dark.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_contributor_reads_their_desk(page, live_server, desk, shots, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    sign_in(page, live_server, "carol")
    returned = page.locator("section.desk-returned")
    expect(returned.get_by_role("heading", name="Returned to you")).to_be_visible()
    expect(returned).to_contain_text("give the second one a figure")
    expect(returned).to_contain_text("returned by Eddie Editor")
    expect(page.get_by_role("link", name="Calendar", exact=True)).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Semiconductor supply chains")
    assert fits(page)
    page.screenshot(path=shots / f"dashboard-contributor-{width}.png", full_page=True)
    assert page.evaluate("window.__problems") == []
