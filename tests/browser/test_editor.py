import feedparser
import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from commentaries.models import Commentary
from tests.factories import AuthorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose_author(page, inline, name):
    """Pick an author in the autocomplete (select2) widget of one authorship inline."""
    inline.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_writes_previews_and_publishes(page, live_server, client):
    """An editor writes a piece with two key points and two co-authors in the rich-text editor,
    previews it, publishes it, and finds it on the home page and in the feed."""
    editor = User.objects.create_user(
        "editor", "editor@example.org", "a-Pass-12345", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    AuthorFactory(given_name="Aiko", family_name="Tanabe")
    AuthorFactory(given_name="Brian", family_name="Osei")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-Pass-12345")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/commentaries/commentary/add/")
    assert page.input_value("#id_number") == "211"
    page.locator("#id_title").press_sequentially("Sea lanes and the rule of law")
    assert page.input_value("#id_slug") == "sea-lanes-and-the-rule-of-law"
    page.fill("#id_published_at_0", "2020-04-01")
    page.fill("#id_published_at_1", "09:00:00")

    editor_area = page.locator(".field-body [contenteditable=true]")
    editor_area.click()
    page.keyboard.type("Freedom of navigation matters ")
    page.keyboard.press("Control+b")
    page.keyboard.type("to every trading nation")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")

    page.click("text=Add another Key point")
    page.click("text=Add another Key point")
    page.fill("#id_key_points-0-text", "Navigation rules protect small states.")
    page.fill("#id_key_points-1-text", "Japan should keep investing in maritime capacity.")

    page.click("text=Add another Author")
    page.click("text=Add another Author")
    choose_author(page, page.locator("#authorships-0"), "Aiko Tanabe")
    choose_author(page, page.locator("#authorships-1"), "Brian Osei")
    page.locator("#desk-actions").get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist .success")).to_have_text("No.211 saved")

    piece = Commentary.objects.get(number=211)
    assert piece.status == Commentary.Status.DRAFT
    assert "<strong>to every trading nation</strong>" in piece.body
    assert piece.byline == "Aiko Tanabe and Brian Osei"

    page.click("text=View on site")
    expect(page.locator(".preview-banner")).to_contain_text("Preview, not published")
    assert page.locator(".key-points li").count() == 2
    assert client.get("/commentaries/211/").status_code == 404  # readers still see nothing

    page.go_back()
    publish = page.locator("#desk-actions").get_by_role("button", name="Publish now")
    publish.click()
    # No summary: the warning is read, and the editor presses again.
    expect(page.locator(".desk-checks")).to_contain_text("There is no summary")
    page.locator("#desk-actions").get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist .success")).to_have_text("No.211 published")

    page.goto(f"{live_server.url}/")
    expect(page.locator("h2 a", has_text="Sea lanes and the rule of law")).to_have_count(1)
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert any("Sea lanes and the rule of law" in entry.title for entry in feed.entries)
