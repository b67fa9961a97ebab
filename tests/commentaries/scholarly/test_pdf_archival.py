"""The PDF edition as an accessible, archival file: tagged (PDF/UA-1), PDF/A-2a, with XMP
metadata; read back with pypdf and with poppler's pdfinfo and pdffonts."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
import time_machine
from lxml import etree
from pypdf import PdfReader

from commentaries.scholarly import pdf
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
SITE = "https://commentaries.example.org"
RENDERED = dt.datetime(2026, 3, 2, 3, 4, 5, tzinfo=dt.UTC)
X = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "prism": "http://prismstandard.org/namespaces/basic/3.0/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


@pytest.fixture
def rendered(seed, settings, tmp_path):
    """No.210 with a DOI, rendered by the task at a known time, long after its publication."""
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    seed.doi = "10.99999/ajiss.210"
    seed.save()
    with time_machine.travel(RENDERED, tick=False):
        rendition = pdf.render_and_store(seed.pk)
    path = tmp_path / "ajiss-commentary-210.pdf"
    path.write_bytes(rendition.file.read())
    return seed, path


def xmp(reader):
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert data.startswith(b"<?xpacket begin=") and data.rstrip().endswith(b'<?xpacket end="r"?>')
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def values(tree, path):
    return [text.strip() for text in tree.xpath(f"{path}//text()", namespaces=X) if text.strip()]


def structure(node, depth=0):
    """(depth, role) of each structure element, in the tree's (reading) order."""
    node = node.get_object()
    found = [(depth, str(node["/S"]))] if "/S" in node else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/Type") not in ("/OBJR", "/MCR"):
            found += structure(kid, depth + 1)
    return found


def test_the_pdf_is_tagged_in_reading_order_with_its_language_and_title_shown(rendered):
    seed, path = rendered
    root = PdfReader(path).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # not the file name
    roles = [role for _, role in structure(root["/StructTreeRoot"])]
    assert roles[0] == "/Document"
    for role in ("/H1", "/H2", "/L", "/LI", "/LBody", "/P", "/Link"):
        assert role in roles, role
    # Title, then the key points' heading and list, then the body's paragraphs.
    first_h1, h2, first_list = roles.index("/H1"), roles.index("/H2"), roles.index("/L")
    assert first_h1 < h2 < first_list < len(roles) - roles[::-1].index("/P") - 1
    assert roles.count("/LI") == len(seed.ordered_key_points)


def test_xmp_metadata_carries_the_work_and_claims_pdf_ua_1_and_pdf_a_2a(rendered):
    seed, path = rendered
    tree = xmp(PdfReader(path))
    assert values(tree, "//dc:title") == [seed.title]
    assert values(tree, "//dc:creator") == ["Junya Nishino"]
    assert values(tree, "//dc:date") == ["2015-05-15T00:00:00+09:00"]  # the publication
    assert values(tree, "//dc:language") == ["en"]
    assert values(tree, "//dc:publisher") == [seed.series.publisher]
    assert values(tree, "//dc:subject") == [t.name for t in seed.ordered_topics]
    assert values(tree, "//dc:identifier") == ["doi:10.99999/ajiss.210"]
    assert values(tree, "//prism:doi") == ["10.99999/ajiss.210"]
    assert values(tree, "//prism:url") == [f"{SITE}{seed.get_absolute_url()}"]
    assert values(tree, "//pdfuaid:part") == ["1"]
    assert values(tree, "//pdfaid:part") == ["2"]
    assert values(tree, "//pdfaid:conformance") == ["A"]
    # PDF/A admits pdfuaid and prism only with a description of their schemas
    described = values(tree, "//pdfaSchema:prefix")
    assert {"pdfuaid", "prism"} <= set(described)
    assert pdf.STANDARDS == ("PDF/A-2a", "PDF/UA-1")


def test_created_and_modified_are_the_rendering_not_the_publication(rendered):
    seed, path = rendered
    reader = PdfReader(path)
    assert reader.metadata.creation_date == RENDERED
    assert reader.metadata.modification_date == RENDERED
    tree = xmp(reader)
    for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        (value,) = values(tree, f"//{name}")
        assert dt.datetime.fromisoformat(value) == RENDERED, name
    # the information dictionary and the XMP packet say the same
    assert values(tree, "//pdf:Producer") == [reader.metadata.producer]
    assert values(tree, "//pdf:Keywords") == [reader.metadata["/Keywords"]]


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs poppler-utils (pdfinfo, pdffonts)")
def test_poppler_reads_it_as_tagged_with_a_metadata_stream_and_embedded_unicode_fonts(rendered):
    seed, path = rendered
    utc = {**os.environ, "TZ": "UTC"}
    info = dict(
        line.split(":", 1)
        for line in subprocess.run(
            ["pdfinfo", path], capture_output=True, text=True, check=True, env=utc
        ).stdout.splitlines()
    )
    info = {key: value.strip() for key, value in info.items()}
    assert info["Tagged"] == "yes"
    assert info["Metadata Stream"] == "yes"
    assert info["Title"] == seed.title
    assert info["CreationDate"] == "Mon Mar  2 03:04:05 2026 UTC"  # when it was rendered
    assert info["PDF version"] == "1.7"
    fonts = subprocess.run(
        ["pdffonts", path], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:  # name type encoding emb sub uni object ID
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), line
    meta = subprocess.run(
        ["pdfinfo", "-meta", path], capture_output=True, text=True, check=True
    ).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta


def test_a_japanese_piece_declares_its_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    piece = CommentaryFactory(
        number=9040,
        title="日韓関係の将来と対話",
        language="ja",
        key_points=["日本と韓国は対話を深めるべきである。"],
        authors=[AuthorFactory(given_name="Aiko", family_name="Tanabe", honorific="")],
    )
    reader = PdfReader(io.BytesIO(pdf.render(piece)))
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    tree = xmp(reader)
    assert values(tree, "//dc:title") == ["日韓関係の将来と対話"]
    assert values(tree, "//dc:language") == ["ja"]
    assert values(tree, "//dc:identifier") == [f"http://127.0.0.1:8000{piece.get_absolute_url()}"]
