"""A task worker that holds each task under a lease.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker that dies (killed, out of memory, its host gone) leaves it RUNNING for ever. Here the
claim also writes a TaskLease that expires TASK_LEASE_SECONDS later by the database's clock;
a heartbeat thread renews this worker's leases every third of that, and puts back in the queue
any task whose lease has expired, whoever held it. So a dead worker's task runs again within
TASK_LEASE_SECONDS plus a heartbeat, on any host.

A live worker's task is never taken from it: if its heartbeat cannot renew the lease for two
thirds of its length (a database it cannot reach, a process frozen), the worker ends itself
before the lease can expire, and the task is run again elsewhere once it has. Tasks are
written to be run twice safely (a unique row is the proof of their work), which covers a
worker that dies mid-task.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import (
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models.functions import Now
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from workers.models import TaskLease

logger = logging.getLogger(__name__)

# The claim reads the ready tasks in the order of django-tasks-db's partial index on them
# (priority, then run_after, then enqueued_at, READY rows only) and stops at the first it can
# lock. PostgreSQL prices that plan from the table's statistics; stale ones (a fresh queue, a
# burst of 100,000 alert tasks since the last ANALYZE, autovacuum off) make it fetch every
# ready task and sort them instead, 40-70 ms a claim. Within the claim's transaction only, the
# other plans are priced out, so the index is always read.
IN_INDEX_ORDER = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"


def new_worker_id():
    """Unique across hosts and restarts; the host and process are there for people to read."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(12)}"


def lease_length():
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def claim(worker_id, backend_name="default"):
    """The ready task of highest priority (the oldest among equals), marked RUNNING under a
    lease held by `worker_id`; None when nothing is ready."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    with exclusive_transaction(tasks.db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(IN_INDEX_ORDER)
        result = tasks.get_locked()
        if result is not None:
            result.claim(worker_id)
            TaskLease.objects.create(
                task=result, worker=worker_id, expires_at=Now() + lease_length()
            )
    return result


def renew(worker_id):
    return TaskLease.objects.filter(worker=worker_id).update(expires_at=Now() + lease_length())


def requeue_expired(limit=1000):
    """Put back in the queue the tasks whose lease expired; how many."""
    with transaction.atomic():
        expired = list(
            TaskLease.objects.select_for_update(skip_locked=True)
            .filter(expires_at__lt=Now())
            .values_list("task_id", flat=True)[:limit]
        )
        if not expired:
            return 0
        requeued = DBTaskResult.objects.filter(
            pk__in=expired, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY)
        TaskLease.objects.filter(pk__in=expired).delete()
    if requeued:
        logger.warning("Requeued %d task(s) whose worker stopped renewing its lease", requeued)
    return requeued


class Worker(DatabaseWorker):
    """django-tasks-db's worker (its signals, its running and recording of a task) with the
    claim above, a heartbeat thread, and a watchdog."""

    def __init__(self, *, interval=1.0, batch=False, worker_id=None, max_tasks=None):
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=[],
        )
        self.renewed = time.monotonic()  # when the last renewal that succeeded was sent
        self.stopped = threading.Event()

    def run(self):
        beat = settings.TASK_LEASE_SECONDS / 3
        threading.Thread(target=self.heartbeat, args=(beat,), daemon=True).start()
        threading.Thread(target=self.watchdog, args=(beat / 4,), daemon=True).start()
        try:
            self.loop()
        finally:
            self.stopped.set()

    def loop(self):
        logger.info("Starting worker %s", self.worker_id)
        while self.running:
            close_old_connections()
            try:
                sent = time.monotonic()
                result = claim(self.worker_id, self.backend_name)
                self.renewed = max(self.renewed, sent)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                result, sent = None, None  # SQLite busy: try again
            if result is not None:
                try:
                    self.run_task(result)
                finally:
                    TaskLease.objects.filter(pk=result.pk, worker=self.worker_id).delete()
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                continue
            if self.batch and sent is not None and not self.waiting_for_leases():
                return
            if self.running:
                time.sleep(self.interval)

    def waiting_for_leases(self):
        """In --batch: whether tasks still run under leases, which may yet expire and come
        back (a worker killed mid-task), or came back just now; the batch ends once none do."""
        return requeue_expired() or TaskLease.objects.exists()

    def heartbeat(self, every):
        while not self.stopped.wait(every):
            sent = time.monotonic()
            try:
                renew(self.worker_id)
                self.renewed = max(self.renewed, sent)
                requeue_expired()
            except DatabaseError:
                logger.exception("Heartbeat failed; trying again in %.1f s", every)
                connection.close()
        connection.close()

    def watchdog(self, every):
        """End the process before its lease can expire under a task still running here:
        another worker would then run the same task beside it."""
        limit = settings.TASK_LEASE_SECONDS * 2 / 3
        while not self.stopped.wait(every):
            if self.running_task and time.monotonic() - self.renewed > limit:
                logger.critical(
                    "Worker %s could not renew its lease for %.0f s; stopping",
                    self.worker_id,
                    limit,
                )
                os._exit(75)
