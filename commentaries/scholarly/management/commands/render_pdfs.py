"""manage.py render_pdfs [--missing] [--since DATE] [--wait]

Queues the PDF editions of the public pieces for the task workers, newest first: every piece's
rendered anew (after the PDF's layout changed), or with --missing only those whose current
edition has no file (an archive imported or generated before PDFs were rendered on loading).
Each worker renders one at a time, so several workers (WORKER_CONCURRENCY) render in parallel.
The renders queue behind everything else (priorities.BACKFILL). --wait shows them done."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from tqdm import tqdm

from commentaries import priorities
from commentaries.models import Commentary
from commentaries.scholarly import desk, tasks
from commentaries.scholarly.management.commands.crossref_deposit import since_date

BATCH = 1000
POLL_SECONDS = 1.0
FINISHED = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]


def unrendered(pks):
    """Of these pieces, those whose current edition has no stored file."""
    pieces = list(Commentary.objects.filter(pk__in=pks).only(*desk.EDITION))
    return [pk for pk, done in desk.rendered(pieces).items() if not done]


class Command(BaseCommand):
    help = "Queue the PDF editions of the public pieces for the task workers to render."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only pieces whose current edition has no PDF yet (otherwise all, anew).",
        )
        parser.add_argument("--since", help="Only pieces published on or after this date.")
        parser.add_argument(
            "--wait", action="store_true", help="Show the renders' progress until all are done."
        )

    def handle(self, *args, missing=False, since=None, wait=False, verbosity=1, **options):
        pieces = Commentary.objects.published().order_by("-published_at", "-pk")
        if since:
            pieces = pieces.filter(published_at__gte=since_date(since))
        pks = list(pieces.values_list("pk", flat=True))
        results = []
        bar = tqdm(total=len(pks), unit="piece", desc="Queued", disable=verbosity == 0)
        for first in range(0, len(pks), BATCH):
            batch = pks[first : first + BATCH]
            todo = unrendered(batch) if missing else batch
            bar.update(len(batch) - len(todo))
            for pk in todo:  # one at a time: where tasks run at once (make run), each renders
                task = tasks.render_pdf.using(priority=priorities.BACKFILL)
                results.append(task.enqueue(pk, again=not missing))
                bar.update()
        bar.close()
        what = "missing PDF editions" if missing else "PDF editions"
        self.stdout.write(f"Queued {len(results)} {what} of {len(pks)} public pieces.")
        if wait:
            self.wait(results, verbosity)

    def wait(self, results, verbosity):
        """Until every queued render has run: a worker's result row says so."""
        pending = {str(r.id) for r in results if not r.is_finished}
        failed = sum(r.status == TaskResultStatus.FAILED for r in results if r.is_finished)
        if pending and not isinstance(tasks.render_pdf.get_backend(), DatabaseBackend):
            raise CommandError("--wait follows renders queued in the database (TASKS_BACKEND).")
        if pending:
            self.stderr.write("Waiting for the task workers (manage.py worker) to render them.")
        bar = tqdm(
            total=len(results),
            initial=len(results) - len(pending),
            unit="PDF",
            desc="Rendered",
            disable=verbosity == 0,
        )
        while pending:
            time.sleep(POLL_SECONDS)
            done, ids = [], list(pending)
            for first in range(0, len(ids), BATCH):
                done += DBTaskResult.objects.filter(
                    id__in=ids[first : first + BATCH], status__in=FINISHED
                ).values_list("id", "status")
            for id_, status in done:
                pending.discard(str(id_))
                failed += status == TaskResultStatus.FAILED
            bar.update(len(done))
        bar.close()
        self.stdout.write(f"Rendered {len(results) - failed} PDF editions.")
        if failed:
            raise CommandError(f"{failed} renders failed: the task results hold why.")
