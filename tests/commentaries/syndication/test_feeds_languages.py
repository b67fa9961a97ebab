"""Each feed carries the pieces of the language of its address, read as a feed reader reads it."""

import json

import feedparser
import pytest

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
