import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from commentaries.reading.related import related_commentaries, series_neighbours
from tests.factories import AuthorFactory, CommentaryFactory, full_commentary

pytestmark = pytest.mark.django_db


def titles(commentaries):
    return [commentary.title for commentary in commentaries]


def test_related_share_authors_or_topics_most_shared_first(db):
    author = AuthorFactory()
    piece = CommentaryFactory(authors=[author], topics=["ports", "shipping"])
    days_ago = iter(range(1, 10))

    def make(title, **kwargs):
        published = timezone.now() - dt.timedelta(days=next(days_ago))
        return CommentaryFactory(title=title, published_at=published, **kwargs)

    make("one topic, newer", topics=["ports"])
    make("author and topic", authors=[author], topics=["shipping"])
    make("two topics", topics=["ports", "shipping"])
    make("nothing shared", topics=["farming"])
    make("draft", status="draft", authors=[author], topics=["ports", "shipping"])
    make("one topic, older", topics=["shipping"])
    assert titles(related_commentaries(piece, limit=10)) == [
        "author and topic",
        "two topics",
        "one topic, newer",
        "one topic, older",
    ]
    assert titles(related_commentaries(piece)) == [
        "author and topic",
        "two topics",
        "one topic, newer",
    ]


def test_series_neighbours_by_number_published_only(seed):
    before = CommentaryFactory(number=209, title="No.209")
    CommentaryFactory(number=211, title="No.211 draft", status="draft")
    after = CommentaryFactory(number=212, title="No.212")
    assert series_neighbours(seed) == (before, after)
    assert series_neighbours(before) == (None, seed)


def test_page_shows_neighbours_and_related(client, seed):
    CommentaryFactory(number=209, title="The piece before", topics=["History issues"])
    page = html.fromstring(client.get(seed.get_absolute_url()).content)
    assert page.xpath("//nav[@class='series-nav']//a[@rel='prev']/@href") == [
        "/commentaries/209/test-commentary-209/"
    ]
    assert page.xpath("//section[@class='related']//h3/a/text()") == ["The piece before"]


def test_commentary_page_query_count_does_not_grow_with_related(
    client, db, django_assert_max_num_queries
):
    """Guards against N+1: related pieces rich in authors and topics cost no extra queries."""
    author = AuthorFactory()
    piece = full_commentary(authors=1, key_points=1, topics=1)
    piece.authorships.create(author=author, position=2)
    CommentaryFactory(authors=[author])
    with CaptureQueriesContext(connection) as baseline:
        client.get(piece.get_absolute_url())
    for _ in range(10):
        other = full_commentary(authors=5, key_points=10, topics=8)
        other.authorships.create(author=author, position=6)
        other.tags.add(*piece.tags.all())
    with django_assert_max_num_queries(len(baseline)):
        page = html.fromstring(client.get(piece.get_absolute_url()).content)
    assert len(page.xpath("//section[@class='related']//article")) == 3


def test_related_without_topics_or_without_authors(db):
    """A piece with authors and no topics still ranks by authors shared, and the other way."""
    first, second = AuthorFactory(), AuthorFactory()
    piece = CommentaryFactory(authors=[first, second], topics=[])
    CommentaryFactory(title="one author", authors=[first], topics=["ports"])
    CommentaryFactory(title="both authors", authors=[first, second], topics=["ports"])
    CommentaryFactory(title="stranger", authors=[AuthorFactory()], topics=["ports"])
    assert titles(related_commentaries(piece)) == ["both authors", "one author"]
    loner = CommentaryFactory(authors=[], topics=["ports", "shipping"])
    CommentaryFactory(title="two topics", authors=[AuthorFactory()], topics=["ports", "shipping"])
    assert titles(related_commentaries(loner))[0] == "two topics"
