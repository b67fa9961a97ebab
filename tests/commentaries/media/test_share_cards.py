"""The picture a shared link shows: the lead image, or a 1200x630 card drawn once per edition
of what it prints, in a task, with Japanese text in Noto Sans CJK."""

import io
import re

import PIL.Image
import PIL.ImageDraw
import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from commentaries.media import sharing
from commentaries.media.models import ShareCard
from commentaries.models import Commentary
from commentaries.publishing import events, services
from tests.commentaries.media.conftest import picture_bytes
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db


def meta(response, name):
    """The content of each <meta> of this property or name, in order."""
    html = response.content.decode()
    return re.findall(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)


def published(**kwargs):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, **kwargs)
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    return piece


def test_a_card_is_drawn_once_when_a_piece_is_published(client):
    piece = published(authors=[AuthorFactory(given_name="Aiko", family_name="Tanabe")])
    card = ShareCard.objects.get(commentary=piece)
    assert sharing.render_and_store(piece.pk) == card  # again: the row says it is done
    events.reconcile(piece.pk)
    assert ShareCard.objects.count() == 1
    with default_storage.open(card.file.name) as file:
        assert PIL.Image.open(io.BytesIO(file.read())).size == (1200, 630)


def test_a_new_card_only_when_what_it_prints_changes(client):
    piece = published()
    piece.body = "<p>A typo mended.</p>"
    piece.save()
    assert sharing.render_and_store(piece.pk) == ShareCard.objects.get()
    piece.title = "A better title"
    piece.save()
    sharing.render_and_store(piece.pk)
    assert ShareCard.objects.filter(commentary=piece).count() == 2


def test_the_page_names_the_card_with_its_size_and_the_card_is_served(client):
    piece = published(title="Political leaders should talk")
    page = client.get(piece.get_absolute_url())
    [image] = meta(page, "og:image")
    assert image.startswith("http://testserver/images/cards/ajiss-commentary/")
    assert meta(page, "og:image:width") == ["1200"] and meta(page, "og:image:height") == ["630"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:image") == [image]
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_missing_card_answers_503_and_is_drawn(client):
    piece = CommentaryFactory()  # public without an event: no card yet
    path, *_ = sharing.share_image(piece)
    response = client.get(path)
    assert response.status_code == 503 and response["Retry-After"]
    assert client.get(path).status_code == 200  # the immediate backend drew it


def test_an_old_cards_address_leads_to_the_current_one(client):
    piece = published()
    old, *_ = sharing.share_image(piece)
    piece.title = "Renamed"
    piece.save()
    new, *_ = sharing.share_image(piece)
    assert client.get(old).headers["Location"] == new


def test_no_card_for_a_piece_that_is_not_public(client):
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    path, *_ = sharing.share_image(draft)
    assert client.get(path).status_code == 404
    assert sharing.render_and_store(draft.pk) is None


def test_a_piece_with_a_lead_image_shares_it(client, make_image):
    image = make_image(picture_bytes(1600, 900), alt_text="Leaders meeting in Seoul")
    piece = published(lead_image=image)
    assert not ShareCard.objects.exists()
    page = client.get(piece.get_absolute_url())
    assert meta(page, "og:image") == [f"http://testserver/images/{image.token}/1200.jpg"]
    assert meta(page, "og:image:width") == ["1200"] and meta(page, "og:image:height") == ["675"]
    assert meta(page, "og:image:alt") == ["Leaders meeting in Seoul"]


def test_japanese_text_is_drawn_in_noto_cjk():
    """Every character of a Japanese title has a glyph (no tofu boxes): drawn, it inks."""
    face = sharing.font("bold", 64)
    assert face.getname()[0] == "Noto Sans CJK JP"
    for character in "日韓関係の将来と対話":
        canvas = PIL.Image.new("L", (80, 80), 0)
        PIL.ImageDraw.Draw(canvas).text((0, 0), character, font=face, fill=255)
        assert canvas.getbbox() is not None
    lines = sharing.wrap("日韓関係の将来と対話" * 8, face, 1056, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1056 for line in lines)


def test_a_card_whose_file_was_lost_answers_503_and_is_drawn_again(client, settings):
    piece = published()
    path, *_ = sharing.share_image(piece)
    lost = ShareCard.objects.get(commentary=piece)
    default_storage.delete(lost.file.name)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get(path)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    queued = DBTaskResult.objects.filter(task_path="commentaries.media.tasks.render_card")
    assert [task.args_kwargs["args"] for task in queued] == [[piece.pk]]
    sharing.render_and_store(piece.pk)  # what the worker does with it
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
