"""`make run` prints e-mails on the console (EMAIL_URL=console://) as a reader would read them:
a link in a confirmation can be copied whole."""

import io

import pytest
from django.core import mail

from commentaries.alerts import messages
from commentaries.alerts.models import Frequency, SignupRequest
from web import email_url

pytestmark = pytest.mark.django_db


def printed(message):
    stream = io.StringIO()
    backend = mail.get_connection(email_url.parse("console://")["EMAIL_BACKEND"], stream=stream)
    assert backend.send_messages([message]) == 1
    return stream.getvalue()


def test_the_confirmation_link_prints_whole_on_one_line(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    row = SignupRequest.objects.create(
        email="reader@example.org", target="all", frequency=Frequency.EACH
    )
    message = messages.confirmation(row, "every new commentary")
    (url,) = [line for line in message.body.split() if "/alerts/confirm/" in line]
    assert len(url) > 76  # what quoted-printable would break
    out = printed(message)
    assert any(url in line for line in out.splitlines())
    assert "=\n" not in out and "=3D" not in out
    assert "Subject: Confirm your subscription to" in out
    assert "--- text/plain" in out and "--- text/html" in out


def test_headers_and_text_outside_ascii_print_decoded():
    message = mail.EmailMessage(
        "日韓関係の将来 — a test",
        "本文です。 " * 30,
        "alerts@example.org",
        ["読者 <r@example.org>"],
    )
    out = printed(message)
    assert "Subject: 日韓関係の将来 — a test" in out
    assert "To: 読者 <r@example.org>" in out
    assert "本文です。 本文です。" in out
