"""The front caches (Varnish nodes, or CDN purge endpoints with the same contract) told what
changed: every node of FRONT_CACHE_URLS, once per publication event, whichever is down.

A publication event enqueues ban_public_pages (caching.receivers), a durable task, run once every
web process reads the new generation. It waits until the read replica, if there is one, has
replayed the change (caching.replica), then writes a FrontCacheBan row per node and enqueues a
ban_node task for each, in one transaction. ban_node sends its node the BAN and records when
the node answered; a node that does not answer is asked again after RETRY_DELAYS, while the
others are banned once. A task run twice (a worker that died) sends a BAN twice at most, which is
harmless. Without FRONT_CACHE_URLS nothing is enqueued.
"""

import functools
import logging
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from commentaries import priorities
from commentaries.caching import replica
from commentaries.caching.models import FrontCacheBan

logger = logging.getLogger(__name__)

# A publication changes the piece's page, its neighbours' and related pieces' pages, every
# list, feed and sitemap that may show it: nearly everything public. Static files (hashed
# names) never change, so they stay.
PUBLIC_PAGES = "^/(?!static/)"
TIMEOUT_SECONDS = 10
RETRY_DELAYS = (5, 30, 120, 600, 3600)  # seconds before each further attempt


def after_commit(function):
    """Run `function` once the change's transaction commits, when the immediate backend runs
    it inside it (`make run`, tests): a failure is logged and never fails the change."""

    @functools.wraps(function)
    def run(*args):
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(functools.partial(function, *args), robust=True)
            return "after commit"
        return function(*args)

    return run


@task(priority=priorities.PUBLICATION)
@after_commit
def ban_public_pages(event_pk, attempt=1):
    if not replica.wait_for_replay(settings.REPLICA_WAIT_SECONDS):
        # Pages refetched now would be rendered from the replica without the change.
        return again(ban_public_pages, (event_pk,), attempt, "the replica is behind")
    wait = 0
    if replica.configured():
        # Web processes trust their reading of the generation for FRESHNESS_SECONDS: from then
        # on they all read the replica's new one.
        wait = 2 * settings.FRESHNESS_SECONDS
    with transaction.atomic():
        for node in settings.FRONT_CACHE_URLS:
            ban, made = FrontCacheBan.objects.get_or_create(event_id=event_pk, node=node)
            if made:
                enqueue(ban_node, (ban.pk,), timezone.now() + timedelta(seconds=wait))
    return "queued"


@task(priority=priorities.PUBLICATION)
@after_commit
def ban_node(ban_pk, attempt=1):
    ban = FrontCacheBan.objects.filter(pk=ban_pk, banned_at=None).first()
    if ban is None:
        return "already done"
    if ban.node not in settings.FRONT_CACHE_URLS:
        return "no longer a node"
    try:
        send_ban(ban.node)
    except OSError as error:  # refused, timed out, or an HTTP error status
        FrontCacheBan.objects.filter(pk=ban_pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:500]
        )
        return again(ban_node, (ban_pk,), attempt, f"{ban.node}: {error}")
    FrontCacheBan.objects.filter(pk=ban_pk, banned_at=None).update(banned_at=timezone.now())
    return "banned"


def again(task, args, attempt, reason):
    """Enqueue `task` once more after the attempt's delay; past the last, fail."""
    if attempt > len(RETRY_DELAYS) or not task.get_backend().supports_defer:
        raise RuntimeError(f"{task.name}{args}: gave up after {attempt} attempt(s): {reason}")
    logger.warning("%s%s: %s; trying again later (attempt %d)", task.name, args, reason, attempt)
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    enqueue(task, (*args, attempt + 1), run_after)
    return "deferred"


def enqueue(task, args, run_after):
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(*args)


def send_ban(node):
    request = urllib.request.Request(node, method="BAN", headers={"X-Ban-Path": PUBLIC_PAGES})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        logger.info("Front cache ban: %s %s %s", node, response.status, PUBLIC_PAGES)
