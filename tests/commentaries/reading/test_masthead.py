"""The masthead and footer every public page carries, the subscribe page and the archive's
index of years."""

import datetime as dt

import lxml.html
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentaries.models import Commentary, Series
from tests.factories import CommentaryFactory
from web.context_processors import site

pytestmark = pytest.mark.django_db
PUBLISHER = "The Association of Japanese Institutes of Strategic Studies"
STATE_QUERIES = 1  # caching.freshness.content_state(): the generation, by primary key
SECTIONS = [
    ("Commentaries", "/commentaries/"),
    ("Topics", "/topics/"),
    ("Authors", "/authors/"),
    ("Archive", "/archive/"),
    ("About", "/about/"),
    ("Subscribe", "/subscribe/"),
]
PAGES = ["/", "/commentaries/", "/archive/", "/archive/2015/", "/authors/", "/search/?q=Japan",
         "/tags/history-issues/", "/subscribe/", "/about/", "/no-such-page/"]  # fmt: skip


def parse(response):
    return lxml.html.fromstring(response.content)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_masthead_and_footer(client, seed, path):
    page = parse(client.get(path, follow=True))
    (header,) = page.xpath("//body/header[@class='site-header']")
    assert header.xpath(".//a[@class='site-name']/text()") == [PUBLISHER]
    assert header.xpath(".//a[@class='site-name']/@href") == ["/"]
    nav = header.xpath(".//nav[@aria-label='Site']//a")
    assert [(a.text, a.get("href")) for a in nav] == SECTIONS
    (form,) = header.xpath(".//form[@role='search']")
    assert (form.get("action"), form.get("method")) == ("/search/", "get")
    assert form.xpath(".//input[@type='search']/@name") == ["q"]
    assert form.xpath(".//label/@for") == form.xpath(".//input/@id")
    assert header.xpath(".//a[@class='search-link']/@href") == ["/search/"]
    (footer,) = page.xpath("//body/footer[@class='site-footer']")
    text = " ".join(footer.text_content().split())
    assert f"AJISS-Commentary is published by {PUBLISHER}." in text
    links = {a.text: a.get("href") for a in footer.xpath(".//a")}
    assert links["About"] == "/about/" and links["Privacy"] == "/privacy/"
    assert links["Contact"] == "/contact/" and links["Subscribe"] == "/subscribe/"
    assert (links["RSS"], links["Atom"], links["JSON Feed"]) == (
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
    )
    assert "Feed" not in [a.text for a in page.xpath("//a")]  # no bare jargon


def test_the_current_section_is_marked(client, seed):
    page = parse(client.get("/authors/"))
    assert page.xpath("//nav[@aria-label='Site']//a[@aria-current='page']/text()") == ["Authors"]
    page = parse(client.get("/"))
    assert page.xpath("//nav[@aria-label='Site']//a[@aria-current]") == []


def test_the_masthead_names_the_primary_series_publisher(client, seed):
    Series.objects.filter(is_primary=True).update(publisher="The Example Institute")
    page = parse(client.get("/archive/"))
    assert page.xpath("//a[@class='site-name']/text()") == ["The Example Institute"]


def test_the_publisher_costs_a_query_only_where_it_is_shown(seed, django_assert_num_queries):
    with django_assert_num_queries(0):
        context = site(RequestFactory().get("/"))
    with django_assert_num_queries(1):
        assert str(context["publisher"]) == PUBLISHER
        assert f"{context['publisher']}" == PUBLISHER  # asked once per request


def test_without_a_series_the_masthead_names_the_site(client, db):
    Commentary.objects.all().delete()
    Series.objects.all().delete()
    page = parse(client.get("/"))
    assert page.xpath("//a[@class='site-name']/text()") == ["AJISS-Commentary"]


def test_feeds_and_the_admin_never_ask_for_the_publisher(client, seed, superuser):
    asked = 'SELECT "commentaries_series"."publisher" AS "publisher" FROM'
    client.force_login(superuser)
    for path in ("/feeds/rss/", "/admin/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert not [q for q in queries if q["sql"].startswith(asked)], path
    with CaptureQueriesContext(connection) as queries:
        client.get("/about/")
    assert [q for q in queries if q["sql"].startswith(asked)]  # what the matcher finds


# The subscribe page: e-mail alerts and feeds.


def test_the_subscribe_page_offers_alerts_and_the_feeds(client, seed):
    response = client.get("/subscribe/")
    assert response.status_code == 200
    page = parse(response)
    assert page.xpath("//h1/text()") == ["Subscribe"]
    (form,) = page.xpath("//main//form[@class='subscribe-form']")
    assert (form.get("method"), form.get("action")) == ("post", "/alerts/subscribe/")
    assert form.xpath(".//input[@name='follow']/@value") == ["all"]
    feeds = page.xpath("//ul[@class='feed-list']//a")
    assert [(a.text, a.get("href")) for a in feeds] == [
        ("RSS", "http://testserver/feeds/rss/"),
        ("Atom", "http://testserver/feeds/atom/"),
        ("JSON Feed", "http://testserver/feeds/json/"),
    ]
    assert page.xpath("//main//a[@href='/privacy/']")


def test_the_old_subscribe_address_answers_301_and_still_takes_the_form(client, seed):
    response = client.get("/alerts/subscribe/?follow=author:junya-nishino")
    assert response.status_code == 301
    assert response["Location"] == "/subscribe/?follow=author:junya-nishino"
    page = parse(client.get(response["Location"]))
    follows = page.xpath("//form[@class='subscribe-form']//input[@name='follow']/@value")
    assert follows == ["author:junya-nishino", "all"]
    posted = client.post(
        "/alerts/subscribe/",
        {"email": "reader@example.org", "follow": "all", "frequency": "each", "source": "/"},
    )
    assert posted.status_code == 200 and b"Check your inbox" in posted.content


def test_a_made_up_follow_lands_on_the_subscribe_page(client, seed):
    """Redirected, never kept: random values cannot fill the page cache."""
    for value in ("nonsense", "author:nobody", "series:", "<script>"):
        response = client.get("/subscribe/", {"follow": value})
        assert (response.status_code, response["Location"]) == (302, "/subscribe/")


def test_the_subscribe_page_is_kept_in_the_page_cache(
    client, seed, settings, django_assert_num_queries
):
    settings.DEBUG = False
    first = client.get("/subscribe/")
    with django_assert_num_queries(STATE_QUERIES):
        assert client.get("/subscribe/").content == first.content
    assert b"csrfmiddlewaretoken" not in first.content


# The archive: years with counts.


def test_the_archive_lists_years_with_counts_newest_first(client, seed):
    for year, pieces in ((2019, 2), (2024, 3)):
        for day in range(pieces):
            CommentaryFactory(published_at=dt.datetime(year, 6, day + 1, 9, tzinfo=dt.UTC))
    CommentaryFactory(status=Commentary.Status.DRAFT)
    CommentaryFactory(published_at=timezone.now() + dt.timedelta(days=3))  # scheduled
    page = parse(client.get("/archive/"))
    rows = page.xpath("//ul[@class='archive-index']/li")
    assert [" ".join(li.text_content().split()) for li in rows] == [
        "2024 3 commentaries",
        "2019 2 commentaries",
        "2015 1 commentary",
    ]
    assert page.xpath("//ul[@class='archive-index']//a/@href") == [
        "/archive/2024/",
        "/archive/2019/",
        "/archive/2015/",
    ]


def test_a_piece_counts_in_its_years_in_the_sites_time_zone(client, seed):
    """Published at 20:00 UTC on 31 December, it is 1 January in Tokyo: the year's archive
    page lists it there, and so does the index."""
    piece = CommentaryFactory(published_at=dt.datetime(2020, 12, 31, 20, tzinfo=dt.UTC))
    page = parse(client.get("/archive/"))
    assert page.xpath("//ul[@class='archive-index']//a/text()") == ["2021", "2015"]
    assert piece.title.encode() in client.get("/archive/2021/").content


def test_the_archive_costs_the_same_queries_at_any_size(client, seed, django_assert_num_queries):
    """The generation, the span of years, one query of every year's count, the publisher:
    not a query per year or per piece."""
    for year in (2016, 2018, 2021):
        CommentaryFactory.create_batch(2, published_at=dt.datetime(year, 3, 1, tzinfo=dt.UTC))
    with django_assert_num_queries(STATE_QUERIES + 3):
        page = parse(client.get("/archive/"))
    years = page.xpath("//ul[@class='archive-index']//a/text()")
    assert years == ["2021", "2018", "2016", "2015"]  # no empty years between


def test_an_empty_archive_says_so(client, db):
    Commentary.objects.all().delete()
    assert b"Nothing has been published yet." in client.get("/archive/").content


def test_the_sitemap_names_the_archive(client, seed):
    assert b"<loc>http://testserver/archive/</loc>" in client.get("/sitemap-pages.xml").content
