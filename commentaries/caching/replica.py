"""The read replica (DATABASE_REPLICA_URL): public pages read from it, everything else from the
primary, and no page is ever kept under a newer generation than the data it shows.

A request of a public page by a reader without a session is pinned to the replica for its whole
length (PageCacheMiddleware wraps it in pinned()): the content generation is read there too
(caching.freshness keeps one reading per database), so the generation a page is kept under is
never newer than the data it was rendered from, however far the replica lags. Everything else
reads the primary: other requests (staff, the admin, forms), anything inside a transaction, the
task worker and management commands, which are never pinned; writes always go to the primary.
While the replica does not answer, public pages read the primary too.

Front-cache bans wait for the replica (wait_for_replay): a node refetches pages only once the
replica has replayed the change that the ban announces.
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
POLL_SECONDS = 0.05
# After the replica fails to answer, this process reads the primary for this long.
DOWN_SECONDS = 5

logger = logging.getLogger(__name__)

_pinned = contextvars.ContextVar("replica_pinned", default=False)


@contextlib.contextmanager
def pinned():
    """Reads inside go to the replica, if there is one that answers (outside transactions)."""
    token = _pinned.set(answers())
    try:
        yield
    finally:
        _pinned.reset(token)


def configured():
    return REPLICA in settings.DATABASES


def answers():
    """Whether the replica may be read now: it answers, and has not failed in this process in
    the last DOWN_SECONDS. While it is down, public pages read the primary (and are slower),
    rather than fail."""
    global _down_until
    if not configured() or time.monotonic() < _down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()  # a kept connection to a server that went away
        replica.ensure_connection()
    except DatabaseError as error:
        _down_until = time.monotonic() + DOWN_SECONDS
        logger.warning("The read replica does not answer; reading the primary: %s", error)
        return False
    return True


_down_until = 0.0


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
    try:
        while not replayed(target):
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)
    except DatabaseError as error:  # down: as good as behind, until it is back
        logger.warning("The read replica does not answer: %s", error)
        return False
    return True
