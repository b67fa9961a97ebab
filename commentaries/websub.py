"""WebSub: tell the hub (settings.WEBSUB_HUB_URL) which feeds changed, so readers fetch them at once.

notify_hub(commentary) is the hook for publishing a piece and for a major correction. A piece
scheduled for later has no save at its time to hook, so the first feed request after its time
announces it (announce_newly_public). Without WEBSUB_HUB_URL both do nothing.
"""

import logging
import threading
import time
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from commentaries.feeds import feeds_of
from commentaries.models import Commentary

logger = logging.getLogger(__name__)

RETRY_DELAYS = (5, 30, 120)  # seconds to wait before each further attempt
TIMEOUT = 10
# The latest publication time already announced (or known when the cache was last empty).
ANNOUNCED_UP_TO = "websub:announced-up-to"


def notify_hub(commentary):
    """Once the transaction commits, ping the hub for every feed that shows `commentary`."""
    if settings.WEBSUB_HUB_URL:
        transaction.on_commit(lambda: announce([commentary]))


def announce_newly_public(latest):
    """Announce pieces that became public by the clock since the last feed request looked.

    `latest` is the newest publication time now public. A piece published by saving it is
    left to notify_hub; here go those whose time came after their last save.
    """
    if not settings.WEBSUB_HUB_URL or latest is None:
        return
    announced = cache.get(ANNOUNCED_UP_TO)
    if announced is not None and latest <= announced:
        return
    cache.set(ANNOUNCED_UP_TO, latest, timeout=None)
    if announced is not None:
        scheduled = (
            Commentary.objects.published()
            .filter(published_at__gt=announced)
            .filter(published_at__gt=F("updated_at"))
            .select_related("series")
        )
        announce(scheduled)


def announce(commentaries):
    """Ping the hub, off the request thread, for the feeds of the pieces that are public."""
    topics = []
    for commentary in commentaries:
        if commentary.is_published():  # a scheduled piece is announced when its time comes
            for obj in (
                None,
                commentary.series,
                *commentary.authors.all(),
                *commentary.tags.all(),
            ):
                topics += [feed.feed_url(obj) for feed in feeds_of(obj)]
    if topics:
        hub_url = settings.WEBSUB_HUB_URL
        topics = list(dict.fromkeys(topics))
        threading.Thread(target=ping, args=(hub_url, topics), daemon=True).start()


def ping(hub_url, topics):
    """POST hub.mode=publish for each topic; retry those the hub did not take, with backoff."""
    pending = topics
    for attempt, delay in enumerate((0, *RETRY_DELAYS), 1):
        time.sleep(delay)
        pending = [topic for topic in pending if not publish(hub_url, topic, attempt)]
        if not pending:
            return
    logger.error(
        "WebSub hub %s did not take %s; gave up after %d attempts", hub_url, pending, attempt
    )


def publish(hub_url, topic, attempt):
    data = urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
    request = urllib.request.Request(hub_url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT):
            pass
    except OSError as error:  # refused, timed out, or an HTTP error status
        logger.warning(
            "WebSub hub %s: %s not taken (attempt %d): %s", hub_url, topic, attempt, error
        )
        return False
    logger.info("WebSub hub %s told that %s changed", hub_url, topic)
    return True
