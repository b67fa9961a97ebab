"""The claim: highest priority first, whatever is queued before it; expired leases put back."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commentaries import priorities
from commentaries.alerts import tasks as alerts
from commentaries.publishing import tasks as publishing
from workers.models import TaskLease
from workers.runner import claim, requeue_expired

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_confirmation_queued_behind_an_alert_blast_is_claimed_first():
    for n in range(1000):
        alerts.send_alerts.enqueue([n])
    publication = publishing.record_events.enqueue(1)
    confirmation = alerts.send_confirmation.enqueue(1)

    assert str(claim("worker-1").pk) == confirmation.id
    assert str(claim("worker-1").pk) == publication.id
    alert = claim("worker-2")
    assert alert.task_path.endswith(".send_alerts") and alert.priority == priorities.ALERT
    assert alert.args_kwargs["args"] == [[0]]  # the oldest of its priority
    assert TaskLease.objects.filter(worker="worker-1").count() == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 999


def test_the_priorities_stand_in_order():
    assert priorities.CONFIRMATION > priorities.PUBLICATION > priorities.DEFAULT > priorities.ALERT


def test_only_expired_leases_are_taken_back():
    expired = alerts.send_confirmation.enqueue(1)
    held = alerts.send_confirmation.enqueue(2)
    for _ in range(2):
        claim("worker")
    TaskLease.objects.filter(task_id=expired.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert requeue_expired() == 1
    assert DBTaskResult.objects.get(pk=expired.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=held.id).status == TaskResultStatus.RUNNING
    assert list(TaskLease.objects.values_list("task_id", flat=True)) == [
        DBTaskResult.objects.get(pk=held.id).pk
    ]
