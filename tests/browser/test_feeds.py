import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("path", ["/feeds/rss/", "/authors/junya-nishino/feeds/atom/"])
def test_feed_opened_in_chromium_reads_as_a_page_on_subscribing(page, live_server, path, tmp_path):
    """The feed's XSLT stylesheet turns it into a page that says how to subscribe."""
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h2#how").inner_text() == "How to subscribe"
    assert page.locator("code").inner_text() == f"{live_server.url}{path}"
    link = page.locator(".card-title a")
    assert link.inner_text().startswith("No.210: Political leaders in Japan")
    assert link.get_attribute("href").startswith(f"{live_server.url}/commentaries/210/")
    assert page.locator(".card .byline").inner_text() == "Junya Nishino"
    assert page.locator(".card .meta").inner_text() in ("15 May 2015", "2015-05-15")
    # the site's stylesheet applies: the page is not bare XML
    assert page.locator("body").evaluate("b => getComputedStyle(b).fontFamily") != ""
    page.screenshot(path=tmp_path / "feed.png", full_page=True)
