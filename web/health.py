"""/healthz for load balancers and uptime checks: 200 while the database answers and the
task queue keeps up, else 503.

The queue's backlog is reported (tasks ready, and how long the oldest has waited); a task
ready for longer than HEALTHZ_TASK_WAIT_SECONDS means the workers are gone or overwhelmed,
which a monitor must hear of. The cache is reported but never fails the check: the site serves
without it.

`/healthz?web` is one web host's own health, what a load balancer or Varnish probes each web
host with: the backlog is reported but does not fail it, since no web host can clear it, and
a late queue would otherwise take every web host out of the front at once.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from workers import queue

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return False


def cache_answers():
    cache.set("healthz", "ok", 10)
    return cache.get("healthz") == "ok"


@never_cache
def healthz(request):
    database = database_answers()
    report = {
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_answers() else "unavailable",
    }
    healthy = database
    if database:
        tasks = queue.backlog()
        late = tasks["oldest_wait"] > settings.HEALTHZ_TASK_WAIT_SECONDS
        report["tasks"] = tasks | {"status": "late" if late else "ok"}
        healthy = not late or "web" in request.GET
    return JsonResponse(report, status=200 if healthy else 503)
