"""WebSub: tell the hub (settings.WEBSUB_HUB_URL) which feeds changed, so readers fetch them at once.

A piece becoming public, a major correction, a withdrawal or an unpublishing each enqueue one
durable `ping_hub` task for the feeds that show (or showed) the piece (receivers.py). A hub that does not answer is asked again later by
a new task, after RETRY_DELAYS; the tasks live in the database, so a restart of the web
process or the worker loses none. Without WEBSUB_HUB_URL nothing is enqueued.
"""

import logging
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation

from commentaries import priorities
from commentaries.publishing.models import PublicationEvent
from commentaries.syndication.feeds import feeds_of

logger = logging.getLogger(__name__)

RETRY_DELAYS = (5, 30, 120, 600, 3600)  # seconds before each further attempt
TIMEOUT = 10


def topics_of(commentary):
    """The addresses of every feed that shows `commentary`: the site's, its series', its
    authors' and its topics', in each format, in the piece's language (its feeds' addresses)."""
    scopes = [None, commentary.series, *commentary.authors.all(), *commentary.ordered_topics]
    with translation.override(commentary.language):
        topics = [feed.feed_url(scope) for scope in scopes for feed in feeds_of(scope)]
    return list(dict.fromkeys(topics))


@task(priority=priorities.PUBLICATION)
def ping_hub(event_pk, topics=None, attempt=1):
    """POST hub.mode=publish for each topic; those the hub did not take are retried later."""
    hub_url = settings.WEBSUB_HUB_URL
    if not hub_url:
        return
    if topics is None:
        event = PublicationEvent.objects.select_related("commentary__series").get(pk=event_pk)
        topics = topics_of(event.commentary)
    pending = [topic for topic in topics if not publish(hub_url, topic, attempt)]
    if not pending:
        return
    if attempt > len(RETRY_DELAYS) or not ping_hub.get_backend().supports_defer:
        logger.error(
            "WebSub hub %s did not take %s; gave up after %d attempts", hub_url, pending, attempt
        )
        return
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    ping_hub.using(run_after=run_after).enqueue(event_pk, pending, attempt + 1)


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
