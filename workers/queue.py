"""The queue as a load balancer or a monitor sees it: how many tasks are ready, and how long
the oldest has waited. Read from django-tasks-db's partial index of ready tasks."""

from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


def backlog():
    """{"ready": tasks ready to run, "oldest_wait": seconds the longest-waiting one has
    waited, 0 when none}. A deferred task (a retry) waits from its run_after, not from when
    it was queued."""
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    found = DBTaskResult.objects.ready().aggregate(ready=Count("pk"), since=Min(waiting_since))
    wait = (timezone.now() - found["since"]).total_seconds() if found["since"] else 0.0
    return {"ready": found["ready"], "oldest_wait": round(max(wait, 0.0), 1)}
