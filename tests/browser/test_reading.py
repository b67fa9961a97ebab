import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_opens_210_in_chromium(page, live_server, tmp_path):
    """A reader's browser renders No.210 from its numbered address, without JavaScript."""
    page.goto(f"{live_server.url}/commentaries/210/")
    assert page.url.startswith(f"{live_server.url}/commentaries/210/political-leaders")
    assert page.locator("h1").inner_text().startswith("Political leaders in Japan")
    assert page.locator(".key-points li").count() == 3
    assert page.locator(".body p").count() == 9
    page.screenshot(path=tmp_path / "210.png", full_page=True)
