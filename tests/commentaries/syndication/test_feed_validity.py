"""What the W3C feed validator's engine (github.com/w3c/feedvalidator, run against the feeds of a
test server) warned of or refused, each checked here on the raw XML and with feedparser."""

import datetime as dt
import html
import json

import feedparser
import pytest
from lxml import etree

from commentaries.models import Commentary
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SAME_DAY = dt.datetime(2016, 3, 1, tzinfo=dt.UTC)  # loaded for a day: midnight, Tokyo time


def atom(client, path="/feeds/atom/"):
    return etree.fromstring(client.get(path).content)


def entry_of(feed, piece):
    (entry,) = feed.xpath(
        f"//a:entry[a:link/@href='http://testserver{piece.get_absolute_url()}']", namespaces=ATOM
    )
    return entry


def test_pieces_of_one_day_never_share_atom_updated(client, seed):
    """ "Two entries with the same value for atom:updated" (a warning)."""
    author = AuthorFactory()
    first = CommentaryFactory(number=211, published_at=SAME_DAY, authors=[author])
    second = CommentaryFactory(number=212, published_at=SAME_DAY, authors=[author])
    for path in ("/feeds/atom/", f"/authors/{author.slug}/feeds/atom/"):
        updated = atom(client, path).xpath("//a:entry/a:updated/text()", namespaces=ATOM)
        assert len(updated) == len(set(updated)), (path, updated)
    feed = json.loads(client.get("/feeds/json/").content)
    modified = [item["date_modified"] for item in feed["items"]]
    assert len(modified) == len(set(modified))
    # the same instant every time, the publication's to the second, as readers show it
    again = atom(client).xpath("//a:entry/a:updated/text()", namespaces=ATOM)
    assert again == atom(client).xpath("//a:entry/a:updated/text()", namespaces=ATOM)
    for piece in (first, second):
        entry = next(e for e in feedparser.parse(client.get("/feeds/atom/").content).entries
                     if e.link.endswith(piece.get_absolute_url()))  # fmt: skip
        assert entry.updated_parsed == entry.published_parsed == SAME_DAY.utctimetuple()


def test_a_piece_with_no_summary_or_key_points_still_has_one(client, db):
    """ "summary should not be blank" (Atom) and "Ensure description precedes content:encoded"
    (RSS): the body's opening stands in."""
    piece = CommentaryFactory(key_points=[], summary="")
    assert not piece.ordered_key_points
    (summary,) = entry_of(atom(client), piece).xpath("a:summary/text()", namespaces=ATOM)
    assert "First paragraph. Second paragraph." in summary
    rss = etree.fromstring(client.get("/feeds/rss/").content)
    (item,) = rss.xpath(f"//item[link='http://testserver{piece.get_absolute_url()}']")
    tags = [child.tag for child in item]
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    assert "description" in tags and tags.index("description") < tags.index(content)
    assert item.findtext("description").strip()


def test_an_unsigned_piece_is_the_institutions_in_atom(client, db):
    """ "Missing entry element: author" (an error): RFC 4287 wants an author for every entry."""
    piece = CommentaryFactory(authors=[])
    entry = entry_of(atom(client), piece)
    assert entry.xpath("a:author/a:name/text()", namespaces=ATOM) == [piece.series.publisher]
    assert piece.status == Commentary.Status.PUBLISHED


def test_rss_writes_ampersands_and_brackets_as_hexadecimal_references(client, db):
    """ "description should not contain HTML": a topic named "Trade & investment" put "&amp;" in
    the channel's description. The RSS Profile's form reads the same to every parser."""
    CommentaryFactory(title="Trade & security <in> Asia", topics=["Trade & investment"])
    raw = client.get("/topics/trade-investment/feeds/rss/").content.decode()
    assert "&amp;" not in raw and "&lt;" not in raw and "&gt;" not in raw
    assert "&#x26;" in raw
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0
    assert "Trade & investment" in html.unescape(parsed.feed.subtitle)
    assert parsed.entries[0].title.endswith("Trade & security <in> Asia")
