import json

import pytest
from lxml import html

from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def head(client, url):
    page = html.fromstring(client.get(url).content)
    meta = {}
    for element in page.xpath("//head/meta[@content]"):
        meta.setdefault(element.get("property") or element.get("name"), []).append(
            element.get("content")
        )
    (ld,) = [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]
    return page, meta, ld


def test_canonical_description_open_graph_and_twitter(client, seed):
    page, meta, _ = head(client, "/commentaries/210/" + seed.slug + "/")
    canonical = f"http://testserver/commentaries/210/{seed.slug}/"
    assert page.xpath("//link[@rel='canonical']/@href") == [canonical]
    first_point = seed.ordered_key_points[0].text
    assert meta["description"][0].startswith(first_point)
    assert meta["og:description"] == meta["description"]
    assert meta["og:url"] == [canonical]
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == meta["twitter:title"] == [seed.title]
    assert meta["twitter:card"] == ["summary_large_image"]  # its share card (media)
    assert meta["article:author"] == ["http://testserver/authors/junya-nishino/"]


def test_google_scholar_tags(client, seed):
    _, meta, _ = head(client, seed.get_absolute_url())
    assert meta["citation_title"] == [seed.title]
    assert meta["citation_author"] == ["Nishino, Junya"]
    assert meta["citation_publication_date"] == ["2015/05/15"]
    assert meta["citation_technical_report_institution"] == [
        "The Association of Japanese Institutes of Strategic Studies"
    ]
    assert meta["citation_technical_report_number"] == ["210"]
    assert meta["citation_abstract_html_url"] == [f"http://testserver{seed.get_absolute_url()}"]
    assert meta["citation_language"] == ["en"]


def test_one_citation_author_per_author_in_byline_order(client, db):
    first = AuthorFactory(given_name="Akiko", family_name="Fukushima")
    second = AuthorFactory(given_name="Ken", family_name="Jimbo")
    commentary = CommentaryFactory(authors=[first, second])
    _, meta, ld = head(client, commentary.get_absolute_url())
    assert meta["citation_author"] == ["Fukushima, Akiko", "Jimbo, Ken"]
    assert [a["name"] for a in ld["author"]] == ["Akiko Fukushima", "Ken Jimbo"]


def test_json_ld_article(client, seed):
    _, _, ld = head(client, seed.get_absolute_url())
    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == ["Report", "OpinionNewsArticle"]
    assert ld["headline"] == seed.title
    assert ld["datePublished"] == "2015-05-15T00:00:00+09:00"
    assert ld["dateModified"] == "2015-05-15T00:00:00+09:00"
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Junya Nishino",
            "givenName": "Junya",
            "familyName": "Nishino",
            "url": "http://testserver/authors/junya-nishino/",
            "affiliation": {
                "@type": "Organization",
                "name": "Department of Political Science, Faculty of Law and Politics, Keio University",
            },
        }
    ]
    assert ld["publisher"]["@type"] == "Organization"
    assert ld["publisher"]["name"] == "The Association of Japanese Institutes of Strategic Studies"
    assert ld["isPartOf"]["@type"] == "CreativeWorkSeries"
    assert ld["isPartOf"]["name"] == "AJISS-Commentary"
    assert ld["position"] == 210
    assert ld["abstract"].startswith(seed.ordered_key_points[0].text)
    assert ld["inLanguage"] == "en"
    assert "History issues" in ld["keywords"]


def test_json_ld_cannot_be_broken_out_of(client, db):
    """A title with markup stays data: nothing can close the script element early."""
    commentary = CommentaryFactory(title="</script><script>alert(1)</script> & more")
    page = client.get(commentary.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    _, meta, ld = head(client, commentary.get_absolute_url())
    assert ld["headline"] == commentary.title
    assert meta["citation_title"] == [commentary.title]


def test_other_series_metadata(client, db):
    series = SeriesFactory(name="Policy Brief", publisher="The Test Institute")
    commentary = CommentaryFactory(series=series, number=7)
    _, meta, ld = head(client, commentary.get_absolute_url())
    assert ld["isPartOf"]["url"] == "http://testserver/series/policy-brief/"
    assert meta["citation_technical_report_institution"] == ["The Test Institute"]
    assert meta["og:url"] == [f"http://testserver/series/policy-brief/7/{commentary.slug}/"]
