"""One site address (commentaries/addresses.py): SITE_URL when set, else the request's own, else
(development, outside a request) what `make run` serves. Every absolute address the site hands
out, on pages, in feeds, sitemaps, citations, OAI-PMH, Crossref deposits, e-mails and PDFs,
comes from there."""

import io
import json
import re

import feedparser
import pytest
from django.core import mail
from django.test import Client
from lxml import etree
from pypdf import PdfReader

from commentaries.addresses import absolute, site_url
from commentaries.alerts import messages
from commentaries.scholarly import crossref, pdf
from tests.commentaries.alerts.conftest import parts
from tests.commentaries.alerts.helpers import links, parsed
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db

SITE = "https://commentaries.example.org"
INTERNAL = "app-3.internal:8080"  # the host a request came in on, behind a proxy
URL = re.compile(r"https?://[^\s\"'<>\\]+")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def site_addresses(text):
    """The absolute addresses in `text` that are not other sites' (DOI, ORCID, schemas)."""
    others = ("doi.org", "orcid.org", "schema.org", "www.w3.org", "purl.org", "openarchives")
    others += ("www.crossref.org", "www.ncbi.nlm.nih.gov", "jsonfeed.org", "sitemaps.org", "x.com")
    others += (
        "www.facebook.com",
        "www.linkedin.com",
        "www.loc.gov",
        "dublincore.org",
        "creativecommons.org",
    )
    return [url for url in URL.findall(text) if not any(other in url for other in others)]


def test_with_site_url_every_absolute_address_is_the_sites_whatever_the_host(
    settings, seed, media
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-3.internal"]
    seed.doi = "10.99999/ajiss.210"
    seed.save()
    client = Client(HTTP_HOST=INTERNAL)
    texts = {}
    for path in [
        seed.get_absolute_url(),
        "/commentaries/210/cite.bib",
        "/commentaries/210/cite.ris",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/authors/junya-nishino/feeds/atom/",
        "/topics/history-issues/feeds/rss/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-commentaries.xml",
        "/sitemap-authors.xml",
        "/robots.txt",
        "/oai/?verb=Identify",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = response.content.decode()
    page = client.get("/feeds/atom/", HTTP_ACCEPT="text/html")  # the feed's page for browsers
    texts["feed page"] = page.content.decode()
    texts["crossref"] = crossref.deposit_xml([seed], batch_id="b")[1].decode()
    texts["pdf"] = pdf_text(pdf.render(seed))
    message = parsed(messages.test_copy(seed, "editor@example.org"))
    texts["alert"] = " ".join(map(str, [message["List-Unsubscribe"], *parts(message)]))
    for name, text in texts.items():
        found = site_addresses(text)
        assert found, name
        assert [url for url in found if not url.startswith(SITE + "/")] == [], name
    assert f"{SITE}/commentaries/210/" in texts["pdf"].replace("\n", "")
    assert "app-3.internal" not in "".join(texts.values())
    oai = texts["/oai/?verb=ListRecords&metadataPrefix=oai_dc"]
    assert "oai:commentaries.example.org:ajiss-commentary/210" in oai


def test_feeds_read_by_a_feed_reader_point_at_the_site(settings, seed):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-3.internal"]
    client = Client(HTTP_HOST=INTERNAL)
    for kind in ("rss", "atom"):
        feed = feedparser.parse(client.get(f"/feeds/{kind}/").content)
        assert feed.feed.link == f"{SITE}/", kind
        (entry,) = feed.entries
        assert entry.link == f"{SITE}{seed.get_absolute_url()}", kind
    assert entry.authors[0].href == f"{SITE}/authors/junya-nishino/"
    feed = json.loads(client.get("/feeds/json/").content)
    assert (feed["home_page_url"], feed["feed_url"]) == (f"{SITE}/", f"{SITE}/feeds/json/")
    (item,) = feed["items"]
    assert item["url"] == f"{SITE}{seed.get_absolute_url()}"
    assert item["authors"][0]["url"] == f"{SITE}/authors/junya-nishino/"


def test_without_site_url_the_requests_own_scheme_host_and_port(settings, seed):
    """`make run`: whatever address the development server is reached at, links in the
    confirmation e-mail, sent by a task run in the request, lead back to it."""
    settings.SITE_URL = ""
    client = Client(HTTP_HOST="localhost:8123")
    page = client.get(seed.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://localhost:8123{seed.get_absolute_url()}">' in page
    response = client.post(
        "/alerts/subscribe/",
        {"email": "reader@example.org", "follow": "all", "frequency": "each", "source": "/"},
        HTTP_ORIGIN="http://localhost:8123",
    )
    assert response.status_code == 200
    (message,) = mail.outbox
    found = links(parsed(message).get_body(("plain",)).get_content())
    assert found and all(url.startswith("http://localhost:8123/") for url in found), found
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost:8123/sitemap-pages.xml</loc>" in sitemap
    assert (
        "Sitemap: http://localhost:8123/sitemap.xml" in client.get("/robots.txt").content.decode()
    )


def test_a_pdf_rendered_by_the_worker_prints_an_absolute_address(settings, seed, media):
    """No request in a worker: the PDF prints SITE_URL's address, and in development (no
    SITE_URL) what `make run` serves, never a bare path."""
    settings.SITE_URL = SITE
    rendition = pdf.render_and_store(seed.pk)
    text = pdf_text(rendition.file.read()).replace("\n", "")
    assert f"{SITE}{seed.get_absolute_url()}" in text

    settings.SITE_URL = ""
    other = CommentaryFactory(number=9001, key_points=["A point."])
    rendition = pdf.render_and_store(other.pk)
    text = pdf_text(rendition.file.read()).replace("\n", "")
    assert f"http://127.0.0.1:8000{other.get_absolute_url()}" in text


def test_outside_a_request_development_falls_back_to_make_runs_address(settings, monkeypatch):
    settings.SITE_URL = ""
    monkeypatch.delenv("PORT", raising=False)
    assert site_url() == "http://127.0.0.1:8000"
    monkeypatch.setenv("PORT", "8001")  # PORT=8001 make run
    assert absolute("/oai/") == "http://127.0.0.1:8001/oai/"
    settings.SITE_URL = SITE
    assert absolute("/oai/") == f"{SITE}/oai/"


def test_the_preview_link_an_editor_hands_out_is_the_sites(settings, editor):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-3.internal"]
    draft = CommentaryFactory(status="draft")
    client = Client(HTTP_HOST=INTERNAL)
    client.force_login(editor)
    response = client.post(f"/admin/commentaries/commentary/{draft.pk}/preview-link/")
    assert response.status_code == 200
    found = [u for u in URL.findall(response.content.decode()) if "/preview/" in u]
    assert found and all(u.startswith(f"{SITE}/preview/") for u in found), found


def test_crossref_deposit_resource_is_absolute_without_a_request(settings, seed):
    settings.SITE_URL = ""
    seed.doi = "10.99999/ajiss.210"
    xml = crossref.deposit_xml([seed], batch_id="b")[1]
    resource = etree.fromstring(xml).xpath("//c:resource/text()", namespaces={"c": crossref.CR})
    assert resource == [f"http://127.0.0.1:8000{seed.get_absolute_url()}"]
