"""`migrate`, one at a time across hosts.

Every host of a deploy may start `make migrate` (or `make serve`) at once; two migrations
running together would both create the same tables and one would fail half-way. On PostgreSQL
this takes a session advisory lock first, on a connection of its own (migrate may close and
reopen Django's, which would drop a lock held there): the second waits, then finds nothing
left to do. SQLite is one host's file; its own lock is all it has.
"""

from contextlib import contextmanager

from django.core.management.commands import migrate
from django.db import connections

# Any number, the same on every host: the key of the lock all migrations take.
LOCK_KEY = 0x6D696772  # "migr"


@contextmanager
def one_at_a_time(connection):
    if connection.vendor != "postgresql":
        yield
        return
    session = connection.get_new_connection(connection.get_connection_params())
    try:
        session.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        yield
    finally:
        session.close()  # the session ends, and its lock with it


class Command(migrate.Command):
    def handle(self, *args, **options):
        with one_at_a_time(connections[options["database"]]):
            return super().handle(*args, **options)
