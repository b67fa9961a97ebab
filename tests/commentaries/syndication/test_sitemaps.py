import datetime as dt

import pytest
from lxml import etree

from tests.factories import AuthorFactory, CommentaryFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in tree.findall("s:url", NS)
    }


def test_sitemap_lists_published_pieces_authors_and_topics(client, seed):
    seed.modified_at = dt.datetime(2016, 1, 2, tzinfo=dt.UTC)
    seed.save()
    urls = sitemap(client)
    assert urls[f"http://testserver{seed.get_absolute_url()}"] == "2016-01-02"
    assert urls["http://testserver/authors/junya-nishino/"] == "2015-05-15"
    assert "http://testserver/tags/history-issues/" in urls
    assert "http://testserver/" in urls


def test_sitemap_never_lists_unpublished_pieces(client, seed):
    author = AuthorFactory()
    draft = CommentaryFactory(status="draft", authors=[author], topics=["secret topic"])
    urls = sitemap(client)
    assert not [url for url in urls if draft.slug in url or author.slug in url]
    assert not [url for url in urls if "secret-topic" in url]


def test_sitemap_query_count_does_not_grow(client, seed, django_assert_max_num_queries):
    baseline = query_counts(client, ["/sitemap.xml"])["/sitemap.xml"]
    for _ in range(30):
        CommentaryFactory(authors=[AuthorFactory()], topics=["one", "two"])
    with django_assert_max_num_queries(baseline):
        assert len(sitemap(client)) > 60


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()
