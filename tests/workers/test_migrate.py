"""`migrate` on several hosts at once: on PostgreSQL they take turns on an advisory lock."""

import subprocess
import sys
import time

import psycopg
import pytest
from django.db import connection

from tests.conftest import ROOT, database_url
from workers.management.commands.migrate import LOCK_KEY

pytestmark = pytest.mark.postgres


def migrate(url):
    env = {"DATABASE_URL": url, "DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def waiting_for_the_lock(session):
    return session.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted",
        [LOCK_KEY],
    ).fetchone()[0]


def test_a_migration_waits_while_another_holds_the_lock(db):
    url = database_url(connection.settings_dict)
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as held:
        held.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        second = migrate(url)
        deadline = time.monotonic() + 60
        while not waiting_for_the_lock(held):
            assert second.poll() is None, second.stdout.read()
            assert time.monotonic() < deadline, "migrate never asked for the lock"
            time.sleep(0.05)
        assert second.poll() is None  # still waiting
    # The first "host" is done: its session ended, and the second migrates (nothing left).
    assert second.wait(timeout=120) == 0, second.stdout.read()


def test_two_migrations_started_together_on_an_empty_database_both_succeed(db):
    name = f"{connection.settings_dict['NAME']}_two_hosts"
    url = database_url(connection.settings_dict | {"NAME": name})
    admin = database_url(connection.settings_dict | {"NAME": "postgres"})
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
        try:
            hosts = [migrate(url), migrate(url)]
            outputs = [host.communicate(timeout=600)[0] for host in hosts]
            assert [host.returncode for host in hosts] == [0, 0], outputs
            with psycopg.connect(url.replace("postgres://", "postgresql://")) as fresh:
                applied = fresh.execute(
                    "SELECT count(*), count(DISTINCT (app, name)) FROM django_migrations"
                ).fetchone()
            assert applied[0] == applied[1] > 50  # each migration applied once
        finally:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
