import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from commentaries.models import Commentary
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db


def parse(client, path="/feeds/rss/"):
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_rss_feed_parses_and_holds_210(client, seed):
    feed = parse(client)
    [entry] = [e for e in feed.entries if seed.title in e.title]
    assert entry.link == f"http://testserver{seed.get_absolute_url()}"
    assert entry.author == "Junya Nishino"
    assert "Excessive pessimism" in entry.summary
    assert {t.term for t in entry.tags} >= {"Japan-ROK relations"}
    assert entry.published_parsed[:3] == (2015, 5, 14)  # midnight in Tokyo is the 14th in UTC


def test_rss_feed_holds_latest_20_published_only(client, seed):
    now = timezone.now()
    for days in range(25):
        CommentaryFactory(published_at=now - dt.timedelta(days=days + 1))
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    scheduled = CommentaryFactory(published_at=now + dt.timedelta(minutes=5))
    titles = [entry.title for entry in parse(client).entries]
    assert len(titles) == 20
    assert not any(draft.title in t or scheduled.title in t for t in titles)


def test_every_page_advertises_the_feed(client, seed):
    for path in ("/", "/commentaries/", seed.get_absolute_url(), "/authors/junya-nishino/"):
        assert b'<link rel="alternate" type="application/rss+xml"' in client.get(path).content
