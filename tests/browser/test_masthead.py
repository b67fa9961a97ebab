"""The masthead and footer in Chromium at a phone's width and a desktop's, JavaScript off:
full width, search as a field or a link, every section in reach, nothing sideways."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SECTIONS = ["Commentaries", "Topics", "Authors", "Archive", "About", "Subscribe"]
PAGES = ["/", "/commentaries/210/", "/archive/", "/subscribe/", "/privacy/", "/search/?q=Japan",
         "/ja/", "/ja/archive/", "/ja/subscribe/"]  # fmt: skip
HEIGHT = 844


def open_page(browser, url, width):
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser, live_server, width):
    context, page = open_page(browser, live_server.url, width)
    for path in PAGES:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        header = page.locator("header.site-header").bounding_box()
        assert (header["x"], header["width"]) == (0, width), path  # full width, not the column
    context.close()


def test_desktop_masthead_has_the_search_field_beside_the_publisher(
    browser, live_server, tmp_path
):
    context, page = open_page(browser, live_server.url, 1280)
    page.screenshot(path=tmp_path / "masthead-1280.png", full_page=True)
    header = page.locator("header.site-header")
    name = header.locator(".site-name")
    field = header.get_by_role("searchbox", name="Search commentaries")
    assert field.is_visible() and not header.locator(".search-link").is_visible()
    # One row: the field sits beside the publisher's name, not wrapped under the sections.
    name_box, field_box = name.bounding_box(), field.bounding_box()
    nav_box = header.get_by_role("navigation", name="Site").bounding_box()
    assert field_box["y"] < nav_box["y"] and field_box["x"] > name_box["x"] + name_box["width"]
    assert field_box["x"] + field_box["width"] > 640 + (1280 - 640) / 2  # past the column
    assert header.bounding_box()["height"] < HEIGHT / 5
    nav = header.get_by_role("navigation", name="Site")
    assert [link.inner_text() for link in nav.get_by_role("link").all()] == SECTIONS
    field.fill("comfort women")
    field.press("Enter")
    page.wait_for_url("**/search/?q=comfort+women")
    assert page.locator("main h1").is_visible()
    context.close()


def test_phone_masthead_has_a_search_link_and_every_section(browser, live_server, tmp_path):
    context, page = open_page(browser, live_server.url, 390)
    page.screenshot(path=tmp_path / "masthead-390.png", full_page=True)
    header = page.locator("header.site-header")
    assert not header.get_by_role("searchbox").is_visible()
    assert header.bounding_box()["height"] < HEIGHT / 3
    nav = header.get_by_role("navigation", name="Site")
    for label in SECTIONS:
        box = nav.get_by_role("link", name=label, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, label  # in view, not cut off
        assert box["height"] >= 24, label  # WCAG 2.2 target size
    header.get_by_role("link", name="Search", exact=True).click()
    page.wait_for_url("**/search/")
    assert page.get_by_role("searchbox").first.is_visible()
    page.locator("header").get_by_role("link", name="Subscribe").click()
    page.wait_for_url("**/subscribe/")
    assert page.locator("main h1").inner_text() == "Subscribe"
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_footer_names_the_publisher_and_leads_to_privacy_and_feeds(browser, live_server, width):
    context, page = open_page(browser, live_server.url + "/archive/", width)
    footer = page.locator("footer.site-footer")
    assert "is published by The Association of Japanese Institutes" in footer.inner_text()
    for label in ("About", "Privacy", "Contact", "RSS", "Atom", "JSON Feed"):
        link = footer.get_by_role("link", name=label, exact=True)
        assert link.is_visible(), label
        box = link.bounding_box()
        assert box["x"] + box["width"] <= width, label
    footer.get_by_role("link", name="Privacy").click()
    page.wait_for_url("**/privacy/")
    assert page.locator("main h1").inner_text() == "Privacy"
    assert "Delete everything about me" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("path", "label"), [("/", "日本語"), ("/ja/", "English")])
def test_the_language_switch_sits_in_the_bar_beside_the_publisher(
    browser, live_server, width, path, label
):
    context, page = open_page(browser, live_server.url + path, width)
    header = page.locator("header.site-header")
    switch = header.get_by_role("navigation", name="言語" if path == "/ja/" else "Language")
    link = switch.get_by_role("link", name=label)
    assert link.is_visible()
    name_box, link_box = header.locator(".site-name").bounding_box(), link.bounding_box()
    sections = header.get_by_role("navigation", name="サイト" if path == "/ja/" else "Site")
    assert link_box["x"] > name_box["x"] + name_box["width"]  # beside it, not under it
    assert link_box["y"] + link_box["height"] <= sections.bounding_box()["y"]
    assert link_box["x"] + link_box["width"] <= width
    assert link_box["height"] >= 24  # a target a thumb can hit
    context.close()
