"""The front cache (Varnish, or a CDN with the same purge contract) told what changed.

Publication events enqueue ban_public_pages (caching.receivers), a durable task that sends a BAN
to FRONT_CACHE_URL: sent again if the worker dies, harmless twice. Without that setting nothing
is enqueued.
"""

import logging
import urllib.request

from django.conf import settings
from django.db import transaction
from django.tasks import task

logger = logging.getLogger(__name__)

# A publication changes the piece's page, its neighbours' and related pieces' pages, every
# list, feed and sitemap that may show it: nearly everything public. Static files (hashed
# names) never change, so they stay.
PUBLIC_PAGES = "^/(?!static/)"
TIMEOUT_SECONDS = 10


@task
def ban_public_pages(event_pk):
    if transaction.get_connection().in_atomic_block:
        # An immediate task runs inside the change's transaction: ban once it commits, so the
        # front cache refetches what readers see from then on, and never fail the change.
        transaction.on_commit(send_ban, robust=True)
    else:
        send_ban()  # in the worker: a failure is the task's, recorded with its traceback


def send_ban():
    request = urllib.request.Request(
        settings.FRONT_CACHE_URL, method="BAN", headers={"X-Ban-Path": PUBLIC_PAGES}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        logger.info("Front cache ban: %s %s", response.status, PUBLIC_PAGES)
