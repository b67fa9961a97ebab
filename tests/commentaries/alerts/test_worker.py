"""The durable path, end to end: events enqueue tasks in the database, a real worker process
sends through Django's SMTP backend, a real SMTP server (aiosmtpd) receives."""

import datetime as dt
from urllib.parse import urlsplit

import lxml.html
import pytest
import time_machine
from django.utils import timezone

from commentaries.alerts.models import Delivery
from commentaries.models import Commentary
from commentaries.publishing import events
from tests.commentaries.alerts.conftest import FROM, SITE_URL, parts
from tests.commentaries.alerts.helpers import links, subscriber
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.usefixtures("durable")


def public_piece(**kwargs):
    return CommentaryFactory(published_at=timezone.now() - dt.timedelta(minutes=1), **kwargs)


def test_the_worker_sends_one_alert_per_subscriber_by_smtp(smtp, task_workers, client):
    subscriber("one@example.org")
    subscriber("two@example.org")
    subscriber("never-confirmed@example.org", confirmed=False)
    draft = CommentaryFactory(status=Commentary.Status.DRAFT, title="Not for readers yet")
    piece = public_piece(title="A piece for subscribers", key_points=["The point."])
    events.reconcile(piece.pk)
    events.reconcile(draft.pk)

    task_workers.batch(**smtp.env)
    task_workers.batch(**smtp.env)  # a second run finds nothing left to do

    assert sorted(m["To"] for m in smtp.messages) == ["one@example.org", "two@example.org"]
    (message,) = smtp.to("one@example.org")
    assert message["From"] == FROM
    assert message["Subject"].startswith("A piece for subscribers")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] and message["Message-ID"]
    plain, html = parts(message)
    canonical = SITE_URL + piece.get_absolute_url()
    assert "The point." in plain and canonical in links(plain)
    assert canonical in lxml.html.fromstring(html).xpath("//a/@href")

    # The one-click URL from the header unsubscribes at once: the next piece skips them.
    url = message["List-Unsubscribe"].strip("<>").split(">")[0]
    assert client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    events.reconcile(public_piece(title="The next piece").pk)
    task_workers.batch(**smtp.env)
    assert [m["To"] for m in smtp.messages if m["Subject"].startswith("The next piece")] == [
        "two@example.org"
    ]


def test_a_worker_killed_mid_batch_and_restarted_sends_each_subscriber_exactly_one(
    smtp, task_workers
):
    readers = [f"reader{n:02}@example.org" for n in range(12)]
    for address in readers:
        subscriber(address)
    piece = public_piece(title="Sent to many")
    events.reconcile(piece.pk)

    # The SMTP server accepts five messages, then holds the sixth in the middle of its DATA
    # until the worker sending it has been killed: a crash at a known point of the batch.
    smtp.hold_after = 5
    worker = task_workers.start(**smtp.env)
    assert smtp.holding.wait(timeout=120)
    task_workers.kill(worker)  # SIGKILL, in the middle of the sixth message
    smtp.release.set()
    assert smtp.count() == 5
    assert Delivery.objects.filter(commentary=piece, sent_at__isnull=False).count() == 5

    task_workers.batch(**smtp.env)  # the restarted worker requeues the task the dead one held

    assert sorted(m["To"] for m in smtp.messages) == readers
    assert Delivery.objects.filter(commentary=piece, sent_at__isnull=False).count() == 12


def test_a_worker_killed_after_the_server_accepted_its_messages_does_not_send_them_again(
    smtp, task_workers
):
    """Each sending is recorded as soon as the server has accepted the message, within the
    SMTP session that carries the whole batch: a worker killed while the server is still
    saying goodbye (QUIT) has committed every one, and the next worker sends nothing twice."""
    readers = [f"reader{n}@example.org" for n in range(6)]
    for address in readers:
        subscriber(address)
    piece = public_piece(title="Said goodbye")
    events.reconcile(piece.pk)

    smtp.hold_quit_after = 6  # all six accepted on one connection; its QUIT is held
    worker = task_workers.start(**smtp.env)
    assert smtp.holding.wait(timeout=120)
    task_workers.kill(worker)
    smtp.release.set()
    assert smtp.count() == 6
    assert smtp.connections == 1
    assert Delivery.objects.filter(commentary=piece, sent_at__isnull=False).count() == 6

    task_workers.batch(**smtp.env)

    assert sorted(m["To"] for m in smtp.messages) == readers


def test_a_title_with_a_line_break_is_sent_with_a_one_line_subject(smtp, task_workers):
    """Django refuses a header with a line break; the alert goes all the same."""
    subscriber("reader@example.org")
    piece = public_piece(title="Two lines\nof title")
    events.reconcile(piece.pk)
    task_workers.batch(**smtp.env)
    (message,) = smtp.to("reader@example.org")
    assert message["Subject"].startswith("Two lines of title (")
    assert Delivery.objects.get(commentary=piece).sent_at is not None


def test_a_scheduled_piece_is_sent_at_its_time_and_not_before(smtp, task_workers):
    subscriber("reader@example.org")
    at = timezone.now() - dt.timedelta(minutes=5)  # past by the worker's clock, not ours
    with time_machine.travel(at - dt.timedelta(hours=1), tick=False):
        piece = CommentaryFactory(published_at=at, title="Scheduled")
        assert piece.is_scheduled
        events.reconcile_all()
    with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
        events.reconcile_all()
        assert not Delivery.objects.exists()
    with time_machine.travel(at + dt.timedelta(seconds=1), tick=False):
        events.reconcile_all()
    task_workers.batch(**smtp.env)
    assert [m["To"] for m in smtp.messages] == ["reader@example.org"]
