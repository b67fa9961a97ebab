"""How often a killed worker sends an alert twice: kill it mid-send, again and again, and count.

    .venv/bin/python scripts/alert_kills.py [--alerts 300] [--runs 3] [--kill-within MS]
                                            [--window N]

Each run publishes one piece to `--alerts` subscribers, with its alerts queued in the database
as in production, and sends them through a real SMTP server (aiosmtpd on loopback) from real
`manage.py worker` processes. Each worker is killed (SIGKILL) once it has begun to send, and a
new one started, until every subscriber has had the piece; a last `worker --batch` finishes.
Duplicates are messages beyond one per subscriber.

When to kill: by default at a random moment up to `--max-wait` seconds after the worker's first
message (a crash at any point of the work); with `--kill-within MS`, the SMTP server itself
kills the worker at a random moment within MS milliseconds after it accepts a message (a crash
aimed at the instant a copy can be repeated: the fraction of such kills that repeat a message
is the window's share of those MS).

`--window N` first times, in this process, N sends of the same code path: from the moment the
SMTP server accepts a message until the commit that records its sent_at has returned. A worker
killed inside that window sends the message again.

DATABASE_URL picks the database (default: a SQLite file of its own under var/); it is migrated,
and its pieces, subscribers, deliveries and tasks of earlier runs are deleted.
"""

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'alert-kills.sqlite3'}")
os.environ |= {"DJANGO_DEBUG": "1", "TASKS_BACKEND": "database", "EVENT_CLOCK_SECONDS": "3600"}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SITE_URL = "http://commentaries.example.org"


class Sink:
    """aiosmtpd handler: every accepted message's recipient, Message-ID and the time of its 250;
    armed (arm()), it kills a process at a random moment within a while after the next one."""

    def __init__(self):
        self.accepted = []  # (monotonic time, recipient, Message-ID)
        self.lock = threading.Lock()
        self.armed = None  # (process group, the longest delay in seconds, random.Random)

    def arm(self, pgid, within, rng):
        with self.lock:
            self.armed = (pgid, within, rng)

    async def handle_DATA(self, server, session, envelope):
        message_id = next(
            (
                line.split(b":", 1)[1].strip().decode()
                for line in envelope.content.splitlines()
                if line.lower().startswith(b"message-id:")
            ),
            "",
        )
        with self.lock:
            self.accepted.append((time.monotonic(), envelope.rcpt_tos[0], message_id))
            armed, self.armed = self.armed, None
        if armed:
            pgid, within, rng = armed
            server.loop.call_later(rng.uniform(0, within), kill, pgid)
        return "250 Message accepted for delivery"

    def count(self):
        with self.lock:
            return len(self.accepted)


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def kill(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_piece(n_subscribers, label):
    """A public piece and n confirmed subscribers to everything, with nothing else queued."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from commentaries.alerts.models import Delivery, Subscriber, Subscription
    from commentaries.models import Commentary, Series

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    DBTaskResult.objects.all().delete()
    Commentary.objects.exclude(number=210).delete()
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{i:04}@example.org", consented_at=now)
        for i in range(n_subscribers)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=s, target="all", confirmed_at=now) for s in subscribers
    )
    number = 9000 + int(time.time()) % 900
    return Commentary.objects.create(
        series=Series.objects.get(is_primary=True),
        number=number,
        title=f"Sent to many ({label})",
        slug=f"sent-to-many-{number}",
        body="<p>A piece for the kill test.</p>",
        status=Commentary.Status.PUBLISHED,
        published_at=now - timezone.timedelta(minutes=1),
    )


def worker_env(port):
    return os.environ | {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": SITE_URL}


def worker(port, *args):
    command = [sys.executable, "manage.py", "worker", "--verbosity", "0", *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=worker_env(port), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def kill_run(sink, port, n, label, rng, max_wait, kill_within):
    from commentaries.publishing import events

    piece = new_piece(n, label)
    start = sink.count()
    events.reconcile(piece.pk)  # the became_public event queues fan_out in the database
    kills = 0
    deadline = time.monotonic() + 600
    while len({r for _, r, _ in sink.accepted[start:]}) < n and time.monotonic() < deadline:
        before = sink.count()
        process = worker(port, "--interval", "0.05")
        while sink.count() == before and process.poll() is None:
            time.sleep(0.005)  # until this worker has begun to send
        if kill_within:
            sink.arm(process.pid, kill_within / 1000, rng)  # at its next message
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill(process.pid)  # nothing left to send
        else:
            time.sleep(rng.uniform(0, max_wait))
            kill(process.pid)
        if process.wait() == -signal.SIGKILL:
            kills += 1
    subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--verbosity", "0"],
        cwd=ROOT, env=worker_env(port), check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    received = [r for _, r, _ in sink.accepted[start:]]
    return kills, len(received), len(set(received))


def window(sink, port, n):
    """ms from the server's acceptance to the commit of sent_at, for n sends in this process."""
    from django.conf import settings
    from django.db import connection

    from commentaries.alerts import tasks
    from commentaries.alerts.models import Delivery
    from commentaries.alerts.tasks import plan_alerts

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = SITE_URL
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    piece = new_piece(n, "window")
    plan_alerts(piece.pk)
    committed, pending = {}, []

    def note_update(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith('UPDATE "alerts_delivery" SET "sent_at"'):
            if connection.get_autocommit():
                committed[params[1]] = time.monotonic()  # autocommit: committed by now
            else:
                pending.append(params[1])  # committed when the transaction is
        return result

    commit = connection.commit

    def timed_commit():
        commit()
        while pending:
            committed[pending.pop()] = time.monotonic()

    connection.commit = timed_commit
    start = sink.count()
    gaps = []
    try:
        with connection.execute_wrapper(note_update):
            for pk in Delivery.objects.order_by("pk").values_list("pk", flat=True):
                before = sink.count()
                tasks.send_alert.call(pk)
                gaps.append((committed[pk] - sink.accepted[before][0]) * 1000)
    finally:
        del connection.commit
    per_message = (sink.accepted[-1][0] - sink.accepted[start][0]) / max(1, n - 1) * 1000
    return gaps, per_message


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--window", type=int, default=0, help="time N sends in process first")
    parser.add_argument("--max-wait", type=float, default=1.0, help="longest life after 1st send")
    parser.add_argument("--kill-within", type=float, default=0, help="ms after an acceptance")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django
    from aiosmtpd.controller import Controller

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    asyncio.set_event_loop(asyncio.new_event_loop())
    from django.db import connection

    say(f"database: {connection.vendor}; code: {ROOT}")
    try:
        if args.window:
            gaps, per_message = window(sink, port, args.window)
            gaps.sort()
            say(
                f"window over {len(gaps)} sends: median {statistics.median(gaps):.2f} ms, "
                f"p90 {gaps[int(len(gaps) * 0.9)]:.2f} ms, max {gaps[-1]:.2f} ms; "
                f"one message every {per_message:.1f} ms "
                f"({statistics.median(gaps) / per_message:.1%} of it)"
            )
        rng = random.Random(args.seed)
        totals = [0, 0, 0]
        for run in range(args.runs):
            kills, received, distinct = kill_run(
                sink, port, args.alerts, f"run {run + 1}", rng, args.max_wait, args.kill_within
            )
            say(
                f"run {run + 1}: {kills} kills, {received} messages to {distinct} of "
                f"{args.alerts} subscribers, {received - distinct} duplicate(s)"
            )
            for i, value in enumerate((kills, received, distinct)):
                totals[i] += value
        if args.runs:
            kills, received, distinct = totals
            say(
                f"total: {kills} kills, {received - distinct} duplicate(s) in {received} "
                f"messages; every subscriber reached: {distinct == args.alerts * args.runs}"
            )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
