"""Every publication event changes public pages: enqueue a ban, in the event's transaction."""

from django.conf import settings
from django.dispatch import receiver

from commentaries import events
from commentaries.frontcache.tasks import ban_public_pages


@receiver(events.became_public)
@receiver(events.corrected)
@receiver(events.withdrawn)
@receiver(events.unpublished)
def publication_event(sender, commentary, event, **kwargs):
    if settings.FRONT_CACHE_URL:
        ban_public_pages.enqueue(event.pk)
