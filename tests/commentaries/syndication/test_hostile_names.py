"""Hostile series, author and topic names reach every feed reader as plain text.

A name is data: whatever markup it holds must arrive as the characters it is, in every channel-
and item-level field of every format (RSS descriptions are HTML to readers, Atom and JSON Feed
fields are text unless they say otherwise). Parsed with feedparser, as readers do.
"""

import html
import json
import re

import feedparser
import pytest

from commentaries.models import Series
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>bold</b> &amp; "q"'


@pytest.fixture
def hostile_piece(db):
    series = Series.objects.create(
        name=f"Series {HOSTILE}", slug="hostile", publisher=f"Publisher {HOSTILE}",
        description=f"About {HOSTILE}",
    )  # fmt: skip
    author = AuthorFactory(given_name=f"Ann {HOSTILE}", family_name="Doe", slug="ann")
    piece = CommentaryFactory(series=series, authors=[author], topics=[f"Topic {HOSTILE}"])
    return piece, series, author, piece.tags.get()


def scopes(series, author, tag):
    return {
        "site": "/feeds/",
        "series": f"/series/{series.slug}/feeds/",
        "author": f"/authors/{author.slug}/feeds/",
        "topic": f"/topics/{tag.slug}/feeds/",
    }


def xml_fields(parsed):
    """Every text field feedparser hands a reader, channel and item: (type, value) by name."""

    def detail(container, name):
        found = container.get(f"{name}_detail")
        return (found.type, found.value) if found else None

    feed = parsed.feed
    found = {f"feed.{name}": detail(feed, name) for name in ("title", "subtitle", "rights")}
    for n, entry in enumerate(parsed.entries):
        for name in ("title", "summary"):
            found[f"entry{n}.{name}"] = detail(entry, name)
        for i, author in enumerate(entry.get("authors", [])):
            found[f"entry{n}.author{i}"] = ("text/plain", author.get("name"))
        for i, tag in enumerate(entry.get("tags", [])):
            found[f"entry{n}.tag{i}"] = ("text/plain", tag.get("term"))
        for i, content in enumerate(entry.get("content", [])):
            found[f"entry{n}.content{i}"] = (content.type, content.value)
    return {name: value for name, value in found.items() if value and value[1]}


def assert_arrives_as_text(name, kind, value):
    """Plain text must hold the name as it is; HTML must hold it as text, never as markup."""
    if "alert(1)" not in value:
        return
    if kind == "text/plain":
        assert HOSTILE in value, name
    else:
        assert not any(tag in value for tag in ("<script", "<img", "<b>")), (name, value)
        assert HOSTILE in html.unescape(re.sub(r"<[^>]+>", "", value)), (name, value)


@pytest.mark.parametrize("scope", ["site", "series", "author", "topic"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_names_arrive_as_text_in_every_field_of_xml_feeds(client, hostile_piece, scope, kind):
    piece, series, author, tag = hostile_piece
    response = client.get(f"{scopes(series, author, tag)[scope]}{kind}/")
    assert response.status_code == 200
    parsed = feedparser.parse(response.content, sanitize_html=False)  # as the feed says it
    assert not parsed.bozo, parsed.get("bozo_exception")
    fields = xml_fields(parsed)
    assert sum("alert(1)" in value for _, value in fields.values()) >= 3
    for name, (kind_, value) in fields.items():
        assert_arrives_as_text(name, kind_, value)


def strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)
    elif isinstance(value, str):
        yield key, value


@pytest.mark.parametrize("scope", ["site", "series", "author", "topic"])
def test_names_arrive_as_text_in_every_field_of_json_feeds(client, hostile_piece, scope):
    piece, series, author, tag = hostile_piece
    feed = json.loads(client.get(f"{scopes(series, author, tag)[scope]}json/").content)
    found = 0
    for key, value in strings(feed):
        # JSON Feed: content_html is HTML, every other string is plain text.
        assert_arrives_as_text(key, "text/html" if key == "content_html" else "text/plain", value)
        found += "alert(1)" in value
    assert found >= 3
