"""Receivers of the publication events: they only enqueue (commentaries.publishing.events)."""


def announce(sender, commentary, event, **kwargs):
    from commentaries.alerts.tasks import fan_out

    fan_out.enqueue(commentary.pk)


def clock(sender, **kwargs):
    from commentaries.alerts import digests

    digests.plan()
