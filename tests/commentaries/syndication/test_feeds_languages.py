"""Each feed carries the pieces of the language of its address, read as a feed reader reads it."""

import json
import re

import feedparser
import lxml.html
import pytest

from authors.models import AuthorName
from commentaries.addresses import absolute
from commentaries.caching.frontcache import PUBLIC_PAGES
from commentaries.models import TopicName
from commentaries.syndication.websub import topics_of
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom", "json"]
ENGLISH_TITLE = "Harbour data shared across the Sea of Japan"
JAPANESE_TITLE = "港湾の気象情報を両岸で共有する"


@pytest.fixture
def pieces():
    """An English piece and a Japanese one by the same author, in the same series and topic."""
    author = AuthorFactory(given_name="Aiko", family_name="Tanabe", slug="aiko-tanabe")
    series = SeriesFactory(name="Harbour Notes", slug="harbour-notes")
    english = CommentaryFactory(
        series=series, title=ENGLISH_TITLE, authors=[author], topics=["ports"]
    )
    japanese = CommentaryFactory(
        series=series, title=JAPANESE_TITLE, language="ja", authors=[author], topics=["ports"]
    )
    return english, japanese


SCOPES = ["", "series/harbour-notes/", "authors/aiko-tanabe/", "topics/ports/"]


def titles(client, path):
    """The items' titles, as feedparser reads RSS and Atom, and as JSON Feed is written."""
    response = client.get(path)
    assert response.status_code == 200, path
    if path.endswith("/json/"):
        return [item["title"] for item in json.loads(response.content)["items"]]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (path, feed.bozo_exception)
    return [entry.title for entry in feed.entries]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("kind", KINDS)
def test_english_feeds_carry_english_pieces_only(client, pieces, scope, kind):
    """The main language's feeds (today's addresses) leave the Japanese piece out."""
    found = titles(client, f"/{scope}feeds/{kind}/")
    assert any(ENGLISH_TITLE in title for title in found)
    assert not any(JAPANESE_TITLE in title for title in found)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("kind", KINDS)
def test_japanese_feeds_carry_japanese_pieces_only(client, pieces, scope, kind):
    """The same feeds under /ja/ carry the Japanese piece and leave the English one out."""
    found = titles(client, f"/ja/{scope}feeds/{kind}/")
    assert any(JAPANESE_TITLE in title for title in found)
    assert not any(ENGLISH_TITLE in title for title in found)


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/ja", "ja")])
def test_a_feed_says_its_language_and_its_own_address(client, pieces, prefix, language):
    feed = feedparser.parse(client.get(f"{prefix}/feeds/atom/").content)
    assert feed.feed.language == language
    assert feed.feed.id.endswith(f":{prefix}/feeds/atom/")
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [
        f"http://testserver{prefix}/feeds/atom/"
    ]
    json_feed = json.loads(client.get(f"{prefix}/feeds/json/").content)
    assert json_feed["language"] == language
    assert json_feed["feed_url"] == f"http://testserver{prefix}/feeds/json/"


def test_japanese_feeds_name_authors_and_topics_in_japanese(client, pieces):
    english, _ = pieces
    AuthorName.objects.create(author=english.authors.get(), language="ja", name="田辺愛子")
    TopicName.objects.create(tag=english.tags.get(), language="ja", name="港湾")
    feed = feedparser.parse(client.get("/ja/authors/aiko-tanabe/feeds/atom/").content)
    assert feed.feed.title.startswith("田辺愛子 · ")
    (entry,) = feed.entries
    assert [author.name for author in entry.authors] == ["田辺愛子"]
    assert [tag.term for tag in entry.tags] == ["港湾"]
    topic = feedparser.parse(client.get("/ja/topics/ports/feeds/rss/").content)
    assert topic.feed.title.startswith("港湾 · ")
    english_feed = feedparser.parse(client.get("/authors/aiko-tanabe/feeds/atom/").content)
    assert english_feed.feed.title.startswith("Aiko Tanabe · ")
    assert [author.name for author in english_feed.entries[0].authors] == ["Aiko Tanabe"]


def test_editions_of_one_piece_have_ids_of_their_own(client, pieces):
    """A reader subscribed to both languages sees two entries: the original keeps its id."""
    english, _ = pieces
    translation = CommentaryFactory(
        series=english.series,
        number=english.number,
        slug="minato",
        language="ja",
        original=english,
        title="天気を分け合う港",
    )
    ids = {
        prefix: {
            entry.title: entry.id
            for entry in feedparser.parse(
                client.get(f"{prefix}/series/harbour-notes/feeds/atom/").content
            ).entries
        }
        for prefix in ("", "/ja")
    }
    original_id = ids[""][f"{english.label}: {ENGLISH_TITLE}"]
    translation_id = ids["/ja"][f"{translation.label}: 天気を分け合う港"]
    assert original_id.endswith(f":harbour-notes/{english.number}")
    assert translation_id == f"{original_id}/ja"


@pytest.mark.parametrize(
    "path", ["/ja/", "/ja/series/harbour-notes/", "/ja/authors/aiko-tanabe/", "/ja/topics/ports/"]
)
def test_japanese_pages_advertise_the_japanese_feeds(client, pieces, path):
    page = lxml.html.fromstring(client.get(path).content)
    links = page.xpath("//head/link[@rel='alternate'][@type]")
    assert links
    for link in links:
        assert link.get("hreflang") == "ja"
        assert link.get("href").startswith("http://testserver/ja/")  # absolute, as hreflang asks
        assert JAPANESE_TITLE in "".join(titles(client, link.get("href")))


def test_websub_is_told_of_the_feeds_in_the_pieces_language(pieces):
    english, japanese = pieces
    assert all("/ja/" not in topic for topic in topics_of(english))
    japanese_topics = topics_of(japanese)
    assert absolute("/ja/feeds/atom/") in japanese_topics
    assert absolute("/ja/authors/aiko-tanabe/feeds/rss/") in japanese_topics
    assert all("/ja/" in topic for topic in japanese_topics)


def test_each_languages_feed_is_kept_and_revalidated_at_its_own_address(client, pieces):
    english, japanese = client.get("/feeds/atom/"), client.get("/ja/feeds/atom/")
    assert english["ETag"] != japanese["ETag"]
    again = client.get("/ja/feeds/atom/", headers={"If-None-Match": japanese["ETag"]})
    assert again.status_code == 304
    other = client.get("/ja/feeds/atom/", headers={"If-None-Match": english["ETag"]})
    assert other.status_code == 200 and JAPANESE_TITLE in other.content.decode()
    assert re.match(PUBLIC_PAGES, "/ja/feeds/atom/")  # a publication bans it from front caches


def test_a_scope_public_in_another_language_only_has_an_empty_feed(client):
    """An author with only Japanese pieces has an English feed, empty, not a 404: the
    English author page advertises it, and it will carry the author's first English piece."""
    author = AuthorFactory(slug="only-japanese")
    CommentaryFactory(title=JAPANESE_TITLE, language="ja", authors=[author])
    assert titles(client, "/authors/only-japanese/feeds/atom/") == []


def test_a_scope_with_nothing_public_is_still_a_404(client):
    author = AuthorFactory(slug="nothing-public")
    CommentaryFactory(language="ja", authors=[author], status="draft")
    assert client.get("/authors/nothing-public/feeds/atom/").status_code == 404
