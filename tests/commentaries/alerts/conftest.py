"""A real SMTP server (aiosmtpd on loopback) and a real worker process for the alert tests."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
SITE_URL = "http://testserver"
FROM = "alerts@example.org"
PORTS = range(8600, 8700)  # the range these tests may listen on


class Inbox:
    """aiosmtpd handler keeping every accepted message; it can hold the message after the
    first `hold_after` until released, to stop a sender mid-batch at a known point."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.hold_after = None
        self.holding = threading.Event()  # a message is held
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            held = self.hold_after is not None and len(self.messages) >= self.hold_after
        if held and not self.release.is_set():
            self.holding.set()
            await server.loop.run_in_executor(None, self.release.wait)
            return "451 Try again later"  # its sender is gone by now; it never arrived
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def count(self):
        with self.lock:
            return len(self.messages)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8600-8699")


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    inbox.release.set()
    controller.stop()


@pytest.fixture
def mail_to_smtp(settings, smtp):
    """This process's own e-mail (confirmations, test copies) goes to the SMTP server too."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    return smtp


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def durable(settings, transactional_db, smtp):
    """Tasks go to the database, where a worker process (run_worker) picks them up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = SITE_URL


def worker_env(smtp):
    return {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_FROM": FROM,
        "SITE_URL": SITE_URL,
    }


def run_worker(smtp, *args):
    """`manage.py worker --batch`: everything due, then exit."""
    done = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", *args],
        cwd=ROOT,
        env=worker_env(smtp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def start_worker(smtp):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=worker_env(smtp),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def parts(message):
    """(plain text, HTML) of a multipart message."""
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html
