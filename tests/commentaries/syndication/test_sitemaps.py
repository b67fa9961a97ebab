import datetime as dt

import pytest
from lxml import etree

from commentaries.syndication import sitemaps
from tests.factories import AuthorFactory, CommentaryFactory
from tests.queries import query_counts

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    """{address: lastmod} over every sitemap the index lists; each address in just one."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    urls = {}
    for entry in etree.fromstring(index.content).findall("s:sitemap", NS):
        assert entry.findtext("s:lastmod", namespaces=NS)
        location = entry.findtext("s:loc", namespaces=NS)
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200
        for url in etree.fromstring(response.content).findall("s:url", NS):
            address = url.findtext("s:loc", namespaces=NS)
            assert address not in urls, address
            urls[address] = url.findtext("s:lastmod", namespaces=NS)
    return urls


def test_sitemap_lists_published_pieces_authors_and_topics(client, seed):
    seed.modified_at = dt.datetime(2016, 1, 2, tzinfo=dt.UTC)
    seed.save()
    urls = sitemap(client)
    assert urls[f"http://testserver{seed.get_absolute_url()}"] == "2016-01-02"
    assert "http://testserver/authors/junya-nishino/" in urls
    assert "http://testserver/topics/history-issues/" in urls
    assert "http://testserver/" in urls


def test_sitemap_never_lists_unpublished_pieces(client, seed):
    author = AuthorFactory()
    draft = CommentaryFactory(status="draft", authors=[author], topics=["secret topic"])
    urls = sitemap(client)
    assert not [url for url in urls if draft.slug in url or author.slug in url]
    assert not [url for url in urls if "secret-topic" in url]


def test_sitemap_query_count_does_not_grow(client, seed, django_assert_max_num_queries):
    paths = ["/sitemap.xml", *(f"/sitemap-{s}.xml" for s in ("commentaries", "authors", "topics"))]
    baseline = query_counts(client, paths)
    for _ in range(30):
        CommentaryFactory(authors=[AuthorFactory()], topics=["one", "two"])
    for path in paths:
        with django_assert_max_num_queries(baseline[path]):
            assert client.get(path).status_code == 200
    assert len(sitemap(client)) > 60


def test_sitemaps_are_split_in_files_of_at_most_the_limit(client, seed, monkeypatch):
    """Files are runs of `limit` consecutive ids: a draft leaves a gap, never a piece out."""
    monkeypatch.setattr(sitemaps.CommentarySitemap, "limit", 2)
    pieces = [CommentaryFactory() for _ in range(3)]
    CommentaryFactory(status="draft")
    pieces.append(CommentaryFactory())
    ids = [seed.pk] + [piece.pk for piece in pieces]
    index = etree.fromstring(client.get("/sitemap.xml").content)
    locations = [e.findtext("s:loc", namespaces=NS) for e in index.findall("s:sitemap", NS)]
    files = [loc.removeprefix("http://testserver") for loc in locations if "commentaries" in loc]
    assert len(files) == (max(ids) - min(ids)) // 2 + 1
    for path in files:
        assert len(etree.fromstring(client.get(path).content).findall("s:url", NS)) <= 2
    urls = sitemap(client)  # each address in exactly one file
    for piece in [seed, *pieces]:
        assert f"http://testserver{piece.get_absolute_url()}" in urls
    past_the_last = f"/sitemap-commentaries.xml?p={len(files) + 1}"
    assert client.get(past_the_last).status_code == 404


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-commentaries.xml?p=0",
        "/sitemap-commentaries.xml?p=2",
        "/sitemap-commentaries.xml?p=abc",
        "/sitemap-commentaries.xml?p=-1",
        "/sitemap-commentaries.xml?p=%C2%B2",
        "/sitemap-commentaries.xml?p=99999999999999999999",
        "/sitemap-authors.xml?p=2",
        "/sitemap-nothing.xml",
    ],
)
def test_sitemap_files_that_do_not_exist_are_404(client, seed, path):
    assert client.get(path).status_code == 404


XHTML = "{http://www.w3.org/1999/xhtml}link"


def language_links(client):
    """{address of each piece: {hreflang: href}} from the pieces' sitemap."""
    urlset = etree.fromstring(client.get("/sitemap-commentaries.xml").content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.iter(XHTML)
        }
        for url in urlset.findall("s:url", NS)
    }


def test_each_edition_is_listed_with_every_public_edition_as_alternates(client, seed):
    """Reciprocal, as on the pages: each edition names both, and x-default the English."""
    translation = CommentaryFactory(
        number=seed.number, slug="nikkan", language="ja", original=seed, title="日韓協力"
    )
    english = f"http://testserver{seed.get_absolute_url()}"
    japanese = f"http://testserver{translation.get_absolute_url()}"
    assert japanese.startswith("http://testserver/ja/commentaries/210/nikkan/")
    links = language_links(client)
    expected = {"en": english, "ja": japanese, "x-default": english}
    assert links[english] == links[japanese] == expected


def test_a_translation_not_public_is_neither_listed_nor_named(client, seed):
    CommentaryFactory(
        number=seed.number, slug="nikkan", language="ja", original=seed, status="draft"
    )
    links = language_links(client)
    assert not [url for url in links if "/ja/" in url]
    assert links[f"http://testserver{seed.get_absolute_url()}"] == {}


def test_the_editions_cost_the_sitemap_no_query_per_piece(
    client, seed, django_assert_max_num_queries
):
    """Guards against a query per edition: a file's editions come in one query."""
    baseline = query_counts(client, ["/sitemap-commentaries.xml"])["/sitemap-commentaries.xml"]
    for number in range(5000, 5010):
        original = CommentaryFactory(number=number)
        CommentaryFactory(number=number, slug=f"ja-{number}", language="ja", original=original)
    with django_assert_max_num_queries(baseline):
        assert client.get("/sitemap-commentaries.xml").status_code == 200
    assert sum(1 for alternates in language_links(client).values() if alternates) == 20
