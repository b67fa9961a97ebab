"""Every publication event changes public pages: enqueue a ban, in the event's transaction."""

from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from commentaries.frontcache.tasks import ban_public_pages
from commentaries.publishing import events


@receiver(events.became_public)
@receiver(events.corrected)
@receiver(events.withdrawn)
@receiver(events.unpublished)
def publication_event(sender, commentary, event, **kwargs):
    if not settings.FRONT_CACHE_URL:
        return
    task = ban_public_pages
    if task.get_backend().supports_defer:
        # After every web process has read the new generation (config.freshness), so that the
        # front cache refetches the new pages, not a stale one to keep for s-maxage.
        later = timezone.now() + timedelta(seconds=2 * settings.FRESHNESS_SECONDS)
        task = task.using(run_after=later)
    task.enqueue(event.pk)
