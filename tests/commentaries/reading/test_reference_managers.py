"""What reference managers keep of a piece, read as Zotero reads it.

Zotero (checked with its translation-server and the translators' source) prefers unAPI to the
page's meta tags: through /unapi it imports the RIS, whose T2 it keeps as a report's series and
whose KW as tags. Its meta-tag reader ("Embedded Metadata") takes citation_abstract as the
abstract, DC.type as the report type and any "10/..." in DC.identifier as a DOI; it keeps no
series for a report and drops citation_keywords unless another translator called it.
"""

import re

import pytest
import rispy
from lxml import html

from commentaries.models import Commentary
from commentaries.reading import metadata
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
# Zotero's cleanDOI: a registrant is optional, so "10/anything" passes for a (short) DOI
ZOTERO_DOI = re.compile(r"10(?:\.[0-9]{4,})?/[^\s]*[^\s.,]")


def metas(client, path):
    doc = html.fromstring(client.get(path).content)
    found = {}
    for meta in doc.iterfind(".//meta[@content]"):
        found.setdefault(meta.get("name") or meta.get("property"), []).append(meta.get("content"))
    return doc, found


@pytest.fixture
def piece(seed):
    seed.summary = (
        "Leaders of both countries should say, plainly and often, why cooperation matters."
    )
    seed.save()
    return seed


def test_citation_abstract_holds_the_summary_and_every_key_point_whole(client, piece):
    _, meta = metas(client, piece.get_absolute_url())
    points = [point.text for point in piece.ordered_key_points]
    (whole,) = meta["citation_abstract"]
    assert whole == " ".join([piece.summary, *points])
    assert meta["DC.description"] == [whole]
    assert len(whole) > 600  # the truncated description stopped at sixty words
    assert meta["og:description"] == [metadata.description(piece)]  # previews stay short


def test_the_report_type_is_one_zotero_keeps(client, piece):
    _, meta = metas(client, piece.get_absolute_url())
    assert meta["DC.type"] == ["Commentary"]  # Zotero's report type; "Text" said nothing
    assert meta["citation_technical_report_number"] == ["210"]
    assert meta["citation_series_title"] == ["AJISS-Commentary"]
    assert meta["citation_keywords"] == [t.name for t in piece.ordered_topics]


def test_no_identifier_passes_for_a_doi_unless_the_piece_has_one(client, piece):
    """No.210's address holds "10/political-..."; as DC.identifier Zotero filed it as a DOI."""
    _, meta = metas(client, piece.get_absolute_url())
    assert not [v for v in meta.get("DC.identifier", []) if ZOTERO_DOI.search(v)]
    assert "citation_doi" not in meta
    piece.doi = "10.99999/ajiss.210"
    piece.save()
    _, meta = metas(client, piece.get_absolute_url())
    assert meta["DC.identifier"] == ["https://doi.org/10.99999/ajiss.210"]


def test_the_page_points_zotero_at_unapi(client, piece):
    doc, _ = metas(client, piece.get_absolute_url())
    (server,) = doc.xpath('//link[@rel="unapi-server"]/@href')
    assert server == "http://testserver/unapi"
    assert doc.xpath('//abbr[@class="unapi-id"]/@title') == ["ajiss-commentary/210"]


def test_unapi_lists_its_formats_and_leads_to_the_ris(client, piece):
    listing = client.get("/unapi")
    assert listing.status_code == 200
    assert b'<format name="ris" type="application/x-research-info-systems"/>' in listing.content
    one = client.get("/unapi", {"id": "ajiss-commentary/210"})
    assert one.status_code == 300  # unAPI: the formats of one id
    assert b'<formats id="ajiss-commentary/210">' in one.content
    response = client.get("/unapi", {"id": "ajiss-commentary/210", "format": "ris"}, follow=True)
    assert response.redirect_chain[-1][0] == "/commentaries/210/cite.ris"
    (record,) = rispy.loads(response.content.decode())
    points = [point.text for point in piece.ordered_key_points]
    assert record["type_of_reference"] == "RPRT"
    assert record["type_of_work"] == "Commentary"  # M3: Zotero's report type
    assert record["secondary_title"] == "AJISS-Commentary"  # T2: a report's series in Zotero
    assert record["issn"] == "210"  # SN: the report number
    assert record["keywords"] == [t.name for t in piece.ordered_topics]  # KW: Zotero's tags
    assert record["abstract"] == " ".join([piece.summary, *points])
    assert record["file_attachments1"] == "http://testserver/commentaries/210/pdf/"


def test_unapi_knows_only_public_pieces_and_its_own_formats(client, piece):
    CommentaryFactory(number=9050, status=Commentary.Status.DRAFT)
    for identifier in ("ajiss-commentary/9050", "ajiss-commentary/999", "nonsense", "a/b/1"):
        assert client.get("/unapi", {"id": identifier}).status_code == 404, identifier
    assert (
        client.get("/unapi", {"id": "ajiss-commentary/210", "format": "marc"}).status_code == 406
    )
