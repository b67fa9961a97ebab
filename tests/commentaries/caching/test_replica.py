"""The read replica (DATABASE_REPLICA_URL): public pages read it, the rest reads the primary, and
no page is kept under a newer generation than its data. Against a real PostgreSQL streaming
replica: the tests make a primary with initdb and a replica of it with pg_basebackup on loopback,
and pause the replica's replay to hold it behind the primary."""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import transaction

from commentaries.caching.replica import ReplicaRouter, pinned
from commentaries.models import Commentary
from tests.ports import free_port
from tests.servers import BanRecorder, Cluster, postgres_skip_reason, wait_for

ROOT = Path(__file__).resolve().parents[3]
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
        self.replica.caught_up(self.primary)

    def python(self, code, **env):
        """What `code` prints, run with Django set up on these databases."""
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT, env=self.env | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture(scope="module")
def site():
    if reason := postgres_skip_reason():
        pytest.skip(reason)
    directory = Path(tempfile.mkdtemp(prefix="replica-"))
    shutil.chown(directory, "postgres")
    primary = Cluster(directory / "primary", free_port())
    replica = server = None
    try:
        primary.init()
        replica = primary.replica(directory / "replica", free_port())
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
            if cluster and cluster.running():
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
    node = BanRecorder()
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
