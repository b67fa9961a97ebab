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
        "Junya Nishino Associate Professor, Department of Political Science, Faculty of Law and "
        "Politics, Keio University RSS feed of Junya Nishino E-mail alerts for Junya Nishino"
    ]
    piece = full_commentary(authors=5)
    entries, more_queries = directory(client)
    assert len(entries) == 6
    for author in piece.authors.all():  # whatever names the factory's sequence has reached
        name = author.byline_name
        assert (
            f"{name} Senior Fellow, The Test Institute RSS feed of {name} E-mail alerts for {name}"
            in entries
        )
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
    assert entry.xpath("a/text()") == [author.byline_name]  # the markup shown as text
    assert entry.xpath("a/@href") == [author.get_absolute_url()]
    assert entry.xpath("span[@class='muted']/text()") == ["Senior Fellow, R&D <Institute>"]
    assert not entry.xpath(".//b")


def test_directory_uses_the_byline_name_and_the_author_page_the_formal_one(client, seed):
    """One name form in the directory (as bylines print it, no honorific); the formal name,
    honorific included, on the author's own page."""
    page = html.fromstring(client.get("/authors/").content)
    assert page.xpath("//ul[@class='author-list']/li/a[@class='author-name']/text()") == [
        "Junya Nishino"
    ]
    follow = page.xpath("//ul[@class='author-list']/li/span[@class='follow']/a/@href")
    assert follow == [
        "/authors/junya-nishino/feeds/rss/",
        "/subscribe/?follow=author:junya-nishino",
    ]
    assert client.get(follow[0], HTTP_ACCEPT="application/rss+xml").status_code == 200
    assert client.get(follow[1]).status_code == 200
    own = html.fromstring(client.get("/authors/junya-nishino/").content)
    assert own.xpath("string(//h1)") == "Dr. NISHINO Junya"
