"""<link rel="alternate" hreflang> as a crawler reads it: every public edition of the page, its
own included, at an absolute address that answers 200, and x-default; reciprocal both ways."""

import datetime as dt

import lxml.html
import pytest
from django.urls import reverse

from commentaries.models import Commentary
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture
def pair():
    """An English original and its Japanese translation, each with a slug of its own."""
    original = CommentaryFactory(number=9016, title="Ports that share their weather")
    translation = CommentaryFactory(
        number=9016, title="天気を分け合う港", slug="minato", language="ja", original=original
    )
    return original, translation


def hreflang(client, path):
    """{hreflang: href} of the page's language alternates (its feeds left out)."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = lxml.html.fromstring(response.content)
    links = page.xpath("//head/link[@rel='alternate'][@hreflang][not(@type)]")
    found = [(link.get("hreflang"), link.get("href")) for link in links]
    assert len(found) == len(dict(found)), found  # one link a language
    return dict(found)


def test_each_edition_names_both_and_x_default_reciprocally(client, pair):
    original, translation = pair
    english = BASE + original.get_absolute_url()
    japanese = BASE + translation.get_absolute_url()
    assert japanese == f"{BASE}/ja/commentaries/9016/minato/"
    expected = {"en": english, "ja": japanese, "x-default": english}
    assert hreflang(client, original.get_absolute_url()) == expected
    assert hreflang(client, translation.get_absolute_url()) == expected


def test_every_alternate_answers_200_without_a_redirect(client, pair):
    original, _ = pair
    for href in hreflang(client, original.get_absolute_url()).values():
        assert client.get(href.removeprefix(BASE)).status_code == 200, href


def test_a_translation_not_public_is_not_advertised(client, pair):
    original, translation = pair
    translation.status = Commentary.Status.DRAFT
    translation.save()
    english = BASE + original.get_absolute_url()
    assert hreflang(client, original.get_absolute_url()) == {"en": english, "x-default": english}


def test_a_japanese_original_alone_is_its_own_x_default(client):
    piece = CommentaryFactory(number=9017, slug="hitori", language="ja")
    japanese = BASE + piece.get_absolute_url()
    assert hreflang(client, piece.get_absolute_url()) == {"ja": japanese, "x-default": japanese}


@pytest.mark.parametrize("name", ["commentaries:home", "commentaries:list", "authors:list"])
def test_other_pages_name_their_address_in_each_language(client, seed, name):
    path = reverse(name)
    expected = {"en": BASE + path, "ja": f"{BASE}/ja{path}", "x-default": BASE + path}
    assert hreflang(client, path) == expected
    assert hreflang(client, f"/ja{path}") == expected


def test_a_page_not_found_names_no_alternates(client, seed):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = lxml.html.fromstring(response.content)
    assert not page.xpath("//link[@hreflang][not(@type)]")


def test_a_translation_costs_the_page_no_query(client, pair):
    """Guards against a query per edition: the page fetches its editions in one query, which
    a piece without a translation makes too."""
    original, _ = pair
    alone = CommentaryFactory(number=9019, title="A piece in one language")
    # What the first page a process shows caches (content types), on a page of its own.
    client.get(CommentaryFactory(number=9020).get_absolute_url())
    counts = query_counts(client, [alone.get_absolute_url(), original.get_absolute_url()])
    assert counts[original.get_absolute_url()] == counts[alone.get_absolute_url()]


@pytest.mark.parametrize(
    "path", ["/authors/aiko-tanabe/", "/topics/ports/", "/series/harbour-notes/", "/archive/2020/"]
)
def test_a_list_names_only_the_languages_it_has_pieces_in(client, path):
    """A list with no pieces in a language answers 404 there: it is not named."""
    author = AuthorFactory(slug="aiko-tanabe")
    series = SeriesFactory(name="Harbour Notes", slug="harbour-notes")
    when = dt.datetime(2020, 5, 1, tzinfo=dt.UTC)
    english = CommentaryFactory(
        series=series, authors=[author], topics=["ports"], published_at=when
    )
    assert hreflang(client, path) == {"en": BASE + path, "x-default": BASE + path}
    assert client.get(f"/ja{path}").status_code == 404
    CommentaryFactory(
        series=series,
        number=english.number,
        language="ja",
        slug="ja",
        original=english,
        authors=[author],
        topics=["ports"],
        published_at=when,
    )
    expected = {"en": BASE + path, "ja": f"{BASE}/ja{path}", "x-default": BASE + path}
    assert hreflang(client, path) == expected
    assert hreflang(client, f"/ja{path}") == expected
