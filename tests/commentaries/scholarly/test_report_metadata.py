import json

import pytest
import rispy
from lxml import html
from pybtex.database import parse_string

from commentaries.reading import citations

pytestmark = pytest.mark.django_db
DOI = "10.99999/ajiss.210"
ORCID = "0000-0002-1825-0097"
INSTITUTION = "The Association of Japanese Institutes of Strategic Studies"


@pytest.fixture
def report_page(client, seed):
    seed.doi = DOI
    seed.save()
    author = seed.ordered_authors[0]
    author.orcid = ORCID
    author.save()
    return html.fromstring(client.get(seed.get_absolute_url()).content)


def metas(doc):
    found = {}
    for meta in doc.iterfind(".//meta[@content]"):
        found.setdefault(meta.get("name") or meta.get("property"), []).append(meta.get("content"))
    return found


def test_the_page_reads_as_a_numbered_report(report_page, seed):
    meta = metas(report_page)
    assert meta["citation_doi"] == [DOI]
    assert meta["citation_technical_report_number"] == ["210"]
    assert meta["citation_technical_report_institution"] == [INSTITUTION]
    assert meta["citation_series_title"] == ["AJISS-Commentary"]
    assert meta["citation_pdf_url"] == ["http://testserver/commentaries/210/pdf/"]
    assert meta["DC.title"] == [seed.title]
    assert meta["DC.creator"] == ["Nishino, Junya"]
    assert meta["DC.identifier"] == [f"https://doi.org/{DOI}"]
    assert meta["DC.type"] == ["Commentary"]  # Zotero keeps it as the report type
    assert meta["DC.publisher"] == [INSTITUTION]
    assert meta["DC.date"] == ["2015-05-15"]
    assert meta["DC.language"] == ["en"]
    assert [
        a.get("href") for a in report_page.iterfind(".//a") if a.text_content() == "Download PDF"
    ] == ["/commentaries/210/pdf/"]
    assert f"https://doi.org/{DOI}" in [a.get("href") for a in report_page.iterfind(".//a")]


def test_json_ld_report(report_page):
    (item,) = [
        json.loads(s.text) for s in report_page.iterfind(".//script[@type='application/ld+json']")
    ]
    assert "Report" in item["@type"]
    assert item["reportNumber"] == "210"
    assert item["isPartOf"]["@type"] == "CreativeWorkSeries"
    assert item["isPartOf"]["name"] == "AJISS-Commentary"
    assert item["publisher"]["name"] == INSTITUTION
    assert item["inLanguage"] == "en"
    assert item["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": DOI}
    assert f"https://doi.org/{DOI}" in item["sameAs"]
    assert item["author"][0]["sameAs"] == f"https://orcid.org/{ORCID}"
    assert item["encoding"]["contentUrl"] == "http://testserver/commentaries/210/pdf/"


def test_citation_files_and_styles_carry_the_doi(client, report_page, seed):
    bib = client.get("/commentaries/210/cite.bib").content.decode()
    entry = next(iter(parse_string(bib, "bibtex").entries.values()))
    assert entry.type == "techreport"
    assert entry.fields["number"] == "210"
    assert entry.fields["institution"] == INSTITUTION
    assert entry.fields["type"] == "AJISS-Commentary"
    assert entry.fields["doi"] == DOI
    (record,) = rispy.loads(client.get("/commentaries/210/cite.ris").content.decode())
    assert record["type_of_reference"] == "RPRT"
    assert record["doi"] == DOI
    seed.refresh_from_db()
    url = "https://example.org/commentaries/210/"
    assert citations.chicago(seed, url=url).endswith(f"https://doi.org/{DOI}.")
    assert citations.apa(seed, url=url).endswith(f"https://doi.org/{DOI}")


def test_without_a_doi_nothing_claims_one(client, seed):
    doc = html.fromstring(client.get(seed.get_absolute_url()).content)
    assert "citation_doi" not in metas(doc)
    assert "doi = " not in client.get("/commentaries/210/cite.bib").content.decode()


def test_the_author_page_shows_the_orcid_and_feeds_carry_the_doi(client, report_page, seed):
    author = seed.ordered_authors[0]
    doc = html.fromstring(client.get(author.get_absolute_url()).content)
    assert f"https://orcid.org/{ORCID}" in [a.get("href") for a in doc.iterfind(".//a")]
    feeds = [link.get("href") for link in doc.iterfind(".//link[@rel='alternate'][@type]")][:3]
    assert len(feeds) == 3  # the author's RSS, Atom and JSON feeds
    for feed in feeds:
        assert DOI in client.get(feed).content.decode()
