"""A real SMTP server (aiosmtpd on loopback) for the alert tests; real workers come from
tests/conftest.py (task_workers)."""

import email
import email.policy
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.ports import free_port

SITE_URL = "http://testserver"
FROM = "alerts@example.org"


class Inbox:
    """aiosmtpd handler keeping every accepted message; it can hold the message after the
    first `hold_after`, or the QUIT after the `hold_quit_after`th, until released, to stop a
    sender mid-batch at a known point."""

    def __init__(self):
        self.messages = []
        self.connections = 0  # SMTP sessions that sent at least one message
        self.lock = threading.Lock()
        self.hold_after = None
        self.hold_quit_after = None  # hold the QUIT that follows this many accepted messages
        self.holding = threading.Event()  # a message is held
        self.release = threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not getattr(session, "counted", False):
            session.counted = True
            with self.lock:
                self.connections += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

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

    async def handle_QUIT(self, server, session, envelope):
        with self.lock:
            held = self.hold_quit_after is not None and len(self.messages) >= self.hold_quit_after
        if held and not self.release.is_set():
            self.holding.set()
            await server.loop.run_in_executor(None, self.release.wait)
        return "221 Bye"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def count(self):
        with self.lock:
            return len(self.messages)


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


@pytest.fixture
def durable(settings, task_workers, smtp):
    """Tasks go to the database, where real worker processes (task_workers) send their e-mail
    to the SMTP server: `task_workers.batch(**smtp.env)`."""
    settings.SITE_URL = SITE_URL
    smtp.env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_FROM": FROM,
        "SITE_URL": SITE_URL,
    }


def parts(message):
    """(plain text, HTML) of a multipart message."""
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html
