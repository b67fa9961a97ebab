"""Who gets an alert, and how often: in-process tasks, e-mail in Django's outbox."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from commentaries.alerts import tasks
from commentaries.alerts.models import Delivery, Frequency
from commentaries.models import Commentary
from commentaries.publishing import events, services
from tests.commentaries.alerts.helpers import subscriber
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://commentaries.example.org"


def publish(**kwargs):
    piece = CommentaryFactory(published_at=timezone.now() - dt.timedelta(minutes=1), **kwargs)
    events.reconcile(piece.pk)
    return piece


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_each_matching_subscriber_gets_one_alert(seed):
    author, other_author = AuthorFactory(), AuthorFactory()
    other_series = SeriesFactory()
    subscriber("all@example.org")
    subscriber("author@example.org", target=f"author:{author.pk}")
    subscriber("series@example.org", target=f"series:{seed.series_id}")
    subscriber("other-author@example.org", target=f"author:{other_author.pk}")
    subscriber("other-series@example.org", target=f"series:{other_series.pk}")
    subscriber("weekly@example.org", frequency=Frequency.WEEKLY)
    subscriber("unconfirmed@example.org", confirmed=False)

    piece = publish(authors=[author], topics=["Maritime security"])

    assert recipients() == ["all@example.org", "author@example.org", "series@example.org"]
    assert Delivery.objects.filter(commentary=piece, sent_at__isnull=False).count() == 3


def test_a_topic_subscriber_gets_pieces_on_the_topic(seed):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, topics=["Maritime security"])
    subscriber("topic@example.org", target=f"topic:{piece.tags.get().pk}")
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    assert recipients() == ["topic@example.org"]


@pytest.mark.parametrize(
    "status", [Commentary.Status.DRAFT, Commentary.Status.IN_REVIEW, Commentary.Status.WITHDRAWN]
)
def test_pieces_that_are_not_public_send_nothing(seed, status):
    subscriber("all@example.org")
    piece = CommentaryFactory(status=status)
    events.reconcile(piece.pk)
    events.reconcile_all()
    assert mail.outbox == []
    assert not Delivery.objects.filter(commentary=piece).exists()


def test_second_saves_unpublishing_republishing_and_corrections_send_nothing_more(seed):
    subscriber("all@example.org")
    piece = publish()
    assert len(mail.outbox) == 1

    piece.title = "A new title"
    piece.save()
    events.reconcile(piece.pk)
    services.commentary_correct(commentary=piece, by=None, note="A figure was wrong.")
    events.reconcile(piece.pk)
    piece.status = Commentary.Status.DRAFT
    piece.save()
    events.reconcile(piece.pk)
    services.commentary_publish(commentary=piece, by=None)
    events.reconcile(piece.pk)
    events.reconcile_all()

    assert piece.events.count() == 4  # public, corrected, unpublished, public again
    assert len(mail.outbox) == 1


def test_a_task_run_again_sends_nothing_again(seed):
    subscriber("all@example.org")
    piece = publish()
    delivery = Delivery.objects.get(commentary=piece)
    tasks.fan_out.call(piece.pk)
    tasks.send_alert.call(delivery.pk)
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(commentary=piece).count() == 1


def queued(settings, piece):
    """The piece's alerts planned but not yet sent, as when the worker is behind."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    tasks.fan_out.call(piece.pk)
    return Delivery.objects.get(commentary=piece, sent_at=None)


def test_a_piece_withdrawn_before_its_alerts_went_out_sends_no_more(seed, settings):
    subscriber("all@example.org")
    piece = CommentaryFactory()  # public, but no event recorded yet: nothing sent
    delivery = queued(settings, piece)
    services.commentary_withdraw(commentary=piece, by=None, reason="Withdrawn.")
    tasks.send_alert.call(delivery.pk)
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.sent_at, delivery.skipped) == (None, "no longer public")


def test_unsubscribing_stops_alerts_already_queued(seed, settings):
    reader = subscriber("all@example.org")
    delivery = queued(settings, CommentaryFactory())
    reader.subscriptions.all().delete()
    tasks.send_alert.call(delivery.pk)
    assert mail.outbox == []


def test_a_disabled_address_gets_nothing(seed):
    reader = subscriber("bounced@example.org")
    reader.disabled_at = timezone.now()
    reader.save()
    publish()
    assert mail.outbox == []


def test_a_scheduled_piece_is_sent_at_its_time_and_not_before(seed):
    subscriber("all@example.org")
    at = timezone.now() + dt.timedelta(hours=2)
    with time_machine.travel(at - dt.timedelta(hours=2), tick=False):
        piece = CommentaryFactory(published_at=at)
        events.reconcile(piece.pk)
    with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
        events.reconcile_all()
        assert mail.outbox == []
    with time_machine.travel(at + dt.timedelta(seconds=30), tick=False):
        events.reconcile_all()
        assert recipients() == ["all@example.org"]
        events.reconcile_all()
    assert len(mail.outbox) == 1
