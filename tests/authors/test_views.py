import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from tests.factories import full_commentary

pytestmark = pytest.mark.django_db


def directory(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/authors/")
    assert response.status_code == 200
    entries = html.fromstring(response.content).xpath("//ul[@class='author-list']/li")
    return [" ".join(entry.text_content().split()) for entry in entries], len(captured)


def test_directory_prints_every_author_for_the_queries_of_one(client, seed):
    """Only what an entry prints is read (no bios, no deferred field loaded for each author)."""
    seed_only, queries = directory(client)
    assert seed_only == [
        "Dr. NISHINO Junya Department of Political Science, Faculty of Law and Politics, "
        "Keio University"
    ]
    piece = full_commentary(authors=5)
    entries, more_queries = directory(client)
    assert len(entries) == 6
    first = piece.authors.order_by("pk").first()
    assert f"Dr. {first.given_name} Smith The Test Institute" in entries
    assert more_queries == queries


def test_directory_entries_are_escaped_and_link_each_author(client, seed):
    piece = full_commentary(authors=1)
    author = piece.authors.get()
    author.family_name, author.affiliation = "<b>Smith</b>", "R&D <Institute>"
    author.save()
    entries = html.fromstring(client.get("/authors/").content).xpath(
        "//ul[@class='author-list']/li"
    )
    entry = next(e for e in entries if "Smith" in e.text_content())
    assert entry.xpath("a/text()") == [author.formal_name]  # the markup shown as text
    assert entry.xpath("a/@href") == [author.get_absolute_url()]
    assert entry.xpath("span[@class='muted']/text()") == ["R&D <Institute>"]
    assert not entry.xpath(".//b")
