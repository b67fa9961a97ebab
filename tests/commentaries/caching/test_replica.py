"""The read replica (DATABASE_REPLICA_URL): public pages read it, the rest reads the primary, and
no page is kept under a newer generation than its data. Against a real PostgreSQL streaming
replica: the tests make a primary with initdb and a replica of it with pg_basebackup on loopback,
and pause the replica's replay to hold it behind the primary."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import transaction

from commentaries.caching.replica import ReplicaRouter, pinned
from commentaries.models import Commentary
from tests.commentaries.caching.test_front_cache_nodes import Node

ROOT = Path(__file__).resolve().parents[3]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[4]))
TITLE = "Political leaders in Japan and the ROK"  # how the seed piece's title starts


# Outside the test's transaction, so that one can be opened; restored as the suite expects.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_reads_go_to_the_replica_and_the_rest_to_the_primary(monkeypatch):
    monkeypatch.setattr("commentaries.caching.replica.answers", lambda: True)  # it answers
    router = ReplicaRouter()
    assert router.db_for_read(Commentary) == "default"
    with pinned():
        assert router.db_for_read(Commentary) == "replica"
        assert router.db_for_write(Commentary) == "default"
        with transaction.atomic():
            assert router.db_for_read(Commentary) == "default"
    assert router.db_for_read(Commentary) == "default"
    assert router.allow_migrate("replica", "commentaries") is False


def test_a_replica_of_sqlite_is_refused():
    env = os.environ | {"DATABASE_URL": "", "DATABASE_REPLICA_URL": "postgres://127.0.0.1/x"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "DATABASE_REPLICA_URL is a PostgreSQL replica" in result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command):
    """PostgreSQL's programs refuse to run as root: they run as its user."""
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, timeout=120,
                   stdout=subprocess.DEVNULL)  # fmt: skip


class Cluster:
    def __init__(self, directory, port):
        self.directory, self.port = directory, port
        self.url = f"postgres://postgres@127.0.0.1:{port}/site"

    def start(self):
        options = f"-p {self.port} -k {self.directory.parent} -c listen_addresses=127.0.0.1"
        as_postgres(
            f"{BINARIES[-1]}/pg_ctl", "start", "-w", "-D", str(self.directory),
            "-l", f"{self.directory}.log", "-o", options + " -c fsync=off",
        )  # fmt: skip

    def stop(self):
        as_postgres(f"{BINARIES[-1]}/pg_ctl", "stop", "-m", "immediate", "-D", str(self.directory))

    def query(self, sql, *params):
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchone()


class Site:
    """Primary, replica, and the site reading both in a web process of its own."""

    def __init__(self, primary, replica, port):
        self.primary, self.replica, self.port = primary, replica, port
        self.url = f"http://127.0.0.1:{port}"
        self.env = os.environ | {
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": primary.url,
            "DATABASE_REPLICA_URL": replica.url,
        }

    def get(self, path, cookie=None):
        request = urllib.request.Request(self.url + path, headers={"Cookie": cookie or ""})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    def change_title(self, title):
        """A change pages show, committed with its move of the generation (as receivers do)."""
        with psycopg.connect(self.primary.url) as connection:
            connection.execute("UPDATE commentaries_commentary SET title = %s", [title])
            connection.execute(
                "UPDATE commentaries_contentgeneration SET number = number + 1, changed_at = now()"
            )

    def pause_replay(self):
        self.replica.query("SELECT pg_wal_replay_pause()")
        wait_for(
            lambda: self.replica.query("SELECT pg_get_wal_replay_pause_state()")[0] == "paused"
        )

    def resume_replay(self):
        self.replica.query("SELECT pg_wal_replay_resume()")
        target = self.primary.query("SELECT pg_current_wal_insert_lsn()::text")[0]
        wait_for(lambda: self.replica.query("SELECT pg_last_wal_replay_lsn() >= %s", target)[0])

    def python(self, code, **env):
        """What `code` prints, run with Django set up on these databases."""
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT, env=self.env | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site():
    if not BINARIES:
        pytest.skip("needs PostgreSQL's programs (/usr/lib/postgresql/*/bin)")
    if os.geteuid() != 0:
        pytest.skip("needs root, to run PostgreSQL's programs as its user")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("needs the postgres user")
    directory = Path(tempfile.mkdtemp(prefix="replica-"))
    shutil.chown(directory, "postgres")
    primary = Cluster(directory / "primary", free_port())
    replica = Cluster(directory / "replica", free_port())
    server = None
    try:
        as_postgres(f"{BINARIES[-1]}/initdb", "-D", str(primary.directory), "-U", "postgres",
                    "--auth=trust", "--no-sync")  # fmt: skip
        primary.start()
        with psycopg.connect(primary.url.replace("/site", "/postgres"), autocommit=True) as c:
            c.execute("CREATE DATABASE site")
        as_postgres(
            f"{BINARIES[-1]}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
            "-U", "postgres", "-D", str(replica.directory), "--write-recovery-conf",
            "--checkpoint=fast",
        )  # fmt: skip
        replica.start()
        site = Site(primary, replica, free_port())
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT, env=site.env, check=True, timeout=300,
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.commentaries.caching.site_process", str(site.port)],
            cwd=ROOT, env=site.env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert server.stdout.readline().strip() == "serving"
        site.resume_replay()  # the replica has the migrated database
        yield site
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        for cluster in (replica, primary):
            if (cluster.directory / "postmaster.pid").exists():
                cluster.stop()
        shutil.rmtree(directory)


@pytest.mark.postgres  # run once, in the PostgreSQL run of the suite
def test_a_page_is_never_kept_under_a_generation_newer_than_its_data(site):
    assert TITLE in site.get("/")
    site.pause_replay()
    site.change_title("Quokkas at the summit")

    # Readers read the replica, generation included: the page is the one before the change,
    # rendered now from the replica and kept under the replica's (older) generation.
    assert TITLE in site.get("/commentaries/2015/")
    assert TITLE in site.get("/")
    # A request with a session reads the primary.
    assert "Quokkas at the summit" in site.get("/", cookie="sessionid=someone")

    site.resume_replay()
    assert "Quokkas at the summit" in site.get("/commentaries/2015/")
    assert "Quokkas at the summit" in site.get("/")


@pytest.mark.postgres
def test_a_ban_waits_until_the_replica_has_replayed_the_change(site):
    node = Node()
    node.start()
    event = site.primary.query(
        "INSERT INTO commentaries_publicationevent (commentary_id, kind, version, occurred_at) "
        "SELECT id, 'corrected', 999, now() FROM commentaries_commentary RETURNING id"
    )[0]
    ban = f"from commentaries.caching.frontcache import ban_public_pages as b\n" \
          f"print(b.enqueue({event}).status.value)"  # fmt: skip
    try:
        site.pause_replay()
        site.change_title("Capybaras in Seoul")
        assert site.python(ban, FRONT_CACHE_URLS=node.url, REPLICA_WAIT_SECONDS="0.2") == "FAILED"
        assert node.bans == []
        assert site.primary.query("SELECT count(*) FROM caching_frontcacheban")[0] == 0

        site.resume_replay()
        assert site.python(ban, FRONT_CACHE_URLS=node.url) == "SUCCESSFUL"
        assert node.bans == ["^/(?!static/)"]
        banned = site.primary.query(
            "SELECT count(*) FROM caching_frontcacheban WHERE banned_at IS NOT NULL"
        )
        assert banned == (1,)
    finally:
        node.stop()


@pytest.mark.postgres
def test_while_the_replica_is_down_public_pages_read_the_primary(site):
    site.change_title("Wombats in Busan")
    site.replica.stop()
    try:
        assert "Wombats in Busan" in site.get("/commentaries/2015/")
        assert "Wombats in Busan" in site.get("/")
    finally:
        site.replica.start()
