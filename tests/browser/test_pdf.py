"""The PDF of an imported piece in Chromium: its reader clicks "Download PDF" on the piece's
page and Chromium's viewer gets the file on that first request, rendered by a real task worker after the import,
or in the request itself when no worker has got to it; while a worker holds the render, the
reader gets the styled page, which reloads itself into the file. Page 1 is read back as text
and as a picture (poppler's pdftotext and pdftoppm). Pictures go to PDF_SCREENSHOTS (default:
the test's temporary directory) to be looked at."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from commentaries import importer
from commentaries.models import Commentary
from commentaries.scholarly import pdf, views
from commentaries.scholarly.models import PdfClaim, PdfRendition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SEED_TEXT = (Path(importer.__file__).parent / "seed" / "ajiss-commentary-210.txt").read_text()
TITLE = "Tokyo and Seoul need a standing channel for maritime incidents"
PUBLISHER = "The Association of Japanese Institutes of Strategic Studies"


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("PDF_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def media(settings, tmp_path):
    """The files, where the live server and the workers alike keep them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def imported(task_workers, media, tmp_path):
    """A piece imported as an editor would, its tasks queued in the database."""
    lines = SEED_TEXT.splitlines()
    lines[2] = TITLE
    path = tmp_path / "piece.txt"
    path.write_text("\n".join(lines).replace("No.210", "No.211") + "\n")
    call_command("import_commentary", str(path), stdout=io.StringIO())
    return Commentary.objects.get(number=211)


def download_from_the_page(browser, live_server, piece, width=1280):
    """Open the piece's page, click its PDF link; the bytes of the file the browser got (the
    stored file its ETag names: Chromium's viewer keeps the body to itself)."""
    context = browser.new_context(viewport={"width": width, "height": 860})
    page = context.new_page()
    page.goto(live_server.url + piece.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith("/pdf/")) as answer:
        page.get_by_role("link", name="Download PDF").click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    etag = answer.value.headers["etag"].strip('"')
    context.close()
    return PdfRendition.objects.get(commentary=piece, etag=etag).file.read()


def page_one(data, folder, name):
    """Page 1's text (pdftotext) and a picture of it (pdftoppm), kept for looking at."""
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "80", "-png", "-singlefile", path, path.with_suffix("")],
        check=True, timeout=60,
    )  # fmt: skip
    assert path.with_suffix(".png").stat().st_size > 10_000  # a page with print on it
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", path, "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_rendered_by_the_worker_and_served_on_the_first_request(
    browser, live_server, imported, task_workers, media, shots
):
    task_workers.batch(MEDIA_ROOT=str(media))  # the worker runs what the import queued
    assert PdfRendition.objects.filter(commentary=imported).count() == 1
    data = download_from_the_page(browser, live_server, imported)
    assert data.startswith(b"%PDF-")
    lines = page_one(data, shots, "worker")
    assert lines[0] == PUBLISHER  # the masthead
    assert lines[1] == "AJISS-Commentary No.211"
    assert TITLE in " ".join(lines[2:4])


def test_rendered_in_the_first_request_when_no_worker_got_to_it(
    browser, live_server, imported, shots
):
    assert not PdfRendition.objects.exists()  # queued, and no worker runs
    data = download_from_the_page(browser, live_server, imported)
    assert data.startswith(b"%PDF-")
    assert page_one(data, shots, "request")[0] == PUBLISHER
    assert PdfRendition.objects.filter(commentary=imported).count() == 1


@pytest.mark.parametrize("width", [390, 1280])
def test_while_a_worker_renders_it_the_page_waits_then_becomes_the_file(
    browser, live_server, imported, shots, width, monkeypatch
):
    monkeypatch.setattr(views, "WAIT_SECONDS", 0)  # the worker takes longer than a request waits
    claim = PdfClaim.objects.create(commentary=imported, edition=pdf.edition(imported))
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    url = f"{live_server.url}/commentaries/211/pdf/"
    response = page.goto(url)
    assert response.status == 503 and response.headers["retry-after"] == "5"
    assert page.get_by_role("heading", level=1).inner_text() == "The PDF is being prepared"
    assert page.locator(".site-header").is_visible()  # in the site's look
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=shots / f"not-ready-{width}.png", full_page=True)
    claim.delete()  # the renderer let go without a file (its render failed): the reload renders it
    with page.expect_response(lambda r: r.url == url, timeout=30_000) as answer:
        pass  # the meta refresh, five seconds after the page came
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    context.close()
