import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from commentaries.alerts.tasks import send_confirmation

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "tasks": {"ready": 0, "oldest_wait": 0, "status": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTHZ_TASK_WAIT_SECONDS = 600


def test_healthz_reports_the_task_backlog(client, database_queue):
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=60)):
        send_confirmation.enqueue(1)
    send_confirmation.enqueue(2)
    send_confirmation.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue(3)

    response = client.get("/healthz")

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert (tasks["ready"], tasks["status"]) == (2, "ok")
    assert 60 <= tasks["oldest_wait"] < 600


def test_healthz_answers_503_when_a_task_has_waited_too_long(client, database_queue):
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=601)):
        send_confirmation.enqueue(1)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"]["status"] == "late"
    assert response.json()["database"] == "ok"


def test_a_web_hosts_probe_is_not_failed_by_the_backlog(client, database_queue):
    """/healthz?web: what Varnish probes each web host with; a late queue is no web host's."""
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=601)):
        send_confirmation.enqueue(1)
    response = client.get("/healthz?web")
    assert response.status_code == 200
    assert response.json()["tasks"]["status"] == "late"


def test_a_web_hosts_probe_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert client.get("/healthz?web").status_code == 503
