"""/images/<token>/<width>.<fmt>: a picture readers may see, a 404 for one attached only to
pieces that are not public, a 503 (and the render queued) for one not made yet."""

import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from commentaries.media import renditions
from commentaries.media.models import Image, Rendition
from commentaries.media.renditions import image_create
from commentaries.models import Commentary
from tests.commentaries.media.conftest import picture_bytes, upload
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_the_lead_image_of_a_public_piece_is_served(client, make_image):
    image = make_image(picture_bytes(700, 350))
    CommentaryFactory(lead_image=image)
    response = client.get(f"/images/{image.token}/640.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
    again = client.get(
        f"/images/{image.token}/640.webp", headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


def test_an_image_of_a_draft_alone_is_not_found(client, make_image):
    image = make_image()
    CommentaryFactory(lead_image=image, status=Commentary.Status.DRAFT)
    CommentaryFactory(lead_image=image, status=Commentary.Status.WITHDRAWN)
    assert client.get(f"/images/{image.token}/640.jpg").status_code == 404


def test_an_image_attached_to_nothing_is_not_found(client, make_image):
    image = make_image()
    assert client.get(f"/images/{image.token}/640.jpg").status_code == 404


def test_an_image_becomes_reachable_when_its_piece_is_public(client, make_image):
    image = make_image()
    draft = CommentaryFactory(lead_image=image, status=Commentary.Status.DRAFT)
    assert client.get(f"/images/{image.token}/320.jpg").status_code == 404
    Commentary.objects.filter(pk=draft.pk).update(status=Commentary.Status.PUBLISHED)
    assert client.get(f"/images/{image.token}/320.jpg").status_code == 200


def test_photos_logos_and_figures_are_reachable_as_their_owners_are(client, make_image):
    photo, logo, figure = make_image(), make_image(), make_image()
    author = AuthorFactory(photo=photo)
    assert client.get(f"/images/{photo.token}/320.jpg").status_code == 404  # nothing public yet
    CommentaryFactory(authors=[author])
    assert client.get(f"/images/{photo.token}/320.jpg").status_code == 200
    SeriesFactory(logo=logo)
    assert client.get(f"/images/{logo.token}/320.jpg").status_code == 200
    body = f'<figure><img src="/images/{figure.token}/640.jpg" alt="A chart"></figure>'
    piece = CommentaryFactory(body=body, status=Commentary.Status.DRAFT)
    assert client.get(f"/images/{figure.token}/320.jpg").status_code == 404
    piece.status = Commentary.Status.PUBLISHED
    piece.save()
    assert client.get(f"/images/{figure.token}/320.jpg").status_code == 200


def test_staff_see_a_drafts_pictures_privately(client, make_image, contributor):
    image = make_image()
    CommentaryFactory(lead_image=image, status=Commentary.Status.DRAFT)
    client.force_login(contributor)
    response = client.get(f"/images/{image.token}/640.jpg")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_width_or_token_that_does_not_exist_is_not_found(client, make_image):
    image = make_image(picture_bytes(700, 350))
    CommentaryFactory(lead_image=image)
    assert client.get(f"/images/{image.token}/1600.jpg").status_code == 404  # wider than it is
    assert client.get(f"/images/{image.token}/641.jpg").status_code == 404
    assert client.get(f"/images/{image.token}/640.gif").status_code == 404
    assert client.get(f"/images/{'x' * 22}/640.jpg").status_code == 404


def test_the_address_does_not_follow_from_the_id(make_image):
    """128 random bits, not the id: knowing one picture's address tells nothing of the next."""
    first, second = make_image(), make_image()
    assert second.pk == first.pk + 1
    assert len(first.token) == len(second.token) == 22
    assert len(set(first.token) & set(second.token)) < 22


def test_a_missing_rendition_answers_503_and_is_queued_once(client, make_image, settings):
    image = make_image(picture_bytes(700, 350))
    CommentaryFactory(lead_image=image)
    Rendition.objects.all().delete()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(3):
        response = client.get(f"/images/{image.token}/640.jpg")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert "no-store" in response["Cache-Control"]
    queued = DBTaskResult.objects.filter(task_path="commentaries.media.tasks.render_image")
    assert [task.args_kwargs["args"] for task in queued] == [[image.pk]]
    renditions.render_all(image.pk)  # what the worker does with it
    assert client.get(f"/images/{image.token}/640.jpg").status_code == 200


def test_head_is_answered_and_post_is_not(client, make_image):
    image = make_image()
    CommentaryFactory(lead_image=image)
    assert client.head(f"/images/{image.token}/320.jpg").status_code == 200
    assert client.post(f"/images/{image.token}/320.jpg").status_code == 405
    assert Image.objects.count() == 1


def test_a_rendition_whose_file_was_lost_is_made_again(client, make_image):
    image = make_image(picture_bytes(700, 350))
    CommentaryFactory(lead_image=image)
    lost = image.renditions.get(width=640, format="jpg")
    default_storage.delete(lost.file.name)
    response = client.get(f"/images/{image.token}/640.jpg")
    assert response.status_code == 503  # and the immediate backend made it again
    assert client.get(f"/images/{image.token}/640.jpg").status_code == 200


def test_a_lost_rendition_is_queued_as_a_durable_task(client, make_image, settings):
    image = make_image(picture_bytes(700, 350))
    CommentaryFactory(lead_image=image)
    default_storage.delete(image.renditions.get(width=640, format="webp").file.name)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get(f"/images/{image.token}/640.webp")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    queued = DBTaskResult.objects.filter(task_path="commentaries.media.tasks.render_image")
    assert [task.args_kwargs["args"] for task in queued] == [[image.pk]]
    assert renditions.render_all(image.pk)  # the worker makes the lost one, and only it
    assert client.get(f"/images/{image.token}/640.webp").status_code == 200


def test_a_storage_that_fails_gives_503_not_500(client, make_image, monkeypatch):
    image = make_image(picture_bytes(400, 200))
    CommentaryFactory(lead_image=image)
    made = image.renditions.count()

    def broken(name, mode="rb"):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(default_storage, "open", broken)
    response = client.get(f"/images/{image.token}/320.jpg")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert image.renditions.count() == made  # nothing deleted: the file may well be there


def test_deleting_a_picture_deletes_its_files(make_image, django_capture_on_commit_callbacks):
    image = make_image(picture_bytes(400, 200))
    names = [image.original.name, *(r.file.name for r in image.renditions.all())]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_renditions_an_upload_queued(client, task_workers, media):
    """Uploaded with the database queue, as in production: nothing is made in the request;
    a `manage.py worker` makes every rendition, once."""
    image = image_create(upload=upload(picture_bytes(700, 350)), alt_text="Queued")
    CommentaryFactory(lead_image=image)
    assert not image.renditions.exists()
    assert client.get(f"/images/{image.token}/640.webp").status_code == 503
    task_workers.batch(MEDIA_ROOT=str(media))
    assert image.renditions.count() == 8
    assert client.get(f"/images/{image.token}/640.webp").status_code == 200
