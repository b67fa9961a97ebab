"""PDFs always ready: a piece imported or generated has its PDF queued as a published one does,
render_pdfs backfills an archive, a request that finds no file renders it itself when it can,
and otherwise the reader gets a page that refreshes itself."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from commentaries import importer, priorities
from commentaries.models import Commentary
from commentaries.publishing import services
from commentaries.scholarly import pdf, views
from commentaries.scholarly.models import PdfClaim, PdfRendition
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
SEED_TEXT = (Path(importer.__file__).parent / "seed" / "ajiss-commentary-210.txt").read_text()
RENDER_PDF = "commentaries.scholarly.tasks.render_pdf"


@pytest.fixture
def queue(settings):
    """Tasks wait in the database queue, as in production, with no worker to run them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_renders(priority=None):
    """The pieces whose render is queued, one entry per task, with the task's other arguments."""
    rows = DBTaskResult.objects.filter(task_path=RENDER_PDF)
    if priority is not None:
        rows = rows.filter(priority=priority)
    return sorted(
        (row.args_kwargs["args"][0], row.args_kwargs["kwargs"].get("again", False)) for row in rows
    )


def piece_file(tmp_path, number, title):
    lines = SEED_TEXT.splitlines()
    lines[2] = title
    path = tmp_path / f"piece-{number}.txt"
    path.write_text("\n".join(lines).replace("No.210", f"No.{number}") + "\n")
    return path


def test_an_imported_piece_has_its_pdf_queued_once(queue, seed, tmp_path):
    path = piece_file(tmp_path, 9001, "An imported commentary")
    call_command("import_commentary", str(path), stdout=io.StringIO())
    piece = Commentary.objects.get(number=9001)
    assert queued_renders(priorities.PUBLICATION) == [(piece.pk, False)]
    call_command("import_commentary", str(path), stdout=io.StringIO())  # unchanged: nothing new
    assert queued_renders() == [(piece.pk, False)]


def test_a_dry_run_queues_nothing(queue, seed, tmp_path):
    path = piece_file(tmp_path, 9002, "A commentary only looked at")
    call_command("import_commentary", "--dry-run", str(path), stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()


def test_a_restored_backup_has_its_pdfs_queued_once(queue, seed, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_content", str(path), stdout=io.StringIO())
    seed.delete()  # the piece comes back from the backup, its events with it
    call_command("import_content", str(path), stdout=io.StringIO())
    restored = Commentary.objects.get(number=210)
    assert queued_renders(priorities.BACKFILL) == [(restored.pk, False)]
    call_command("import_content", str(path), stdout=io.StringIO())
    assert queued_renders() == [(restored.pk, False)]


def test_a_generated_archive_has_its_pdfs_queued_unless_without_pdfs(queue, seed):
    call_command("generate_commentaries", count=3, seed=1, verbosity=0)
    generated = Commentary.objects.exclude(pk=seed.pk)
    assert queued_renders() == sorted((pk, False) for pk in generated.values_list("pk", flat=True))
    call_command("generate_commentaries", count=2, seed=2, without_pdfs=True, verbosity=0)
    assert len(queued_renders()) == 3


def test_render_pdfs_missing_queues_only_the_missing_ones(queue, seed):
    rendered, corrected, new = (CommentaryFactory() for _ in range(3))
    for piece in (rendered, corrected):
        pdf.render_and_store(piece.pk)
    # A major correction makes a new edition: its PDF is missing again.
    services.commentary_correct(commentary=corrected, by=None, note="The date was wrong.")
    out = io.StringIO()
    call_command("render_pdfs", "--missing", stdout=out, verbosity=0)
    assert queued_renders(priorities.BACKFILL) == sorted(
        (p.pk, False) for p in (seed, corrected, new)
    )
    assert "Queued 3 missing PDF editions of 4 public pieces." in out.getvalue()


def test_render_pdfs_renders_all_anew_since_a_date(queue, seed):
    old = CommentaryFactory(published_at=timezone.now() - dt.timedelta(days=400))
    recent = CommentaryFactory(published_at=timezone.now() - dt.timedelta(days=2))
    CommentaryFactory(status=Commentary.Status.DRAFT)
    since = timezone.localdate() - dt.timedelta(days=30)
    call_command("render_pdfs", "--since", since.isoformat(), stdout=io.StringIO(), verbosity=0)
    assert queued_renders() == [(recent.pk, True)]
    assert old.pk not in dict(queued_renders())


def test_rendering_again_replaces_the_file_of_the_same_edition(seed, media):
    first = pdf.render_and_store(seed.pk)
    old_file = media / first.file.name
    again = pdf.render_and_store(seed.pk, again=True)
    assert again.pk == first.pk and again.file.name != first.file.name
    assert not old_file.exists() and (media / again.file.name).exists()
    assert PdfRendition.objects.count() == 1


def test_a_bad_date_is_refused_with_a_clear_error_and_exit_1():
    done = subprocess.run(
        [sys.executable, "manage.py", "render_pdfs", "--since", "2026-02-30"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "--since '2026-02-30': give a date as YYYY-MM-DD." in done.stderr
    assert "Traceback" not in done.stderr


def test_wait_needs_a_queue_it_can_follow(seed, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with pytest.raises(CommandError, match="--wait follows renders queued in the database"):
        call_command("render_pdfs", "--wait", stdout=io.StringIO(), verbosity=0)


def test_the_first_request_renders_the_pdf_and_serves_it(client, seed):
    assert not PdfRendition.objects.exists()
    response = client.get("/commentaries/210/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert PdfRendition.objects.filter(commentary=seed).count() == 1
    assert not PdfClaim.objects.exists()  # released once stored


def hold_claim(piece, age=dt.timedelta(0)):
    """A renderer elsewhere (a worker) is at the piece's current edition."""
    return PdfClaim.objects.create(
        commentary=piece, edition=pdf.edition(piece), claimed_at=timezone.now() - age
    )


@pytest.fixture
def no_wait(monkeypatch):
    """The worker holding the claim does not finish within the request's wait."""
    monkeypatch.setattr(views, "WAIT_SECONDS", 0)


def test_a_request_waits_for_the_file_of_the_worker_that_holds_the_claim(
    client, seed, monkeypatch
):
    claim = hold_claim(seed)
    waits = []

    def worker_finishes(seconds):  # while the request waits, the worker stores the file
        waits.append(seconds)
        claim.delete()
        pdf.store(seed, claim.edition, b"%PDF-1.7 the worker's file", 1.0, None)

    monkeypatch.setattr(views.time, "sleep", worker_finishes)
    response = client.get("/commentaries/210/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the worker's file"
    assert waits == [views.POLL_SECONDS]


def test_while_a_worker_renders_it_readers_get_a_styled_page_that_refreshes(client, seed, no_wait):
    hold_claim(seed)
    response = client.get("/commentaries/210/pdf/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    templates = [t.name for t in response.templates]
    assert "scholarly/pdf_not_ready.html" in templates and "base.html" in templates
    html = response.content.decode()
    assert f'<meta http-equiv="refresh" content="{views.RETRY_AFTER}">' in html
    assert "The PDF is being prepared" in html and seed.title in html
    assert f'href="{seed.get_absolute_url()}"' in html
    assert not PdfRendition.objects.exists()


def test_the_render_is_queued_once_however_many_readers_ask(client, seed, settings, no_wait):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    hold_claim(seed)
    for _ in range(3):
        assert client.get("/commentaries/210/pdf/").status_code == 503
    assert [r.args for r in default_task_backend.results] == [[seed.pk]]


def test_one_render_at_a_time_in_a_process(client, seed):
    """A process already rendering for a reader tells the next one to come back."""
    assert views.RENDERING_HERE.acquire(blocking=False)
    try:
        assert client.get("/commentaries/210/pdf/").status_code == 503
    finally:
        views.RENDERING_HERE.release()
    assert client.get("/commentaries/210/pdf/").status_code == 200


def test_a_claim_left_by_a_renderer_that_died_is_taken_over(client, seed):
    hold_claim(seed, age=dt.timedelta(seconds=pdf.CLAIM_SECONDS + 1))
    assert client.get("/commentaries/210/pdf/").status_code == 200
    assert not PdfClaim.objects.exists()


def test_a_queued_render_leaves_a_claimed_edition_to_its_renderer(seed):
    from commentaries.scholarly import tasks

    hold_claim(seed)
    assert tasks.render_pdf.call(seed.pk) is None
    assert not PdfRendition.objects.exists()


def test_a_withdrawn_piece_pdf_answers_the_piece_page_410(client):
    piece = CommentaryFactory(title="A piece the editors took back")
    services.commentary_withdraw(commentary=piece, by=None, reason="Its figures were wrong.")
    page = client.get(piece.get_absolute_url())
    response = client.get(f"/commentaries/{piece.number}/pdf/")
    assert response.status_code == page.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    assert [t.name for t in response.templates][0] == "commentaries/withdrawn.html"
    html = response.content.decode()
    for part in ("This commentary has been withdrawn", piece.title, "Its figures were wrong."):
        assert part in html and part in page.content.decode()
    head = client.head(f"/commentaries/{piece.number}/pdf/")
    assert head.status_code == 410 and head.content == b""
    assert not PdfRendition.objects.exists()


def test_page_one_carries_the_publisher_masthead(seed):
    rendition = pdf.render_and_store(seed.pk)
    first_page = PdfReader(io.BytesIO(rendition.file.read())).pages[0].extract_text()
    lines = [line.strip() for line in first_page.splitlines() if line.strip()]
    assert lines[:2] == [seed.series.publisher, "AJISS-Commentary No.210"]
