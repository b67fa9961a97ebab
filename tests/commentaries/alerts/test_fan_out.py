"""The fan-out in chunks and the sending in batches: each delivery recorded once, a fan-out
stopped half-way and run again doubles nothing, and one SMTP connection carries a batch."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from commentaries.alerts import tasks
from commentaries.alerts.models import Delivery, Subscriber, Subscription
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SITE_URL = "https://commentaries.example.org"


def subscribers(count):
    now = timezone.now()
    rows = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:04}@example.org", consented_at=now) for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=row, target="all", confirmed_at=now) for row in rows
    )


def piece():
    return CommentaryFactory(published_at=timezone.now() - dt.timedelta(minutes=1))


def planned_batches():
    return [
        row.args_kwargs["args"][0]
        for row in DBTaskResult.objects.filter(task_path__endswith=".send_alerts")
    ]


def test_the_fan_out_commits_in_chunks_and_plans_one_task_per_batch(monkeypatch):
    monkeypatch.setattr(tasks, "CHUNK", 10)
    monkeypatch.setattr(tasks, "ALERTS_PER_CONNECTION", 4)
    subscribers(25)
    commentary = piece()

    assert tasks.plan_alerts(commentary.pk) == 25

    batches = planned_batches()
    assert sorted(len(batch) for batch in batches) == [1, 2, 2, 4, 4, 4, 4, 4]  # 10, 10, 5
    planned = Counter(pk for batch in batches for pk in batch)
    assert set(planned.values()) == {1}
    assert set(planned) == set(
        Delivery.objects.filter(commentary=commentary).values_list("pk", flat=True)
    )


def test_a_fan_out_stopped_half_way_and_run_again_doubles_nothing(monkeypatch):
    monkeypatch.setattr(tasks, "CHUNK", 10)
    monkeypatch.setattr(tasks, "ALERTS_PER_CONNECTION", 4)
    subscribers(25)
    commentary = piece()
    enqueue = DatabaseBackend.enqueue
    calls = []

    def crash_in_the_second_chunk(backend, task, args, kwargs):
        calls.append(args)
        if len(calls) == 5:  # the second chunk's second task
            raise MemoryError("the worker dies here")
        return enqueue(backend, task, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "enqueue", crash_in_the_second_chunk)
    with pytest.raises(MemoryError):
        tasks.plan_alerts(commentary.pk)
    assert Delivery.objects.filter(commentary=commentary).count() == 10  # the first chunk
    assert len(planned_batches()) == 3

    monkeypatch.setattr(DatabaseBackend, "enqueue", enqueue)
    assert tasks.plan_alerts(commentary.pk) == 15
    assert tasks.plan_alerts(commentary.pk) == 0

    planned = Counter(pk for batch in planned_batches() for pk in batch)
    assert len(planned) == 25 and set(planned.values()) == {1}
    assert Delivery.objects.filter(commentary=commentary).count() == 25


def test_a_batch_goes_over_one_smtp_connection_and_each_delivery_once(mail_to_smtp, monkeypatch):
    monkeypatch.setattr(tasks, "ALERTS_PER_CONNECTION", 50)
    subscribers(120)
    commentary = piece()
    tasks.plan_alerts(commentary.pk)

    batches = planned_batches()
    for batch in batches:
        tasks.send_alerts.call(batch)
    tasks.send_alerts.call(batches[0])  # a batch run again sends nothing again

    smtp = mail_to_smtp
    assert smtp.connections == 3
    assert smtp.count() == 120
    assert len({message["To"] for message in smtp.messages}) == 120
    assert Delivery.objects.filter(commentary=commentary, sent_at=None).count() == 0
