import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.utils import timezone

from authors.models import NameOrder
from commentaries.models import Commentary
from commentaries.publishing import events, services
from commentaries.scholarly import pdf
from commentaries.scholarly.models import PdfRendition
from tests.commentaries.scholarly.conftest import pdf_text
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
INSTITUTION = "The Association of Japanese Institutes of Strategic Studies"


def fetch(client, path):
    """GET the PDF: the first request renders it (test_pdfs_ready.py)."""
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_the_seed_pdf_holds_the_page_in_its_order(client, seed):
    seed.doi = "10.99999/ajiss.210"
    seed.save()
    response = client.get("/commentaries/210/pdf/")  # the first request, rendered in it
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ajiss-commentary-210.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    parts = [
        INSTITUTION,  # the masthead
        "AJISS-Commentary",
        "No.210",
        seed.title,
        "15 May 2015",
        "Junya Nishino",
        "DOI: https://doi.org/10.99999/ajiss.210",
        seed.ordered_key_points[0].text[:60],
        seed.ordered_key_points[-1].text[:60],
        "Excessive pessimism on improving Japan-ROK relations",  # the body
        "Dr. NISHINO Junya",  # the bio as published
        "The views expressed in this piece are the author's own",
        f"attributed to {INSTITUTION}",
        "/commentaries/210/",
    ]
    at = [text.find(part) for part in parts]
    assert -1 not in at, [p for p, i in zip(parts, at, strict=True) if i == -1]
    assert at == sorted(at)


def test_pdf_metadata(seed):
    from io import BytesIO

    from pypdf import PdfReader

    rendition = pdf.render_and_store(seed.pk)
    reader = PdfReader(BytesIO(rendition.file.read()))
    assert reader.metadata.title == seed.title
    assert reader.metadata.author == "Junya Nishino"
    assert "AJISS-Commentary No.210" in reader.metadata.subject
    assert "Japan-ROK relations" in reader.metadata["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_japanese_text_and_a_co_author(client):
    tanabe = AuthorFactory(given_name="Aiko", family_name="Tanabe", honorific="")
    yamada = AuthorFactory(
        given_name="Taro", family_name="Yamada", name_order=NameOrder.FAMILY_FIRST
    )
    CommentaryFactory(
        number=9030,
        title="日韓関係の将来と対話",
        key_points=["日本と韓国は対話を深めるべきである。", "Dialogue matters."],
        body="<p>日韓関係は両国にとって極めて重要である。</p><p>The body goes on in English.</p>",
        authors=[tanabe, yamada],
    )
    text = pdf_text(b"".join(fetch(client, "/commentaries/9030/pdf/").streaming_content))
    for part in (
        "日韓関係の将来と対話",
        "Aiko Tanabe and Taro Yamada",
        "日本と韓国は対話を深めるべきである。",
        "日韓関係は両国にとって極めて重要である。",
    ):
        assert part in text


def test_rendered_on_publication_again_after_a_major_correction_not_a_minor_edit(client):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, key_points=["A point."])
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    first = PdfRendition.objects.get(commentary=piece)
    etag = fetch(client, f"/commentaries/{piece.number}/pdf/")["ETag"]

    piece.body = "<p>First paragraph, a typo mended.</p>"
    piece.save()
    events.reconcile(piece.pk)
    assert list(PdfRendition.objects.filter(commentary=piece)) == [first]
    assert client.get(f"/commentaries/{piece.number}/pdf/")["ETag"] == etag

    services.commentary_correct(commentary=piece, by=None, note="The summit was in May.")
    events.reconcile(piece.pk)
    assert PdfRendition.objects.filter(commentary=piece).count() == 2
    response = client.get(f"/commentaries/{piece.number}/pdf/")
    assert response["ETag"] != etag
    assert "The summit was in May." in pdf_text(b"".join(response.streaming_content))


def test_etag_and_a_long_cache_lifetime(client, seed):
    response = fetch(client, "/commentaries/210/pdf/")
    assert "max-age=86400" in response["Cache-Control"]
    again = client.get("/commentaries/210/pdf/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_pdf_whose_file_was_lost_is_rendered_again(client, seed):
    first = fetch(client, "/commentaries/210/pdf/")
    lost = PdfRendition.objects.get()
    default_storage.delete(lost.file.name)
    again = fetch(client, "/commentaries/210/pdf/")  # rendered in the request, as at first
    assert b"".join(again.streaming_content).startswith(b"%PDF-")
    assert again["ETag"] and first["ETag"]
    (rendition,) = PdfRendition.objects.all()
    assert default_storage.exists(rendition.file.name)


def test_a_storage_that_fails_gives_503_not_500(client, seed, monkeypatch):
    fetch(client, "/commentaries/210/pdf/")

    def broken(name, mode="rb"):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(default_storage, "open", broken)
    response = client.get("/commentaries/210/pdf/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert PdfRendition.objects.count() == 1  # kept: the file may well be there


def test_no_pdf_for_drafts_scheduled_or_withdrawn_pieces(client):
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    scheduled = CommentaryFactory(published_at=timezone.now() + dt.timedelta(days=3))
    withdrawn = CommentaryFactory()
    services.commentary_withdraw(commentary=withdrawn, by=None, reason="Out of date.")
    assert client.get(f"/commentaries/{draft.number}/pdf/").status_code == 404
    assert client.get(f"/commentaries/{scheduled.number}/pdf/").status_code == 404
    assert client.get("/commentaries/99999/pdf/").status_code == 404
    assert client.get(f"/commentaries/{withdrawn.number}/pdf/").status_code == 410
    assert not PdfRendition.objects.exists()


def test_missing_fonts_say_what_to_install(seed, monkeypatch):
    pdf.cjk_fonts_installed.cache_clear()
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    try:
        with pytest.raises(ImproperlyConfigured, match="apt-get install fonts-noto-cjk"):
            pdf.render(seed)
    finally:
        pdf.cjk_fonts_installed.cache_clear()
