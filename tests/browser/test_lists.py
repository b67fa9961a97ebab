"""Lists in Chromium at a phone's width and a desktop's: the topics index leads to a topic and
its years, which stay in the topic, and a list pages Older to its end and Newer back, by
clicking the links a reader sees, with no sideways scroll."""

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.factories import CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = [390, 1280]
TOKYO = dt.timezone(dt.timedelta(hours=9))
# LISTS_SCREENSHOTS=<folder>: keep a full-page picture of each page visited, for a person to look at.
SHOTS = os.environ.get("LISTS_SCREENSHOTS")


@pytest.fixture
def archive(transactional_db):
    """45 pieces on "Maritime security" over two years, two a day."""
    start = dt.datetime(2023, 12, 20, 9, tzinfo=TOKYO)
    return [
        CommentaryFactory(
            title=f"Maritime piece {n:02d}",
            summary=f"What piece {n} argues, in one sentence.",
            topics=["Maritime security", "Trade" if n % 2 else "Energy"],
            published_at=start + dt.timedelta(days=n // 2, hours=n % 2),
        )
        for n in range(45)
    ]


def open_page(browser, url, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(url)
    return context, page


def look(page, name, width):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def card_titles(page):
    return page.locator("article.card .card-title a").all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_topics_index_leads_to_a_topic_and_its_years(browser, live_server, archive, width):
    context, page = open_page(browser, live_server.url + "/topics/", width)
    look(page, "topics", width)
    entry = page.locator(".topic-index li", has_text="Maritime security")
    assert " ".join(entry.inner_text().split()) == "Maritime security 45 commentaries"
    entry.get_by_role("link").click()
    page.wait_for_url("**/topics/maritime-security/")
    look(page, "topic", width)
    years = page.get_by_role("navigation", name="Maritime security by year")
    assert years.get_by_role("link").all_inner_texts() == ["2024", "2023"]
    years.get_by_role("link", name="2023").click()
    page.wait_for_url("**/topics/maritime-security/2023/")
    look(page, "topic-year", width)
    assert card_titles(page) == [f"Maritime piece {n:02d}" for n in range(23, -1, -1)][:20]
    current = page.get_by_role("navigation", name="Maritime security by year")
    assert current.locator("[aria-current=page]").inner_text() == "2023"
    assert current.get_by_role("link").all_inner_texts() == ["2024"]
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_list_pages_older_to_the_end_and_newer_back(browser, live_server, archive, width):
    context, page = open_page(browser, live_server.url + "/topics/maritime-security/", width)
    pages = [card_titles(page)]
    assert page.get_by_role("link", name="Newer").count() == 0
    while page.get_by_role("link", name="Older").count():
        page.get_by_role("link", name="Older").click()
        page.wait_for_load_state()
        assert "?older=" in page.url
        pages.append(card_titles(page))
    look(page, "topic-last-page", width)
    assert [len(titles) for titles in pages] == [20, 20, 5]
    assert sum(pages, []) == [f"Maritime piece {n:02d}" for n in range(44, -1, -1)]
    back = [card_titles(page)]
    while page.get_by_role("link", name="Newer").count():
        page.get_by_role("link", name="Newer").click()
        page.wait_for_load_state()
        back.append(card_titles(page))
    assert back[::-1] == pages
    assert page.url == live_server.url + "/topics/maritime-security/"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_home_and_directory_fit_the_screen(browser, live_server, archive, width):
    CommentaryFactory(title="This week's piece", topics=["Maritime security", "Energy"])
    context, page = open_page(browser, live_server.url + "/", width)
    lead = page.locator("article.card-lead")
    assert lead.locator(".card-title").inner_text() == "This week's piece"
    year_topics = page.locator("section.year-topics li a").all_inner_texts()
    assert sorted(year_topics) == ["Energy", "Maritime security"]
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    other = page.locator("section.latest article.card .card-title").first
    assert lead.locator(".card-title").evaluate(size) > other.evaluate(size)
    look(page, "home", width)
    page.goto(live_server.url + "/authors/")
    look(page, "authors", width)
    page.goto(live_server.url + "/series/ajiss-commentary/")
    look(page, "series", width)
    context.close()
