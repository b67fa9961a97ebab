"""render_pdfs --missing --wait against real workers: two `manage.py worker` processes render an
archive's missing PDFs from the database queue while the command shows their progress."""

import subprocess
import sys

from commentaries.models import Commentary
from commentaries.publishing import events
from commentaries.publishing.models import PublicationEvent
from commentaries.scholarly.models import PdfRendition
from tests.conftest import ROOT
from tests.factories import CommentaryFactory


def test_two_workers_render_the_missing_pdfs_and_wait_sees_them_done(
    task_workers, settings, tmp_path
):
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    settings.MEDIA_ROOT = media["MEDIA_ROOT"]
    for _ in range(3):
        CommentaryFactory()
    # An archive loaded before loads queued PDFs: announced long ago, no PDF, nothing queued.
    PublicationEvent.objects.bulk_create(
        PublicationEvent(kind=kind, commentary_id=pk, version=v) for kind, pk, v in events.due()
    )
    public = Commentary.objects.published()
    assert public.count() == 4 and not PdfRendition.objects.exists()  # with the seed
    for _ in range(2):
        task_workers.start(**media)
    done = subprocess.run(
        [sys.executable, "manage.py", "render_pdfs", "--missing", "--wait"],
        cwd=ROOT, env=task_workers.env | media, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Queued 4 missing PDF editions of 4 public pieces." in done.stdout
    assert "Rendered 4 PDF editions." in done.stdout
    assert "Rendered: 100%" in done.stderr  # the progress bar, to its end
    assert set(PdfRendition.objects.values_list("commentary", flat=True)) == set(
        public.values_list("pk", flat=True)
    )
