"""Receivers of the publication events and the worker's clock: they only enqueue."""

from django.dispatch import receiver

from commentaries.publishing import events


@receiver(events.became_public, dispatch_uid="alerts.announce")
def announce(sender, commentary, event, **kwargs):
    from commentaries.alerts.tasks import fan_out

    fan_out.enqueue(commentary.pk)


@receiver(events.clock, dispatch_uid="alerts.clock")
def clock(sender, **kwargs):
    from commentaries.alerts import digests
    from commentaries.alerts.models import SignupRequest

    digests.plan()
    SignupRequest.objects.delete_expired()
