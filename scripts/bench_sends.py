"""`make bench-sends`: one piece's alert to BENCH_SUBSCRIBERS (100,000) confirmed subscribers.

On the PostgreSQL server of DATABASE_URL (say `.../commentaries`), builds a fresh database
`commentaries_bench_sends`, with autovacuum off on the task table and its statistics taken
while it was empty (the claim must stay cheap when they are stale). Two `manage.py worker`
processes (DEBUG off) send to an aiosmtpd sink on loopback that only counts recipients. The
piece (the seed's text and authors, a new number) is published; half-way through the blast a
visitor asks to subscribe, and the confirmation's delivery is timed. Reports:

- fan-out: the fan_out task's run (every Delivery row and send task written);
- worker peak RSS (VmHWM): of the workers that only sent, and of the one that ran the piece's
  render_pdf task (which loads WeasyPrint, however little it has to do);
- worker CPU time per alert (what the machine's other load does not change);
- the time from publication to the last alert at the sink;
- lost (subscribers with no alert) and doubled (alerts beyond one per subscriber);
- the confirmation's time from request to the sink.

Prints a Markdown table (also var/bench-sends.md); exits 1 when a target is missed. Targets:
fan-out <= 30 s, worker memory < 150 MB, all delivered <= 10 min, 0 lost, 0 doubled,
confirmation <= 10 s. BENCH_SEND_TIMEOUT (default 900 s) bounds the wait.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
COUNT = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
TIMEOUT = float(os.environ.get("BENCH_SEND_TIMEOUT", "900"))
WORKERS = 2
SITE_URL = "http://commentaries.example.org"
CONFIRMING = "confirming@example.org"
TARGETS = {
    "fan-out (s)": ("fan_out", 30),
    "worker peak RSS, sending (MB)": ("rss", 150),
    "worker peak RSS, the one that ran render_pdf (MB)": ("rss_pdf", None),
    "worker CPU per alert (ms)": ("cpu_ms", None),
    "publication to last alert (s)": ("all_sent", 600),
    "lost": ("lost", 0),
    "doubled": ("doubled", 0),
    "confirmation, request to sink (s)": ("confirmation", 10),
}


class Sink:
    """aiosmtpd handler: counts each recipient's messages and notes when they came."""

    def __init__(self):
        self.received = Counter()
        self.arrived = {}  # recipient -> monotonic time of its first message
        self.last = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
                self.arrived.setdefault(recipient, now)
            self.last = now
        return "250 OK"

    def total(self):
        with self.lock:
            return sum(self.received.values())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(base):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench_sends"))


def psql(url, sql):
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-qc", sql], check=True)


def environment(url, smtp_port):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SITE_URL": SITE_URL,
        "TASKS_BACKEND": "database",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_FROM": "alerts@example.org",
        "REDIS_URL": "",
        "FRONT_CACHE_URL": "",
        "WEBSUB_HUB_URL": "",
        "PYTHONPATH": str(ROOT),
    }


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pdf_worker_pids():
    """The processes that ran a render_pdf task (worker ids are host:pid:random)."""
    from django_tasks_db.models import DBTaskResult

    ids = DBTaskResult.objects.filter(task_path__endswith=".render_pdf").values_list(
        "worker_ids", flat=True
    )
    return {int(worker.split(":")[-2]) for workers in ids for worker in workers}


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def subscribe_everyone(count):
    from django.conf import settings
    from django.db import connection

    every_language = " ".join(code for code, _ in settings.LANGUAGES)

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO alerts_subscriber (email, consented_at, source, disabled_reason, created_at)"
            " SELECT 'reader' || n || '@example.org', now(), '', '', now()"
            " FROM generate_series(1, %s) AS n",
            [count],
        )
        cursor.execute(
            "INSERT INTO alerts_subscription"
            " (subscriber_id, target, frequency, languages, confirmed_at, source)"
            " SELECT id, 'all', 'each', %s, now(), '' FROM alerts_subscriber",
            [every_language],
        )
        cursor.execute("ANALYZE alerts_subscriber; ANALYZE alerts_subscription")
        # The task table as a fresh site has it: statistics of an empty queue, never renewed.
        cursor.execute(
            "ALTER TABLE django_tasks_database_dbtaskresult SET (autovacuum_enabled = false);"
            " ANALYZE django_tasks_database_dbtaskresult"
        )


def publish():
    """A new piece with the seed's text and authors, published now; its events recorded (the
    became_public event queues the fan-out). Returns its pk."""
    from django.utils import timezone

    from commentaries.models import Commentary
    from commentaries.publishing import events
    from tests.factories import CommentaryFactory

    seed = Commentary.objects.get(series__is_primary=True, number=210)
    piece = CommentaryFactory(
        series=seed.series,
        number=211,
        title="The piece every subscriber is sent",
        body=seed.body,
        summary=seed.summary,
        authors=list(seed.authors.all()),
        published_at=timezone.now(),
    )
    events.reconcile(piece.pk)
    return piece.pk


def request_confirmation():
    """What the subscribe form does: a SignupRequest and its confirmation task, committed."""
    from django.db import transaction

    from commentaries.alerts import tasks
    from commentaries.alerts.models import SignupRequest

    with transaction.atomic():
        row = SignupRequest.objects.create(
            email=CONFIRMING, client="127.0.0.1", target="all", mailed=True
        )
        tasks.send_confirmation.enqueue(row.pk)


def fan_out_seconds():
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.filter(task_path__endswith=".fan_out").first()
    if row is None or row.finished_at is None:
        return None
    return (row.finished_at - row.started_at).total_seconds()


def main():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench-sends: set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/commentaries"
        )
    url = database_url(base)
    name = urlsplit(url).path.lstrip("/")
    psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(url, f'CREATE DATABASE "{name}"')

    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = environment(url, controller.port)
    os.environ.update(env)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # The seed's own events and tasks, before anyone subscribes.
    worker = [PYTHON, "manage.py", "worker", "--verbosity", "0"]
    subprocess.run([*worker, "--batch"], cwd=ROOT, env=env, check=True)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    subscribe_everyone(COUNT)

    workers = [
        subprocess.Popen([*worker, "--interval", "0.2"], cwd=ROOT, env=env, start_new_session=True)
        for _ in range(WORKERS)
    ]
    try:
        started = time.monotonic()
        piece = publish()
        from django.db import connection

        connection.close()
        asked = None
        deadline = started + TIMEOUT
        alerts = COUNT
        while time.monotonic() < deadline:
            sent = sink.total()
            if asked is None and sent >= alerts // 2:
                asked = time.monotonic()
                request_confirmation()
            if (
                asked is not None
                and sink.received[CONFIRMING]
                and len(sink.received) >= alerts + 1
            ):
                break
            if any(w.poll() is not None for w in workers):
                sys.exit("a worker stopped")
            time.sleep(0.2)
        peaks = {w.pid: peak_rss_mb(w.pid) for w in workers}
        cpu = sum(cpu_seconds(w.pid) for w in workers)
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, 9)
                w.wait()
        controller.stop()

    received = dict(sink.received)
    confirmations = received.pop(CONFIRMING, 0)
    rendering = pdf_worker_pids()
    sending = [mb for pid, mb in peaks.items() if pid not in rendering] or list(peaks.values())
    results = {
        "fan_out": fan_out_seconds(),
        "rss": max(sending),
        "rss_pdf": max((peaks[pid] for pid in rendering if pid in peaks), default=None),
        "cpu_ms": cpu * 1000 / max(sum(received.values()), 1),
        "all_sent": (sink.last - started) if len(received) >= alerts else None,
        "lost": alerts - len(received),
        "doubled": sum(received.values()) - len(received),
        "confirmation": (sink.arrived[CONFIRMING] - asked) if confirmations else None,
    }
    report(results, piece)
    missed = [
        label
        for label, (key, target) in TARGETS.items()
        if target is not None and (results[key] is None or results[key] > target)
    ]
    sys.exit(1 if missed else 0)


def report(results, piece):
    lines = [
        f"Alert of one piece (pk {piece}) to {COUNT:,} subscribers, {WORKERS} workers, PostgreSQL;"
        f" load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
    ]
    for label, (key, target) in TARGETS.items():
        value = results[key]
        shown = (
            "not reached"
            if value is None
            else (f"{value:.1f}" if isinstance(value, float) else str(value))
        )
        goal = "" if target is None else f"{'<=' if target else '='} {target}"
        lines.append(f"| {label} | {shown} | {goal} |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    (ROOT / "var" / "bench-sends.md").write_text(text)


if __name__ == "__main__":
    main()
