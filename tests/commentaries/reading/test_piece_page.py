"""A piece's page as a reader meets it: who wrote it before what it says, one row of PDF, Cite
and Share, labelled corrections, bios under their authors' names, the disclaimer in the number
the byline has, and the alert form at the end."""

import datetime as dt
import re
from urllib.parse import parse_qs, quote, urlsplit

import lxml.html
import pytest

from commentaries.models import Correction
from tests.factories import AuthorFactory, AuthorshipFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db
STATE_QUERIES = 1  # a page from the page cache: the content generation, by primary key


def text_of(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def page_of(client, commentary):
    response = client.get(commentary.get_absolute_url())
    assert response.status_code == 200
    return response, lxml.html.fromstring(response.content)


@pytest.fixture
def three_authors(db):
    piece = CommentaryFactory(
        title="Three capitals, one strait",
        summary="Trilateral coordination needs standing mechanisms, not declarations.",
        key_points=["Institutionalise the secretariat.", "Share maritime data."],
        topics=["Maritime security"],
    )
    piece.tags.add("Alliances")  # a second topic, after the first
    for position, (given, title, affiliation) in enumerate(
        [
            ("Akiko", "Senior Fellow", "Tokyo Foundation"),
            ("Ken", "Professor", "Keio University"),
            ("Yuki", "Director", "Stimson Center"),
        ],
        1,
    ):
        AuthorshipFactory(
            commentary=piece,
            author=AuthorFactory(given_name=given, family_name="Sato", position="Now elsewhere"),
            position=position,
            position_title=title,
            affiliation=affiliation,
            bio=f"<p>{given} Sato writes on alliances.</p>",
        )
    return piece


def test_the_header_reads_series_title_standfirst_authors_date_then_the_tools(
    client, three_authors
):
    _, page = page_of(client, three_authors)
    text = text_of(page.xpath("//main")[0])
    parts = [
        "AJISS-Commentary",
        three_authors.label,
        "Three capitals, one strait",
        "Trilateral coordination needs standing mechanisms",
        "Akiko Sato",
        "Senior Fellow, Tokyo Foundation",
        "Ken Sato",
        "Professor, Keio University",
        "Yuki Sato",
        "Director, Stimson Center",
        "PDF",
        "Cite",
        "Share",
        "Key points",
        "Institutionalise the secretariat.",
    ]
    positions = [text.find(part) for part in parts]
    assert -1 not in positions, [p for p, i in zip(parts, positions, strict=True) if i == -1]
    assert positions == sorted(positions)
    # position and affiliation as published on the piece, not the profile's current ones
    assert "Now elsewhere" not in text
    (tools,) = page.xpath("//div[@class='piece-tools']")
    assert [text_of(t) for t in tools.xpath("./a | ./details/summary")] == [
        "Download PDF",
        "Cite",
        "Share",
    ]


def test_the_seed_shows_its_affiliation_as_published_before_a_visible_key_points_heading(
    client, seed
):
    _, page = page_of(client, seed)
    text = text_of(page.xpath("//main")[0])
    assert -1 < text.find("Keio University") < text.find("Key points")
    (heading,) = page.xpath("//h2[normalize-space()='Key points']")
    assert "visually-hidden" not in heading.get("class", "")


def test_the_disclaimer_follows_the_byline_in_number(client, seed, three_authors):
    _, page = page_of(client, three_authors)
    (disclaimer,) = page.xpath("//p[@class='disclaimer']")
    assert text_of(disclaimer).startswith(
        "The views expressed in this piece are the authors' own and should not be"
    )
    _, page = page_of(client, seed)
    (disclaimer,) = page.xpath("//p[@class='disclaimer']")
    assert "are the author's own" in text_of(disclaimer)


@pytest.mark.parametrize(
    ("written", "plural"),
    [
        ("the author's own", "the authors' own"),
        ("the author’s own", "the authors’ own"),
        ("those of the author alone", "those of the authors alone"),
        ("The Author's views, not {publisher}'s", "The Authors' views, not ACME's"),
        ("as authored", "as authored"),
    ],
)
def test_a_disclaimer_in_the_plural(written, plural):
    series = SeriesFactory.build(publisher="ACME", disclaimer=written)
    assert series.disclaimer_for(3) == plural
    assert series.disclaimer_for(1) == written.replace("{publisher}", "ACME")


def test_each_correction_is_labelled_with_its_date_and_the_date_line_says_updated(
    client, three_authors
):
    made = dt.datetime(2026, 6, 12, 3, 0, tzinfo=dt.UTC)  # 12:00 in Tokyo
    Correction.objects.create(commentary=three_authors, made_at=made, note="The year was wrong.")
    three_authors.modified_at = made
    three_authors.save(update_fields=["modified_at"])
    _, page = page_of(client, three_authors)
    (correction,) = page.xpath("//div[@id='corrections']/div[@class='correction']")
    assert text_of(correction) == "Correction, 12 June 2026 The year was wrong."
    assert text_of(correction.xpath(".//p[@class='correction-label']")[0]) == (
        "Correction, 12 June 2026"
    )
    (dateline,) = page.xpath("//header//p[@class='dateline']")
    assert "Updated 12 June 2026" in text_of(dateline)
    assert dateline.xpath(".//a/@href") == ["#corrections"]


def test_a_piece_never_corrected_says_nothing_of_corrections(client, three_authors):
    response, page = page_of(client, three_authors)
    assert b"Updated" not in response.content
    assert not page.xpath("//*[@id='corrections']")


def test_bios_are_headed_by_their_authors_names_in_byline_order(client, three_authors):
    _, page = page_of(client, three_authors)
    (bios,) = page.xpath("//section[@class='bios']")
    assert text_of(bios.xpath("./h2")[0]) == "About the authors"
    bios = bios.xpath(".//div[@class='bio']")
    assert [text_of(b.xpath(".//h3")[0]) for b in bios] == ["Akiko Sato", "Ken Sato", "Yuki Sato"]
    assert text_of(bios[1]).endswith("Ken Sato writes on alliances.")
    assert bios[0].xpath(".//h3/a/@href") == [three_authors.ordered_authors[0].get_absolute_url()]


def test_share_links_and_copy_link_without_a_nonce(client, three_authors):
    response, page = page_of(client, three_authors)
    (share,) = page.xpath("//details[summary[normalize-space()='Share']]")
    links = share.xpath(".//a/@href")
    canonical = f"http://testserver{three_authors.get_absolute_url()}"
    assert links == [
        f"https://x.com/intent/post?url={quote(canonical, safe='')}"
        f"&text={quote(three_authors.title, safe='')}",
        f"https://www.facebook.com/sharer/sharer.php?u={quote(canonical, safe='')}",
        f"https://www.linkedin.com/sharing/share-offsite/?url={quote(canonical, safe='')}",
        links[3],
    ]
    mail = urlsplit(links[3])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query) == {"subject": [three_authors.title], "body": [canonical]}
    # "Copy link" is hidden until the script shows it; the script is a file on this origin
    (copy,) = share.xpath(".//li[@data-copy-link]")
    assert copy.get("hidden") is not None
    assert copy.xpath(".//button/@data-url") == [canonical]
    data, script = page.xpath("//script")  # JSON-LD is data: it never runs
    assert (data.get("type"), data.get("src")) == ("application/ld+json", None)
    assert (script.get("src"), script.get("type"), script.text) == (
        "/static/js/share.js",
        None,
        None,
    )
    assert script.get("defer") is not None and script.get("nonce") is None
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "nonce-" not in policy


def test_the_page_with_its_script_is_kept_in_the_page_cache(
    client, three_authors, django_assert_num_queries
):
    """No nonce on the page: the page cache may keep it (it keeps no page with a nonce)."""
    first = client.get(three_authors.get_absolute_url())
    with django_assert_num_queries(STATE_QUERIES):
        again = client.get(three_authors.get_absolute_url())
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_cite_opens_the_citation_without_javascript(client, three_authors):
    _, page = page_of(client, three_authors)
    (cite,) = page.xpath("//details[summary[normalize-space()='Cite']]")
    assert cite.xpath(".//section[@class='cite-this']//p[@class='citation']")
    assert len(page.xpath("//section[@class='cite-this']")) == 1


def test_the_alert_form_ends_the_piece_offering_series_author_and_topic(client, three_authors):
    _, page = page_of(client, three_authors)
    (form,) = page.xpath("//form[@class='subscribe-form']")
    assert form.xpath("preceding-sibling::article[@class='commentary']")
    radios = form.xpath(".//input[@name='follow']")
    assert [(r.get("value"), r.get("checked") is not None) for r in radios] == [
        ("series:ajiss-commentary", True),
        (f"author:{three_authors.ordered_authors[0].slug}", False),
        ("topic:maritime-security", False),
    ]
    labels = [text_of(r.getparent()) for r in radios]
    assert labels == [
        "New pieces in AJISS-Commentary",
        "New pieces by Akiko Sato",
        "New pieces on Maritime security",
    ]
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']")


def test_a_piece_without_topics_offers_series_and_author(client, db):
    piece = CommentaryFactory(authors=[AuthorFactory()])
    _, page = page_of(client, piece)
    assert [r.get("value").partition(":")[0] for r in page.xpath("//input[@name='follow']")] == [
        "series",
        "author",
    ]
