"""The commentary form in Chromium, under the admin's Content-Security-Policy: key points moved
by dragging and by the keyboard, a topic chip added by typing, an author picked and the bio as
published filled from their profile. Screenshots at 1280 and 390 px wide go to SCREENSHOT_DIR
(else the test's temporary directory)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from commentaries.models import Commentary
from tests.browser.test_admin_csp import WATCH, problems
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def draft():
    editor = User.objects.create_superuser("editor", "editor@example.org", "a-Pass-12345")
    CommentaryFactory(topics=["Japan-ROK relations", "Maritime security"])  # a public piece
    AuthorFactory(
        given_name="Aiko",
        family_name="Tanabe",
        position="Senior Fellow",
        affiliation="The Japan Institute of International Affairs",
        bio="<p>Aiko Tanabe studies maritime law in East Asia.</p>",
    )
    return CommentaryFactory(
        status=Commentary.Status.DRAFT,
        created_by=editor,
        title="Sea lanes and the rule of law",
        key_points=[
            "Navigation rules protect small states.",
            "Japan should keep investing in maritime capacity.",
            "Allies should coordinate patrols.",
        ],
    )


def sign_in(page, live_server):
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-Pass-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def key_points(page):
    return page.locator("#key_points-group tr.form-row:not(.empty-form) textarea").evaluate_all(
        "areas => areas.map(area => area.value)"
    )


def positions(page):
    return page.locator("#key_points-group tr.form-row:not(.empty-form) [data-order-position]")


def drag(page, handle, target):
    """Press the handle, move the pointer onto the upper part of the target row, let go."""
    target.scroll_into_view_if_needed()
    handle.scroll_into_view_if_needed()
    start, end = handle.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + 20, end["y"] + 4, steps=12)
    page.mouse.up()


def shoot_with_what_is_offered(page, path):
    """The topics field and the list offered under it (which overflows the field's row)."""
    page.locator(".field-tags").scroll_into_view_if_needed()
    field = page.locator(".field-tags").bounding_box()  # in the viewport's coordinates
    listed = page.locator(".topic-chips-offered").bounding_box()
    bottom = max(field["y"] + field["height"], listed["y"] + listed["height"]) + 8
    left, top = max(field["x"] - 8, 0), max(field["y"] - 8, 0)
    right = min(field["x"] + field["width"] + 8, page.viewport_size["width"])
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    page.screenshot(path=path, clip=clip)


def test_order_topics_and_authors_by_hand(page, live_server, draft, shots):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/commentaries/commentary/{draft.pk}/change/")

    # Key points: the third dragged to the top, then the first moved down by the keyboard.
    rows = page.locator("#key_points-group tr.form-row:not(.empty-form)")
    expect(rows.nth(0).locator(".order-handle")).to_be_visible()
    drag(page, rows.nth(2).locator(".order-handle"), rows.nth(0))
    assert key_points(page) == [
        "Allies should coordinate patrols.",
        "Navigation rules protect small states.",
        "Japan should keep investing in maritime capacity.",
    ]
    rows.nth(0).locator(".order-down").focus()
    page.keyboard.press("Enter")
    assert key_points(page)[:2] == [
        "Navigation rules protect small states.",
        "Allies should coordinate patrols.",
    ]
    expect(page.locator("#key_points-group .order-status")).to_have_text(
        "Moved to position 2 of 3."
    )
    assert positions(page).evaluate_all("inputs => inputs.map(i => i.value)") == ["1", "2", "3"]

    # Topics: an existing one picked from those offered, a new one with a comma typed in.
    topics = page.locator(".topic-chips input[role=combobox]")
    topics.press_sequentially("rok")
    offered = page.locator(".topic-chips-offered [role=option]")
    expect(offered).to_have_text(["Japan-ROK relations"])
    topics.press("ArrowDown")
    topics.press("Enter")
    topics.press_sequentially("Korea, South")
    topics.press("Enter")
    chips = page.locator(".topic-chip span")
    expect(chips).to_have_text(["Japan-ROK relations", "Korea, South"])
    topics.press_sequentially("mar")
    expect(offered).to_have_text(["Maritime security"])
    shoot_with_what_is_offered(page, shots / "topics-1280.png")
    topics.press("Escape")
    expect(offered).to_have_count(0)
    topics.fill("")  # else what is left typed becomes a topic when the form is sent

    # An author picked: position, affiliation and the bio editor filled from the profile.
    page.click("text=Add another Author")
    authorship = page.locator("#authorships-0")
    authorship.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Tanabe")
    page.locator(".select2-results__option", has_text="Aiko Tanabe").click()
    expect(page.locator("#id_authorships-0-position_title")).to_have_value("Senior Fellow")
    expect(page.locator("#id_authorships-0-affiliation")).to_have_value(
        "The Japan Institute of International Affairs"
    )
    bio = authorship.locator(".field-bio [contenteditable=true]")
    expect(bio).to_contain_text("Aiko Tanabe studies maritime law in East Asia.")
    page.locator("#id_authorships-0-affiliation").fill("JIIA (on leave)")  # still editable
    page.locator("#key_points-group").screenshot(path=shots / "key-points-1280.png")
    authorship.screenshot(path=shots / "authorship-1280.png")
    assert problems(page) == []

    page.locator("#desk-actions").get_by_role("button", name="Save").first.click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    draft.refresh_from_db()
    assert [point.text for point in draft.ordered_key_points] == [
        "Navigation rules protect small states.",
        "Allies should coordinate patrols.",
        "Japan should keep investing in maritime capacity.",
    ]
    assert sorted(draft.tags.names()) == ["Japan-ROK relations", "Korea, South"]
    (authorship,) = draft.authorships.all()
    assert authorship.position_title == "Senior Fellow"
    assert authorship.affiliation == "JIIA (on leave)"
    assert "maritime law" in authorship.bio

    # On a phone: the same controls, reachable and legible.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".topic-chip span")).to_have_text(["Japan-ROK relations", "Korea, South"])
    page.locator(".topic-chips input[role=combobox]").press_sequentially("secu")
    expect(offered).to_have_text(["East Asian security", "Maritime security"])
    shoot_with_what_is_offered(page, shots / "topics-390.png")
    page.locator("#key_points-group").screenshot(path=shots / "key-points-390.png")
    page.locator("#authorships-0").screenshot(path=shots / "authorship-390.png")
    page.locator("#authorships-0 .order-up").click()  # the only row: stays, and says so
    expect(page.locator("#authorships-group .order-status")).to_have_text("Already first.")
    assert problems(page) == []


def test_rows_added_moved_and_removed_are_saved_as_shown(page, live_server, draft):
    """Django renumbers the rows' form prefixes in page order when an unsaved row is removed;
    with a new row moved above saved ones, the saved rows must still be saved as themselves."""
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/commentaries/commentary/{draft.pk}/change/")
    page.click("text=Add another Key point")
    page.click("text=Add another Key point")
    page.fill("#id_key_points-3-text", "A new first point.")
    page.fill("#id_key_points-4-text", "Removed before saving.")
    new = page.locator("#key_points-3")
    for _ in range(3):
        new.locator(".order-up").click()
    page.locator("#key_points-4 .inline-deletelink").click()
    assert key_points(page) == [
        "A new first point.",
        "Navigation rules protect small states.",
        "Japan should keep investing in maritime capacity.",
        "Allies should coordinate patrols.",
    ]
    page.locator("#desk-actions").get_by_role("button", name="Save").first.click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert [point.text for point in draft.ordered_key_points] == key_points(page)
    assert draft.key_points.count() == 4
    assert problems(page) == []
