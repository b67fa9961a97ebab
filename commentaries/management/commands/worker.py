"""The task worker: workers.runner.Worker (django-tasks-db's worker, each task held under a
lease that any live worker takes back once it expires), plus the publication-event clock.

A clock thread records publication events every EVENT_CLOCK_SECONDS (commentaries.publishing.events),
so a scheduled piece is announced within a minute of its time with no request, and anything
a crash left out is caught up on. It then sends events.clock for periodic work (the weekly
e-mail digests).
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from commentaries.publishing import events
from workers.runner import Worker

logger = logging.getLogger(__name__)


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
        tick()
        worker = Worker(interval=interval, batch=batch)
        stop = threading.Event()
        if not batch:
            threading.Thread(target=run_clock, args=(stop,), daemon=True).start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
