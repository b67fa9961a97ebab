"""What syndication does on publication events: tell the WebSub hub which feeds changed."""

from django.conf import settings
from django.dispatch import receiver

from commentaries.publishing import events
from commentaries.syndication.websub import ping_hub


@receiver(events.became_public)
@receiver(events.corrected)
@receiver(events.withdrawn)
@receiver(events.unpublished)
def announce(sender, commentary, event, **kwargs):
    if settings.WEBSUB_HUB_URL:
        ping_hub.enqueue(event.pk)
