import re

import pytest
from lxml import html

from commentaries.reading import citations
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db
URL = "https://example.org/commentaries/210/political-leaders/"


def test_chicago_and_apa(seed):
    publisher = "The Association of Japanese Institutes of Strategic Studies"
    assert citations.chicago(seed, url=URL) == (
        f"Nishino, Junya. 2015. “{seed.title}.” AJISS-Commentary No.210. {publisher}. {URL}."
    )
    assert citations.apa(seed, url=URL) == (
        f"Nishino, J. (2015). <i>{seed.title}</i> (AJISS-Commentary No.210). {publisher}. {URL}"
    )


def test_several_authors():
    authors = [
        AuthorFactory(given_name="Akiko", family_name="Fukushima"),
        AuthorFactory(given_name="Kwan-jin", family_name="Kim"),
        AuthorFactory(given_name="Mary Ann", family_name="Smith"),
    ]
    commentary = CommentaryFactory(authors=authors)
    assert citations.chicago(commentary, url=URL).startswith(
        "Fukushima, Akiko, Kwan-jin Kim, and Mary Ann Smith. "
    )
    assert citations.apa(commentary, url=URL).startswith(
        "Fukushima, A., Kim, K.-J., &amp; Smith, M. A. ("
    )
    assert "author = {Fukushima, Akiko and Kim, Kwan-jin and Smith, Mary Ann}," in (
        citations.bibtex(commentary, url=URL)
    )


def test_bibtex(seed):
    entry = citations.bibtex(seed, url=URL)
    assert entry.startswith("@techreport{nishino2015ajisscommentary210,\n")
    assert f"  title = {{{{{seed.title}}}}},\n" in entry
    for field in (
        "author = {Nishino, Junya}",
        "institution = {The Association of Japanese Institutes of Strategic Studies}",
        "type = {AJISS-Commentary}",
        "number = {210}",
        "year = {2015}",
        "month = may",
        f"url = {{{URL}}}",
    ):
        assert f"  {field},\n" in entry
    assert entry.endswith("}\n")
    assert entry.count("{") == entry.count("}")


def test_bibtex_escapes_latex_specials():
    commentary = CommentaryFactory(title="50% of R&D: {costs} #1 ~ $x_y^2 \\ end")
    entry = citations.bibtex(commentary, url=URL)
    assert (
        r"50\% of R\&D: \{costs\} \#1 \textasciitilde{} \$x\_y\textasciicircum{}2 \textbackslash{} end"
        in entry
    )
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


def test_ris(seed):
    record = citations.ris(seed, url=URL)
    lines = record.split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert lines[-2:] == ["ER  - ", ""]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    for line in (
        "AU  - Nishino, Junya",
        f"TI  - {seed.title}",
        "T2  - AJISS-Commentary",
        "PB  - The Association of Japanese Institutes of Strategic Studies",
        "SN  - 210",
        "PY  - 2015",
        "DA  - 2015/05/15",
        f"UR  - {URL}",
        "KW  - History issues",
    ):
        assert line in lines


def test_ris_value_cannot_start_a_field():
    commentary = CommentaryFactory(title="Two\nlines\r\nER  - injected")
    lines = citations.ris(commentary, url=URL).split("\r\n")
    assert "TI  - Two lines ER - injected" in lines
    assert lines.count("ER  - ") == 1


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [("bib", "application/x-bibtex"), ("ris", "application/x-research-info-systems")],
)
def test_downloads(client, seed, extension, content_type):
    page = html.fromstring(client.get(seed.get_absolute_url()).content)
    (link,) = page.xpath(
        f"//section[@class='cite-this']//a[contains(@href, '.{extension}')]/@href"
    )
    assert link == f"/commentaries/210/cite.{extension}"
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ajiss-commentary-210.{extension}"'
    )
    assert f"http://testserver{seed.get_absolute_url()}" in response.content.decode()


def test_cite_this_block_is_visible(client, seed):
    page = html.fromstring(client.get(seed.get_absolute_url()).content)
    (block,) = page.xpath("//main//section[@class='cite-this']")
    text = " ".join(block.text_content().split())
    assert "Cite this commentary" in text
    assert "Nishino, Junya. 2015." in text
    assert "Nishino, J. (2015)." in text


def test_downloads_of_other_series_and_unpublished_pieces(client, db):
    series = SeriesFactory(name="Policy Brief")
    commentary = CommentaryFactory(series=series, number=7)
    assert client.get("/series/policy-brief/7/cite.ris").status_code == 200
    draft = CommentaryFactory(status="draft")
    assert client.get(f"/commentaries/{draft.number}/cite.bib").status_code == 404
    assert client.get(f"/commentaries/{commentary.number}/cite.txt").status_code == 404
    assert client.get("/commentaries/7/cite.ris").status_code == 404  # not in the primary series
