"""The task worker: django-tasks-db's worker, plus what it leaves to us.

- A clock thread records publication events every EVENT_CLOCK_SECONDS (commentaries.publishing.events),
  so a scheduled piece is announced within a minute of its time with no request, and anything
  a crash left out is caught up on. It then sends events.clock for periodic work (the weekly
  e-mail digests).
- At start, tasks left RUNNING by a worker that died (killed, out of memory, a power cut) go
  back to READY: django-tasks-db never retries them by itself. Tasks are written to be run
  twice safely; the unique rows they write are the proof that their work was done.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from commentaries.publishing import events

logger = logging.getLogger(__name__)


def worker_alive(worker_id):
    """A worker id is host:pid:random; on this host, whether that process still runs."""
    host, _, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return None  # another host's worker: only its age can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_abandoned():
    """Put back tasks whose worker is gone, or that have run longer than a task ever should."""
    stale_before = timezone.now() - timedelta(seconds=settings.STALE_TASK_SECONDS)
    requeued = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        alive = worker_alive(result.worker_ids[-1]) if result.worker_ids else None
        if alive is False or (alive is None and result.started_at < stale_before):
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            requeued += 1
    if requeued:
        logger.warning("Requeued %d task(s) whose worker had stopped", requeued)
    return requeued


# Between full passes the clock looks only at pieces changed in this window, which is longer
# than any transaction that saves pieces (a bulk import included) takes to commit.
RECENT = timedelta(hours=1)


def run_clock(stop):
    """A pass every EVENT_CLOCK_SECONDS over what changed lately, and a full one every RECENT
    (start() has just made one), so nothing a crash or a long transaction left out stays out."""
    last_full = time.monotonic()
    while not stop.wait(settings.EVENT_CLOCK_SECONDS):
        if time.monotonic() - last_full >= RECENT.total_seconds():
            last_full = time.monotonic()
            tick()
        else:
            tick(changed_since=timezone.now() - RECENT)
    connection.close()


def tick(changed_since=None):
    close_old_connections()
    try:
        events.reconcile_all(changed_since)
    except Exception:  # the next tick tries again; the clock must not die
        logger.exception("Recording publication events failed")
    for receiver, result in events.clock.send_robust(sender=None):
        if isinstance(result, Exception):
            logger.error("Clock work %s failed", receiver, exc_info=result)


class Command(BaseCommand):
    help = "Run the task worker and the publication-event clock."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--batch", action="store_true", help="Run what is due and every ready task, then exit."
        )

    def handle(self, *, interval, batch, **options):
        requeue_abandoned()
        tick()
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()[:40]}:{os.getpid()}:{time.time_ns()}",
            excluded_queue_names=[],
        )
        stop = threading.Event()
        if not batch:
            threading.Thread(target=run_clock, args=(stop,), daemon=True).start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
