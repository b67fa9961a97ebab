"""A piece by three authors in Chromium, at a phone's width and a desktop's: no sideways
scroll, Cite and Share open without JavaScript, and "Copy link" copies under the site's CSP."""

import pytest

from tests.factories import AuthorFactory, AuthorshipFactory, CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = [390, 1280]
# Every CSP violation, script error and console error the page reports, from its first moment.
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation",
  e => window.__problems.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI}`));
window.addEventListener("error", e => window.__problems.push(`error ${e.message}`));
"""


@pytest.fixture
def piece(transactional_db):
    commentary = CommentaryFactory(
        title="Three capitals, one strait: how Tokyo, Seoul and Washington keep deterrence credible",
        summary="Trilateral coordination needs standing mechanisms, not summit declarations.",
        key_points=["Institutionalise the trilateral secretariat.", "Share maritime data."],
        topics=["Maritime security"],
    )
    people = [
        ("Akiko", "Fukushima", "Senior Fellow", "Tokyo Foundation for Policy Research"),
        ("Ken", "Jimbo", "Professor", "Faculty of Policy Management, Keio University"),
        ("Yuki", "Tatsumi", "Co-Director, East Asia Program", "Stimson Center"),
    ]
    for position, (given, family, title, affiliation) in enumerate(people, 1):
        AuthorshipFactory(
            commentary=commentary,
            author=AuthorFactory(given_name=given, family_name=family),
            position=position,
            position_title=title,
            affiliation=affiliation,
            bio=f"<p>{given} {family} is {title} at {affiliation}.</p>",
        )
    return commentary


def open_page(browser, url, width, **options):
    context = browser.new_context(viewport={"width": width, "height": 844}, **options)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH)
    page.goto(url)
    return context, page, errors


@pytest.mark.parametrize("width", WIDTHS)
def test_three_authors_copy_link_and_no_sideways_scroll(browser, live_server, piece, width):
    url = live_server.url + piece.get_absolute_url()
    context, page, errors = open_page(
        browser, url, width, permissions=["clipboard-read", "clipboard-write"]
    )
    authors = page.locator(".byline-authors li")
    assert authors.count() == 3
    assert "Professor, Faculty of Policy Management" in authors.nth(1).inner_text()
    share = page.locator("details", has=page.locator("summary", has_text="Share"))
    copy = share.get_by_role("button", name="Copy link")
    assert not copy.is_visible()  # closed menu
    share.locator("summary").click()
    for name in ("X", "Facebook", "LinkedIn", "E-mail"):
        assert share.get_by_role("link", name=name).is_visible()
    copy.click()
    status = share.get_by_role("status")
    status.filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == copy.get_attribute("data-url")
    assert copy.get_attribute("data-url").endswith(piece.get_absolute_url())

    page.locator("summary", has_text="Cite").click()
    assert page.locator(".cite-this .citation").first.is_visible()
    assert not share.locator(".share-links").is_visible()  # one menu open at a time
    scroll = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll[0] <= scroll[1], scroll
    assert page.evaluate("window.__problems") == [] and errors == []
    page.screenshot(path=f"/tmp/piece-browser-{width}.png", full_page=True)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_the_menus_work_and_copy_link_is_absent(
    browser, live_server, piece, width
):
    url = live_server.url + piece.get_absolute_url()
    context, page, _ = open_page(browser, url, width, java_script_enabled=False)
    page.locator("summary", has_text="Share").click()
    assert page.get_by_role("link", name="LinkedIn").is_visible()
    assert page.get_by_role("button", name="Copy link").count() == 0  # hidden: not in the tree
    page.locator("summary", has_text="Cite").click()
    assert page.locator(".cite-this .citation").first.is_visible()
    scroll = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll[0] <= scroll[1], scroll
    context.close()
