"""Uploading pictures in the admin: refused with a clear form error (never a 500), kept and
chosen when taken, each role seeing what the permission rules give it."""

import pytest
from django.urls import reverse

from authors.models import Author
from commentaries.media.models import Image
from commentaries.models import Commentary, Series
from tests.commentaries.media.conftest import picture_bytes, png_claiming, upload
from tests.factories import AuthorFactory, CommentaryFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

BAD_FILES = [
    ("photo.jpg", b"<html>not a picture</html>" * 10, "not a picture"),
    ("bomb.png", png_claiming(50_000, 50_000), "too many pixels"),
    ("cut.jpg", picture_bytes(600, 400)[:3000], "damaged or cut short"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_the_image_list_refuses_a_bad_file_with_a_form_error(client, editor, name, data, message):
    client.force_login(editor)
    response = client.post(
        reverse("admin:media_image_add"),
        {"upload": upload(data, name=name), "alt_text": "A chart", "credit": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_the_image_list_keeps_a_good_file(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:media_image_add"),
        {"upload": upload(picture_bytes(800, 600)), "alt_text": "A chart", "credit": "JIIA"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.credit, image.uploaded_by) == ("A chart", "JIIA", editor)
    assert image.renditions.count() == 8  # 160, 320, 640 and 800 px, WebP and JPEG


def test_a_contributor_uploads_a_lead_image_for_their_draft(client, contributor):
    draft = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    url = reverse("admin:commentaries_commentary_change", args=[draft.pk])
    data = form_data(client.get(url), "commentary_form")
    data |= {
        "lead_image_upload": upload(picture_bytes(1600, 900)),
        "lead_image_alt_text": "Leaders shaking hands",
        "lead_image_credit": "Photo: Kyodo",
        "lead_image_caption": "The summit in Seoul.",
        "_action": "save",
    }
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.lead_image.alt_text == "Leaders shaking hands"
    assert draft.lead_image.credit == "Photo: Kyodo"
    assert draft.lead_image.uploaded_by == contributor
    assert draft.lead_image_caption == "The summit in Seoul."


def test_an_upload_without_alt_text_or_with_a_bad_file_is_refused(client, editor, seed):
    client.force_login(editor)
    url = reverse("admin:commentaries_commentary_change", args=[seed.pk])
    data = form_data(client.get(url), "commentary_form") | {"_action": "save"}
    response = client.post(url, data | {"lead_image_upload": upload(picture_bytes())})
    assert response.status_code == 200
    assert "Say what the picture shows" in response.content.decode()
    response = client.post(
        url,
        data | {"lead_image_upload": upload(b"GIF89a" + b"\0" * 50), "lead_image_alt_text": "X"},
    )
    assert response.status_code == 200
    assert "damaged or cut short" in response.content.decode() or "not a picture" in (
        response.content.decode()
    )
    assert not Image.objects.exists()
    seed.refresh_from_db()
    assert seed.lead_image is None


def test_an_editor_uploads_an_authors_photo_and_a_series_logo(client, editor, seed):
    client.force_login(editor)
    author = Author.objects.get(slug="junya-nishino")
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(client.get(url), "author_form")
    data |= {"photo_upload": upload(picture_bytes(600, 600)), "photo_alt_text": "Junya Nishino"}
    assert client.post(url, data).status_code == 302
    author.refresh_from_db()
    assert author.photo.alt_text == "Junya Nishino"

    series = seed.series
    url = reverse("admin:commentaries_series_change", args=[series.pk])
    data = form_data(client.get(url), "series_form")
    data |= {"logo_upload": upload(picture_bytes(900, 200, "PNG")), "logo_alt_text": "JIIA"}
    assert client.post(url, data).status_code == 302
    assert Series.objects.get(pk=series.pk).logo.alt_text == "JIIA"


def test_an_authors_form_refuses_a_bad_photo_with_a_message(client, editor, seed):
    client.force_login(editor)
    author = Author.objects.get(slug="junya-nishino")
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(client.get(url), "author_form")
    data |= {
        "photo_upload": upload(b"%PDF-1.4 not a photo", name="me.jpg"),
        "photo_alt_text": "Me",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "not a picture" in response.content.decode()


def test_contributors_see_and_pick_only_their_own_uploads(client, contributor, editor, make_image):
    mine = make_image(alt_text="Mine", by=contributor)
    theirs = make_image(alt_text="Theirs", by=editor)
    client.force_login(contributor)
    picker = client.get(reverse("admin:media_image_picker") + "?CKEditorFuncNum=-1")
    assert picker.status_code == 200
    page = picker.content.decode()
    assert mine.token in page and theirs.token not in page
    assert client.get(reverse("admin:media_image_change", args=[theirs.pk])).status_code == 302
    own = client.get(reverse("admin:media_image_change", args=[mine.pk]))
    assert own.status_code == 200 and mine.token in own.content.decode()
    listed = client.get(reverse("admin:media_image_changelist")).content.decode()
    assert mine.token in listed and theirs.token not in listed
    client.force_login(editor)
    page = client.get(reverse("admin:media_image_picker")).content.decode()
    assert mine.token in page and theirs.token in page


def test_a_body_picture_needs_alt_text_and_must_be_the_sites(client, editor, make_image):
    image = make_image()
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, authors=[AuthorFactory()])
    client.force_login(editor)
    url = reverse("admin:commentaries_commentary_change", args=[piece.pk])
    data = form_data(client.get(url), "commentary_form") | {"_action": "save"}
    src = f"/images/{image.token}/960.jpg"
    body = f'<figure><img src="{src}" alt=""><figcaption>A chart</figcaption></figure>'
    response = client.post(url, data | {"body": body})
    assert response.status_code == 200
    assert "1 picture in the text has no alt text" in response.content.decode()
    # A picture from elsewhere (which would let its host count the readers) is dropped.
    body = '<p>See:</p><figure><img src="https://tracker.example/p.gif" alt="x"></figure>'
    assert client.post(url, data | {"body": body}).status_code == 302
    piece.refresh_from_db()
    assert "tracker" not in piece.body and "<img" not in piece.body
    data = form_data(client.get(url), "commentary_form") | {"_action": "save"}
    body = f'<figure><img src="{src}" alt="A chart"><figcaption>Trade, 2015</figcaption></figure>'
    assert client.post(url, data | {"body": body}).status_code == 302
    piece.refresh_from_db()
    assert 'alt="A chart"' in piece.body and "<figcaption>Trade, 2015</figcaption>" in piece.body
    assert list(piece.figures.values_list("image", flat=True)) == [image.pk]
