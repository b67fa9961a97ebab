"""The read replica (DATABASE_REPLICA_URL): public pages read from it, everything else from the
primary, and no page is ever kept under a newer generation than the data it shows.

A request of a public page by a reader without a session is pinned to the replica for its whole
length (PageCacheMiddleware wraps it in pinned()): the content generation is read there too
(caching.freshness keeps one reading per database), so the generation a page is kept under is
never newer than the data it was rendered from, however far the replica lags. Everything else
reads the primary: other requests (staff, the admin, forms), anything inside a transaction, the
task worker and management commands, which are never pinned; writes always go to the primary.

Front-cache bans wait for the replica (wait_for_replay): a node refetches pages only once the
replica has replayed the change that the ban announces.
"""

import contextlib
import contextvars
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
POLL_SECONDS = 0.05

_pinned = contextvars.ContextVar("replica_pinned", default=False)


@contextlib.contextmanager
def pinned():
    """Reads inside go to the replica, if there is one (outside transactions)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def configured():
    return REPLICA in settings.DATABASES


def public_alias():
    """The database that public pages read."""
    return REPLICA if configured() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _pinned.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Explicitly: Django would otherwise write a row back where it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def replayed(target):
    """Whether the replica has replayed the primary's WAL up to `target` (an LSN)."""
    with connections[REPLICA].cursor() as cursor:
        # A replica that has been promoted replays nothing: it has everything it will get.
        cursor.execute(
            "SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, NOT pg_is_in_recovery())",
            [target],
        )
        return cursor.fetchone()[0]


def wait_for_replay(timeout):
    """Wait until the replica has replayed all that the primary had committed when this was
    called; True then (at once without a replica), False if `timeout` seconds pass first."""
    if not configured():
        return True
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # The insert position: past every commit record, those not yet flushed included.
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not replayed(target):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True
