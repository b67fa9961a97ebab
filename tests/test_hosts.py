"""The site on several hosts (README, "Production"): network namespaces (`ip netns`) on one
bridge stand for the machines, each with an address and a hostname of its own:

    db (PostgreSQL primary)  replica (its streaming replica)  s3 (SeaweedFS)
    web1, web2 (`make web`)  work1, work2 (`make worker`)  front (Varnish before web1 and web2)

and the test's own namespace, the outside world, holds the readers (wrk) and the mail server
(an aiosmtpd sink). One test, in four parts, on one world built for it (about 70 s here):

- a piece's PDF rendered by the worker on work1 is served, the same bytes, by web1 and web2;
- its publication's ban reaches Varnish from work1, and the front page shows the piece;
- an alert to SUBSCRIBERS subscribers: work1 is killed mid-blast (SIGKILL to every process on
  it, while one of its messages waits for the mail server's answer, so never accepted), and
  work2 finishes it: every subscriber has it exactly once;
- wrk reads through Varnish (pages that reach the web hosts) while web1 is killed: no errors.

Needs root (namespaces; PostgreSQL run as its user), iproute2, PostgreSQL's programs, Varnish,
wrk and SeaweedFS's `weed` (the dev extra); skipped with the reason otherwise. Select it with
`-m hosts`; its figures go to var/test-hosts.md, the hosts' logs to var/test-hosts/.
"""

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port
from tests.servers import (
    ROOT,
    S3_KEY,
    S3_SECRET,
    Cluster,
    Network,
    SeaweedFS,
    Sink,
    Varnish,
    postgres_skip_reason,
    s3_client,
    seaweedfs_skip_reason,
    varnish_config,
    varnish_skip_reason,
    wait_for,
)

pytestmark = pytest.mark.hosts

# Named after this checkout, so that two checkouts on one machine never touch each other's
# hosts: every namespace is PREFIX-NAME, the bridge PREFIX-br; the hosts' addresses SUBNET.N/24,
# the test's SUBNET.1.
CHECKOUT = hashlib.sha256(str(ROOT).encode()).hexdigest()
PREFIX = f"ajh{CHECKOUT[:4]}"
SUBNET = f"10.251.{16 + int(CHECKOUT[4:8], 16) % 224}"
SUBSCRIBERS = 3000
WEB_PORT = 8000
LEASE_SECONDS = 5  # a killed worker's task comes back within seconds, not the production 30
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TITLE = "Every subscriber is sent this"  # the piece the test publishes
REPORT = ROOT / "var" / "test-hosts.md"
LOGS = ROOT / "var" / "test-hosts"  # the hosts' logs of the last run
# The environment the test sets for the hosts, never taken from its own.
SET_HERE = (
    "DJANGO_", "DATABASE_", "REDIS_URL", "SITE_URL", "WEBSUB_HUB_URL", "PORT", "MEDIA_",
    "FRONT_CACHE_", "EMAIL_", "TASK", "PYTEST_", "STATIC_ROOT", "MAKE", "MFLAGS",
)  # fmt: skip


def skip_reason():
    for reason in (
        Network.skip_reason(),
        postgres_skip_reason(),
        varnish_skip_reason(),
        seaweedfs_skip_reason(),
        None if shutil.which("wrk") else "needs wrk (apt-get install wrk)",
        None if os.path.exists(PYTHON) else "needs .venv (make python)",
    ):
        if reason:
            return reason
    return None


class World:
    """The hosts, their servers, and the site's environment on each."""

    def __init__(self, directory):
        self.directory = directory
        self.network = Network(PREFIX, SUBNET)
        self.sink = Sink()
        self.figures = {}

    @contextlib.contextmanager
    def timed(self, label):
        started = time.monotonic()
        yield
        self.figures[f"{label} (s)"] = round(time.monotonic() - started, 1)

    def build(self):
        network = self.network
        network.create()
        self.front = network.host("front", 10)
        self.web = [network.host("web1", 11), network.host("web2", 12)]
        self.work = [network.host("work1", 21), network.host("work2", 22)]
        db, replica_host, s3 = (
            network.host(n, i) for n, i in (("db", 31), ("replica", 32), ("s3", 41))
        )
        self.site_host = self.front.address  # readers' Host header: Varnish on port 80
        self.site_url = f"http://{self.site_host}"
        self.s3 = SeaweedFS(self.directory / "s3", s3.address, s3)
        self.s3.launch()  # it starts while PostgreSQL does

        with self.timed("build: PostgreSQL primary and replica"):
            postgres_dir = self.directory / "postgres"
            postgres_dir.mkdir()
            shutil.chown(postgres_dir, "postgres")
            subnet = f"{SUBNET}.0/24"
            self.primary = Cluster(postgres_dir / "primary", 5432, db.address, db, trusted=subnet)
            self.primary.init()
            self.replica = self.primary.replica(
                postgres_dir / "replica", 5432, replica_host.address, replica_host
            )
        self.smtp = Controller(
            self.sink, hostname=network.address, port=free_port(network.address)
        )
        self.smtp.start()
        self.env = self.site_env()

        with self.timed("build: make migrate"):
            self.work[0].run("make", "--no-print-directory", "migrate", env=self.env, timeout=300)
        with self.timed("build: SeaweedFS answers"):
            self.s3.ready()
        # The web hosts start while work1 runs the seed's own tasks (its PDF, its events) once,
        # before anyone subscribes, so that the only alert of the test is the new piece's.
        with self.timed("build: web hosts start, the seed's tasks run"):
            self.web_processes = [self.start_web(host) for host in self.web]
            self.work[0].run(PYTHON, "manage.py", "worker", "--batch", env=self.env, timeout=300)
            self.replica.caught_up(self.primary)
        with self.timed("build: Varnish finds both web hosts healthy"):
            self.varnish = self.start_front()

    def site_env(self):
        """What each host's process manager would set: README's production environment."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(SET_HERE)}
        return env | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": self.site_host,
            "SITE_URL": self.site_url,
            "DATABASE_URL": self.primary.url,
            "DATABASE_REPLICA_URL": self.replica.url,
            "MEDIA_STORAGE_URL": self.s3.storage_url("media"),
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET,
            "FRONT_CACHE_URLS": f"{self.site_url}/",
            "EMAIL_URL": f"smtp://{self.network.address}:{self.smtp.port}",
            "EMAIL_FROM": "alerts@example.org",
            "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            "EVENT_CLOCK_SECONDS": "1",
            "WEB_CONCURRENCY": "2",
        }

    def start_web(self, host):
        env = self.env | {
            "HOST": host.address,
            "PORT": str(WEB_PORT),
            "STATIC_ROOT": str(self.directory / f"{host.name}-static"),
        }
        return host.start("make", "--no-print-directory", "web", env=env,
                          log=self.directory / f"{host.name}.log")  # fmt: skip

    def start_worker(self, host):
        return host.start("make", "--no-print-directory", "worker", env=self.env,
                          log=self.directory / f"{host.name}.log")  # fmt: skip

    def start_front(self):
        """Varnish on front:80 before both web hosts, taking bans from the worker hosts."""
        config = self.directory / "varnish"
        backends = ",".join(f"{host.address}:{WEB_PORT}" for host in self.web)
        purgers = ",".join(host.address for host in self.work)
        written = varnish_config("--backend", backends, "--host", self.site_host,
                                 "--purge-from", purgers, str(config))  # fmt: skip
        assert written.returncode == 0, written.stderr
        varnish = Varnish(config, f"{self.front.address}:80", host=self.front)
        varnish.start()
        both = {"web1": "healthy", "web2": "healthy"}
        wait_for(lambda: varnish.health().items() >= both.items(), seconds=120, interval=0.5,
                 what="both web hosts to answer Varnish's probes")  # fmt: skip
        return varnish

    def destroy(self):
        try:
            self.sink.release()
            if hasattr(self, "smtp"):
                self.smtp.stop()
        finally:
            self.network.clean()  # every process on every host killed, PostgreSQL's included

    # The site's data, read and written as its hosts do -------------------------------------

    def python(self, host, code):
        """What `code` prints, run on `host` with Django set up in the site's environment."""
        command = [PYTHON, "-c", "import django; django.setup()\n" + textwrap.dedent(code)]
        env = self.env | {"DJANGO_SETTINGS_MODULE": "config.settings"}
        return host.run(*command, env=env).strip()

    def sql(self, query, *params):
        with psycopg.connect(self.primary.url, autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def subscribe(self, count):
        self.sql(
            "INSERT INTO alerts_subscriber (email, consented_at, source, disabled_reason, created_at)"
            " SELECT 'reader' || n || '@example.org', now(), '', '', now()"
            " FROM generate_series(1, %s) AS n",
            count,
        )
        self.sql(
            "INSERT INTO alerts_subscription"
            " (subscriber_id, target, frequency, languages, confirmed_at, source)"
            " SELECT id, 'all', 'each', 'en', now(), '' FROM alerts_subscriber"
        )

    def publish(self):
        """An editor publishes a new piece (No.211, the seed's text and authors) on web1."""
        return int(
            self.python(
                self.web[0],
                f"""
                from commentaries.models import Commentary
                from commentaries.publishing import services
                from tests.factories import CommentaryFactory

                seed = Commentary.objects.get(series__is_primary=True, number=210)
                draft = CommentaryFactory(
                    series=seed.series, number=211, title={TITLE!r},
                    body=seed.body, summary=seed.summary, authors=list(seed.authors.all()),
                    status=Commentary.Status.DRAFT,
                )
                services.commentary_publish(commentary=draft, by=None)
                print(draft.pk)
                """,
            )
        )

    def tasks(self, path_end, status=None):
        """(status, worker ids) of the tasks whose path ends with `path_end`."""
        query = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
        query += " WHERE task_path LIKE %s"
        rows = self.sql(query, f"%{path_end}")
        return [row for row in rows if status is None or row[0] == status]

    def unfinished(self, path_end):
        """How many tasks whose path ends with `path_end` are ready or running."""
        return self.sql(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE status IN ('READY', 'RUNNING') AND task_path LIKE %s",
            f"%{path_end}",
        )[0][0]

    def get(self, address, path):
        """(status, body) of GET `path` from `address` (a web host's or Varnish's), as the
        site's readers ask for it (its Host header)."""
        request = urllib.request.Request(
            f"http://{address}{path}", headers={"Host": self.site_host}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@pytest.fixture(scope="module")
def world():
    if reason := skip_reason():
        pytest.skip(reason)
    directory = Path(tempfile.mkdtemp(prefix="hosts-"))
    directory.chmod(0o755)  # PostgreSQL's user keeps its clusters in a folder of it
    world = World(directory)
    started = time.monotonic()
    try:
        world.build()
        world.figures["world built (s)"] = round(time.monotonic() - started, 1)
        yield world
    finally:
        world.destroy()
        shutil.rmtree(LOGS, ignore_errors=True)
        LOGS.mkdir(parents=True)
        for log in [*directory.glob("*.log"), *directory.glob("*/*.log")]:
            shutil.copy(log, LOGS / log.name)
        shutil.rmtree(directory, ignore_errors=True)
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text(
            "| tests/test_hosts.py | |\n| --- | --- |\n"
            + "".join(f"| {label} | {value} |\n" for label, value in world.figures.items())
        )


WRK_SCRIPT = """
-- Half the requests carry a session cookie (Varnish passes them to a web host, which renders
-- the page on the primary); half ask for a public page under a new query each time (a miss in
-- Varnish: a web host answers it from its page cache or the replica).
local n = 0
function request()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format("GET", "/", {["Cookie"] = "sessionid=reader-" .. n})
  end
  return wrk.format("GET", "/commentaries/210/?r=" .. math.random(1e9))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests %d non2xx %d socket %d p99ms %.1f maxms %.1f\\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def wrk(world, seconds, during=None, at=None):
    """wrk through Varnish for `seconds`; `during` is called `at` seconds in. The summary."""
    script = world.directory / "hosts.lua"
    script.write_text(WRK_SCRIPT)
    if during:
        timer = threading.Timer(at, during)
        timer.start()
    run = subprocess.run(
        ["wrk", "--threads", "2", "--connections", "8", "--duration", f"{seconds}s",
         "--timeout", "10s", "--script", str(script), f"{world.site_url}/"],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    if during:
        timer.join()
    line = run.stdout.strip().splitlines()[-1]
    words = line.split()
    return dict(zip(words[::2], map(float, words[1::2]), strict=True)) | {"line": line}


def test_the_site_on_several_hosts(world, subtests):
    world.subscribe(SUBSCRIBERS)
    world.work_processes = [world.start_worker(world.work[0])]  # work1 alone for now
    status, front_page = world.get(world.site_host, "/")  # now kept by Varnish
    assert status == 200 and TITLE.encode() not in front_page
    world.published = time.monotonic()
    world.piece = world.publish()
    with subtests.test("a PDF rendered on work1 is served by web1 and web2"):
        pdf_rendered_on_a_worker_host_is_served_by_both_web_hosts(world)
    with subtests.test("the publication's ban reaches Varnish from work1"):
        the_ban_reaches_the_front_from_a_worker_host(world)
    with subtests.test("work1 killed mid-blast: work2 finishes, none lost, none doubled"):
        a_worker_host_killed_mid_blast_loses_and_doubles_nothing(world)
    with subtests.test("web1 killed under wrk: no errors through Varnish"):
        a_web_host_killed_under_load_costs_readers_nothing(world)


def pdf_rendered_on_a_worker_host_is_served_by_both_web_hosts(world):
    rendered = wait_for(lambda: world.tasks(".render_pdf", "SUCCESSFUL"), seconds=120,
                        what="the worker to render the piece's PDF")  # fmt: skip
    world.figures["publication to PDF stored, on work1 (s)"] = round(
        time.monotonic() - world.published, 1
    )
    ((_, workers),) = rendered
    assert workers[0].startswith("work1:"), workers  # host:pid:random

    bucket = s3_client(world.s3.endpoint)
    listed = bucket.list_objects_v2(Bucket="ajiss-site", Prefix="media/pdf/ajiss-commentary-211-")
    (key,) = [item["Key"] for item in listed.get("Contents", [])]
    stored = bucket.get_object(Bucket="ajiss-site", Key=key)["Body"].read()
    assert stored.startswith(b"%PDF-")
    for host in world.web:
        status, body = world.get(f"{host.address}:{WEB_PORT}", "/commentaries/211/pdf/")
        assert (host.name, status) == (host.name, 200)
        assert body == stored, host.name
    # Served from the bucket, not rendered again by a web host.
    listed = bucket.list_objects_v2(Bucket="ajiss-site", Prefix="media/pdf/ajiss-commentary-211-")
    assert [item["Key"] for item in listed["Contents"]] == [key]


def the_ban_reaches_the_front_from_a_worker_host(world):
    """Varnish's purge ACL holds the worker hosts (deploy/varnish-config --purge-from)."""

    def banned():
        return world.sql(
            "SELECT ban.node, ban.banned_at IS NOT NULL, ban.last_error"
            " FROM caching_frontcacheban ban JOIN commentaries_publicationevent event"
            " ON event.id = ban.event_id WHERE event.commentary_id = %s",
            world.piece,
        )

    rows = wait_for(lambda: [row for row in banned() if row[1]], seconds=60,
                    what="the piece's ban to reach Varnish")  # fmt: skip
    assert rows == [(f"{world.site_url}/", True, "")]
    status, front_page = world.get(world.site_host, "/")
    assert status == 200 and TITLE.encode() in front_page


def a_worker_host_killed_mid_blast_loses_and_doubles_nothing(world):
    sink = world.sink
    work1, work2 = world.work
    world.work_processes.append(world.start_worker(work2))
    started = time.monotonic()
    wait_for(lambda: sink.total() >= SUBSCRIBERS // 3, seconds=300,
             what="a third of the alerts to arrive")  # fmt: skip

    # The kill lands while a message of work1's waits for the server's answer: its row's
    # sent_at is written in a transaction still open, the message not yet accepted.
    sink.hold_from(work1.address)
    assert sink.holding.wait(timeout=60), "work1 sent nothing more"
    before = sink.total()
    work1.kill()
    sink.release()
    world.figures["alerts at the sink when work1 was killed"] = before

    def all_sent():
        return len(sink.recipients()) >= SUBSCRIBERS and world.unfinished(".send_alerts") == 0

    wait_for(all_sent, seconds=300, what="work2 to send every alert")
    time.sleep(1)  # anything sent twice would be arriving now
    received = sink.recipients()
    lost = SUBSCRIBERS - len(received)
    doubled = sum(received.values()) - len(received)
    senders = {host.name: sink.senders[host.address] for host in world.work}
    world.figures["alert: subscribers, lost, doubled"] = f"{SUBSCRIBERS}, {lost}, {doubled}"
    world.figures["alerts sent by work1, work2"] = f"{senders['work1']}, {senders['work2']}"
    world.figures["work2 started to last alert (s)"] = round(time.monotonic() - started, 1)
    assert (lost, doubled) == (0, 0)
    assert set(received) == {f"reader{n}@example.org" for n in range(1, SUBSCRIBERS + 1)}
    assert world.sql("SELECT count(*) FROM alerts_delivery WHERE sent_at IS NULL")[0][0] == 0
    # The task work1 died in (its lease expired) was run again, to its end, on work2.
    taken_over = [
        workers
        for _, workers in world.tasks(".send_alerts", "SUCCESSFUL")
        if len(workers) > 1 and workers[0].startswith("work1:")
    ]
    assert taken_over and all(w[-1].startswith("work2:") for w in taken_over), taken_over


def a_web_host_killed_under_load_costs_readers_nothing(world):
    web1 = world.web[0]
    health = world.varnish.health()
    assert (health["web1"], health["web2"]) == ("healthy", "healthy")
    errors = world.directory / "varnish-errors.log"
    recorder = world.varnish.log_errors(errors)
    try:
        summary = wrk(world, 12, during=web1.kill, at=4)
    finally:
        time.sleep(1)
        os.killpg(recorder.pid, signal.SIGTERM)
        recorder.wait(timeout=10)
    world.figures["wrk through Varnish, web1 killed 4 s in"] = summary["line"]
    failed = errors.read_text()[-5000:]
    assert summary["non2xx"] == 0 and summary["socket"] == 0, summary["line"] + "\n" + failed
    assert summary["requests"] > 100, summary["line"]
    health = world.varnish.health()
    assert (health["web1"], health["web2"]) == ("sick", "healthy")
    status, _ = world.get(world.site_host, "/")
    assert status == 200
