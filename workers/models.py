from django.db import models
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    """A running task's lease: which worker runs it, and until when that worker is known to
    live. The worker renews it from its heartbeat; once `expires_at` passes (by the database's
    clock, the same for every host), any worker puts the task back in the queue."""

    task = models.OneToOneField(
        DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="lease"
    )
    worker = models.CharField(max_length=64, db_index=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.task_id} held by {self.worker} until {self.expires_at}"
