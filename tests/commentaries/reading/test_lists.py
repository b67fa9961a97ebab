"""Lists of pieces: keyset pages both ways, addresses without database ids, stale and malformed
paging addresses, the old addresses (?before=, /tags/), the topics index and the home page."""

import datetime as dt
import re

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commentaries.models import Commentary, Series
from commentaries.pagination import cursor
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db
TOKYO = dt.timezone(dt.timedelta(hours=9))
CURSOR = re.compile(r"\?(older|newer)=\d{4}-\d{2}-\d{2}\.\d+\Z")


@pytest.fixture
def archive(db):
    """45 pieces of 2024 by one author on one topic, three a day (so pages split days), and
    one of another series on a day of theirs, with the same number as one of them."""
    author = AuthorFactory(given_name="Jane", family_name="Paging", slug="jane-paging")
    start = dt.datetime(2024, 3, 1, 9, tzinfo=TOKYO)
    pieces = [
        CommentaryFactory(
            authors=[author],
            topics=["paging"],
            published_at=start + dt.timedelta(days=n // 3, hours=n % 3),
            key_points=[f"Point of {n}"],
        )
        for n in range(45)
    ]
    other = SeriesFactory(name="Other Papers")
    CommentaryFactory(series=other, number=pieces[10].number, published_at=pieces[10].published_at)
    return pieces


SCOPES = [
    "/commentaries/",
    "/authors/jane-paging/",
    "/topics/paging/",
    "/topics/paging/2024/",
    "/archive/2024/",
    "/series/ajiss-commentary/",
]


def titles(response):
    page = lxml.html.fromstring(response.content)
    return [a.text_content() for a in page.xpath("//*[@class='card-title']/a")]


def link(response, rel):
    found = lxml.html.fromstring(response.content).xpath(
        f"//nav[@class='pagination']/a[@rel='{rel}']"
    )
    return found[0].get("href") if found else None


@pytest.mark.parametrize("scope", SCOPES)
def test_every_list_pages_both_ways_by_date_and_number(client, archive, scope):
    """Older to the end and Newer back to the start walk the same pages, each piece once,
    through addresses that name a date and a number, never a database id."""
    forward, response = [], client.get(scope)
    assert link(response, "prev") is None  # the first page has nothing newer
    while True:
        forward.append(titles(response))
        older = link(response, "next")
        if older is None:
            break
        assert CURSOR.search(older), older
        response = client.get(older)
        assert response.status_code == 200
    assert len(forward) >= 3
    listed = [title for page in forward for title in page]
    assert len(listed) == len(set(listed))
    assert {piece.title for piece in archive} <= set(listed)
    backward = [forward[-1]]
    while newer := link(response, "prev"):
        assert CURSOR.search(newer), newer
        response = client.get(newer, follow=True)
        backward.append(titles(response))
    assert backward[::-1] == forward
    assert response.redirect_chain == [(scope, 302)]  # the newest are the first page's


@pytest.mark.parametrize("scope", SCOPES)
def test_a_page_by_cursor_costs_the_queries_of_the_first(client, archive, scope):
    """Both ways: the cursor's piece is found in the query that fetches the page."""
    middle = archive[20]

    def queries(path):
        cache.clear()  # rendered, not replayed from the page cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        return len(captured)

    client.get(scope)  # what a process reads once (the content generation, content types)
    first = queries(scope)
    assert queries(f"{scope}?older={cursor(middle)}") == first
    assert queries(f"{scope}?newer={cursor(archive[3])}") == first


def test_a_cursor_whose_piece_has_gone_starts_at_its_day(client, archive):
    """A piece withdrawn since its cursor was linked: the page starts where it stood."""
    gone = archive[30]  # the first of its day
    path = f"/commentaries/?older={cursor(gone)}"
    before = titles(client.get(path))
    Commentary.objects.filter(pk=gone.pk).update(status=Commentary.Status.WITHDRAWN)
    cache.clear()  # update() sends no signal that would move the content's generation
    after = titles(client.get(path))
    # Its day's later pieces come first now; then the same pieces as before.
    assert after[:2] == [archive[32].title, archive[31].title]
    assert after[2:] == before[: len(after) - 2]


def test_a_cursor_of_a_day_without_pieces_starts_at_that_day(client, archive):
    """An address made up, or from another list: the pieces before that day's end."""
    response = client.get("/commentaries/?older=2024-03-05.999999")
    assert titles(response)[0] == archive[14].title  # the last of 5 March
    response = client.get("/commentaries/?newer=2024-03-05.0")
    assert titles(response)[-1] == archive[12].title  # the first of 5 March


@pytest.mark.parametrize("scope", ["/commentaries/", "/topics/paging/"])
def test_cursors_past_either_end_land_on_the_last_or_first_page(client, archive, scope):
    oldest = archive[0] if "topics" in scope else Commentary.objects.get(number=210)
    response = client.get(f"{scope}?older=1990-01-01.1", follow=True)
    assert response.redirect_chain == [(f"{scope}?newer=1990-01-01.1", 302)]
    assert (titles(response)[-1], len(titles(response))) == (oldest.title, 20)
    assert link(response, "next") is None
    response = client.get(f"{scope}?newer=2099-01-01.1", follow=True)
    assert response.redirect_chain == [(scope, 302)]
    assert titles(response)[0] == archive[-1].title


@pytest.mark.parametrize(
    "query",
    [
        "older=abc",
        "older=2024-02-30.1",
        "older=2024-03-05",
        "older=2024-03-05.",
        "older=2024-03-05.-1",
        "older=2024-03-05.1234567890123",
        "newer=99999-01-01.1",
        "newer=%00",
        "newer=２０２４-03-05.1",
        "older=",
        "page=0",
        "page=x",
        "page=%C2%B2",
        "page=501",
        "page=99",
    ],
)
def test_a_malformed_or_stale_paging_address_lands_on_the_first_page(client, archive, query):
    for scope in ("/commentaries/", "/authors/jane-paging/", "/topics/paging/"):
        response = client.get(f"{scope}?{query}")
        assert (response.status_code, response["Location"]) == (302, scope)


cursors = st.one_of(
    st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}\.-?[0-9]{0,20}\Z"),
    st.text(st.characters(codec="utf-8"), max_size=30),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(direction=st.sampled_from(["older", "newer", "before", "page"]), value=cursors)
def test_any_paging_address_answers_a_page_or_a_redirect(client, seed, direction, value):
    """Never a 404 nor a 500, whatever the cursor holds."""
    for scope in ("/commentaries/", "/topics/history-issues/"):
        response = client.get(scope, {direction: value})
        assert response.status_code in (200, 301, 302), (scope, value)


def test_the_old_before_address_answers_301_with_the_new_one(client, archive):
    piece = archive[20]
    response = client.get(f"/commentaries/?before={piece.pk}")
    assert response.status_code == 301
    assert response["Location"] == f"/commentaries/?older={cursor(piece)}"
    response = client.get(f"/topics/paging/?before={piece.pk}")
    assert response["Location"] == f"/topics/paging/?older={cursor(piece)}"
    for stale in ("99999999", "abc", "-1", "99999999999999999999"):
        response = client.get("/authors/jane-paging/", {"before": stale})
        assert (response.status_code, response["Location"]) == (301, "/authors/jane-paging/")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/tags/", "/topics/"),
        ("/tags/paging/", "/topics/paging/"),
        ("/tags/paging/?before=1", "/topics/paging/?before=1"),
        ("/tags/paging/feeds/rss/", "/topics/paging/feeds/rss/"),
        ("/tags/paging/feeds/atom/", "/topics/paging/feeds/atom/"),
        ("/tags/paging/feeds/json/", "/topics/paging/feeds/json/"),
        ("/tags/no-such-topic/", "/topics/no-such-topic/"),
    ],
)
def test_old_topic_addresses_answer_301(client, archive, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_topic_feeds_live_under_topics_and_keep_their_ids(client, archive):
    response = client.get("/topics/paging/feeds/atom/", HTTP_ACCEPT="application/atom+xml")
    assert response.status_code == 200
    assert b"<id>tag:" in response.content and b"/tags/paging/feeds/atom/</id>" in response.content


def test_topics_index_counts_public_pieces(client, archive):
    CommentaryFactory(topics=["paging", "drafts only"], status=Commentary.Status.DRAFT)
    CommentaryFactory(topics=["paging"], published_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    page = lxml.html.fromstring(client.get("/topics/").content)
    entries = {
        li.xpath("string(a)"): (li.xpath("string(a/@href)"), li.xpath("string(span)"))
        for li in page.xpath("//ul[@class='topic-index']/li")
    }
    assert entries["paging"] == ("/topics/paging/", "45 commentaries")
    assert entries["History issues"][1] == "1 commentary"  # the seed's
    assert "drafts only" not in entries


def test_a_topics_years_stay_in_the_topic(client, archive):
    CommentaryFactory(topics=["paging"], published_at=dt.datetime(2022, 6, 1, tzinfo=dt.UTC))
    page = lxml.html.fromstring(client.get("/topics/paging/").content)
    years = page.xpath("//nav[@class='archive-years']//a/@href")
    assert years == ["/topics/paging/2024/", "/topics/paging/2023/", "/topics/paging/2022/"]
    response = client.get("/topics/paging/2022/")
    assert len(titles(response)) == 1
    current = lxml.html.fromstring(response.content).xpath("//*[@aria-current='page']/text()")
    assert current == ["2022"]


def test_home_has_a_lead_the_latest_and_the_topics_of_the_year(client, archive):
    newest = CommentaryFactory(topics=["this year"], summary="What it says, in brief.")
    page = lxml.html.fromstring(client.get("/").content)
    lead = page.xpath("//article[contains(@class, 'card-lead')]")[0]
    assert lead.xpath("string(.//a)") == newest.title
    assert lead.xpath("string(p[@class='standfirst'])") == "What it says, in brief."
    assert f"is published by {newest.series.publisher}." in " ".join(
        page.xpath("string(//p[@class='publisher-line'])").split()
    )
    assert len(page.xpath("//section[@class='latest']//article")) == 10
    assert not page.xpath("//ul[@class='key-points']")
    topics = page.xpath("//section[@class='year-topics']//li/a/text()")
    assert "this year" in topics and "paging" not in topics  # 2024's are long past


def test_series_page_shows_its_description_and_publisher(client, seed):
    Series.objects.filter(pk=seed.series_id).update(description="Short essays on policy.")
    page = lxml.html.fromstring(client.get("/series/ajiss-commentary/").content)
    assert page.xpath("string(//p[@class='lede'])") == "Short essays on policy."
    assert "Published by" in page.xpath("string(//p[@class='publisher'])")
