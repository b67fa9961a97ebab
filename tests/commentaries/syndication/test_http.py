import datetime as dt

import feedparser
import lxml.html
import pytest
from django.utils import timezone
from django.utils.http import http_date

from commentaries.models import Commentary
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom", "json"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feeds/rss/", "application/rss+xml; charset=utf-8"),
        ("/feeds/atom/", "application/atom+xml; charset=utf-8"),
        ("/feeds/json/", "application/feed+json; charset=utf-8"),
        ("/authors/junya-nishino/feeds/atom/", "application/atom+xml; charset=utf-8"),
        ("/topics/history-issues/feeds/json/", "application/feed+json; charset=utf-8"),
    ],
)
def test_content_type_and_cache_headers(client, seed, path, content_type):
    response = client.get(path)
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


@pytest.mark.parametrize("kind", KINDS)
def test_unchanged_feed_answers_304_to_if_none_match(client, seed, kind):
    first = client.get(f"/feeds/{kind}/")
    again = client.get(f"/feeds/{kind}/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"
    assert client.get(f"/feeds/{kind}/", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_unchanged_feed_answers_304_to_if_modified_since(client, seed, kind):
    first = client.get(f"/feeds/{kind}/")
    since = first["Last-Modified"]
    assert client.get(f"/feeds/{kind}/", headers={"If-Modified-Since": since}).status_code == 304
    earlier = http_date(seed.updated_at.timestamp() - 1)
    assert client.get(f"/feeds/{kind}/", headers={"If-Modified-Since": earlier}).status_code == 200


def publish(seed):
    CommentaryFactory(title="Just published")


def withdraw(seed):
    seed.status = Commentary.Status.WITHDRAWN
    seed.save()


def fix_typo(seed):
    seed.title = seed.title.replace("bilateral", "bilateral (typo fixed)")
    seed.save()


def correct(seed):
    seed.corrections.create(note="Figures corrected.")
    seed.modified_at = timezone.now()
    seed.save()


@pytest.mark.parametrize("change", [publish, withdraw, fix_typo, correct])
def test_a_change_reaches_clients_at_once_despite_the_cache(client, seed, change, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    before = client.get("/feeds/atom/")
    time_machine.shift(dt.timedelta(seconds=1))
    change(seed)
    after = client.get("/feeds/atom/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after.content != before.content


@pytest.mark.parametrize("change", [publish, withdraw, fix_typo, correct])
def test_last_modified_moves_with_a_change(client, seed, change, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    before = client.get("/feeds/atom/")
    time_machine.shift(dt.timedelta(seconds=1))
    change(seed)
    after = client.get("/feeds/atom/", headers={"If-Modified-Since": before["Last-Modified"]})
    assert after.status_code == 200
    assert after["Last-Modified"] == http_date(timezone.now().timestamp())


def test_an_unchanged_feed_is_served_from_the_cache(client, seed, django_assert_num_queries):
    """One query, the generation by primary key, decides whether the cached feed holds."""
    first = client.get("/feeds/rss/")
    with django_assert_num_queries(1):
        again = client.get("/feeds/rss/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_cache_keeps_hosts_apart(client, seed, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    client.get("/feeds/rss/")
    mirrored = client.get("/feeds/rss/", headers={"Host": "mirror.example.org"})
    assert b"http://mirror.example.org/commentaries/210/" in mirrored.content


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READER = "application/atom+xml, application/rss+xml;q=0.9, application/xml;q=0.8, */*;q=0.1"


@pytest.mark.parametrize(
    ("path", "accept", "content_type"),
    [
        ("/feeds/rss/", BROWSER, "text/html; charset=utf-8"),
        ("/feeds/atom/", BROWSER, "text/html; charset=utf-8"),
        ("/feeds/json/", BROWSER, "text/html; charset=utf-8"),
        ("/feeds/rss/", READER, "application/rss+xml; charset=utf-8"),
        ("/feeds/atom/", READER, "application/atom+xml; charset=utf-8"),
        (
            "/feeds/json/",
            "application/feed+json, application/json",
            "application/feed+json; charset=utf-8",
        ),
        ("/feeds/atom/", "*/*", "application/atom+xml; charset=utf-8"),
        ("/feeds/atom/", None, "application/atom+xml; charset=utf-8"),
    ],
)
def test_browsers_get_a_page_and_readers_the_feed(client, seed, path, accept, content_type):
    """One address: a browser (preferring text/html) gets a page, a feed reader the feed."""
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response["Content-Type"] == content_type
    assert response["Vary"] == "Accept"


@pytest.mark.parametrize("path", ["/feeds/rss/", "/authors/junya-nishino/feeds/atom/"])
def test_the_page_for_browsers_explains_the_feed_and_offers_e_mail(client, seed, path):
    response = client.get(path, headers={"Accept": BROWSER})
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//h2[@id='how']/text()") == ["How to subscribe"]
    assert page.xpath("//code/text()") == [f"http://testserver{path}"]
    form = page.xpath("//form[@class='subscribe-form']")[0]
    assert form.get("method") == "post" and form.get("action") == "/alerts/subscribe/"
    assert form.xpath(".//input[@type='email']")
    assert page.xpath("//a[starts-with(@href, '/commentaries/210/')]")
    assert b"<?xml" not in response.content


def test_the_feed_a_reader_gets_parses(client, seed):
    response = client.get("/feeds/rss/", headers={"Accept": READER})
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.entries


def test_an_author_renamed_reaches_the_feed_at_once(client, seed):
    assert "Junya Nishino" in client.get("/feeds/json/").content.decode()
    author = seed.authors.get()
    author.given_name = "Jun"
    author.save()
    assert "Jun Nishino" in client.get("/feeds/json/").content.decode()
