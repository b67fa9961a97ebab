import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("path", ["/feeds/rss/", "/authors/junya-nishino/feeds/atom/"])
def test_feed_opened_in_chromium_reads_as_a_page_on_subscribing(page, live_server, path, tmp_path):
    """A browser at a feed's address gets a page saying how to subscribe, with no XSLT."""
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h2#how").inner_text() == "How to subscribe"
    assert page.locator(".feed-address code").inner_text() == f"{live_server.url}{path}"
    link = page.locator(".card-title a")
    assert link.inner_text().startswith("Political leaders in Japan")
    assert link.get_attribute("href").startswith("/commentaries/210/")
    assert page.locator(".card .byline").inner_text() == "Junya Nishino"
    assert page.get_by_label("Your e-mail address").is_visible()
    page.screenshot(path=tmp_path / "feed.png", full_page=True)
