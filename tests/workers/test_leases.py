"""Leases, with real `manage.py worker` processes: a task whose worker died comes back to
another worker; a live worker's task stays with it, however long it runs."""

import time
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.workers.tasks import hold
from workers.models import TaskLease

pytestmark = pytest.mark.usefixtures("task_workers")


def until(condition, timeout=60, what="the condition"):
    """Poll `condition` until it holds (its value), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def runs(folder):
    path = Path(folder) / "runs"
    return path.read_text().split() if path.exists() else []


def test_a_task_whose_worker_died_is_run_by_another_worker(task_workers, tmp_path):
    result = hold.enqueue(str(tmp_path))
    first = task_workers.start()
    until(lambda: len(runs(tmp_path)) == 1, what="the first worker to start the task")
    lease = TaskLease.objects.get(task_id=result.id)

    task_workers.kill(first)  # SIGKILL: no chance to give the task back
    (tmp_path / "release").touch()  # whoever runs it next finishes it
    task_workers.start()

    until(
        lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
        what="another worker to run the task",
    )
    assert len(runs(tmp_path)) == 2 and runs(tmp_path)[0] == str(first.pid)
    row = DBTaskResult.objects.get(pk=result.id)
    assert len(row.worker_ids) == 2 and row.worker_ids[0] == lease.worker
    assert not TaskLease.objects.exists()


def test_a_live_workers_task_is_not_taken_from_it(task_workers, tmp_path, settings):
    result = hold.enqueue(str(tmp_path))
    task_workers.start()
    until(lambda: runs(tmp_path), what="a worker to start the task")
    task_workers.start()  # a second worker, whose heartbeat looks for expired leases

    # Renewed three times: well over one lease's length since the claim, long enough for the
    # lease to have expired and the second worker to have taken the task, were it not renewed.
    first = TaskLease.objects.get(task_id=result.id)
    seen = [first.expires_at]

    def renewed_three_times():
        lease = TaskLease.objects.filter(task_id=result.id).first()
        assert lease is not None and lease.worker == first.worker
        if lease.expires_at > seen[-1]:
            seen.append(lease.expires_at)
        return len(seen) > 3

    until(renewed_three_times, what="three renewals of the lease")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert len(runs(tmp_path)) == 1

    (tmp_path / "release").touch()
    until(
        lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
        what="the task to finish",
    )
    assert len(runs(tmp_path)) == 1
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 1
