import email
import email.policy
import re

from django.utils import timezone

from commentaries.alerts.models import Frequency, Subscriber, Subscription


def subscriber(address, target="all", frequency=Frequency.EACH, confirmed=True, languages="en"):
    """A subscriber as confirming leaves one (or, unconfirmed, as no confirmation would)."""
    now = timezone.now()
    row = Subscriber.objects.create(email=address, consented_at=now if confirmed else None)
    if confirmed:
        Subscription.objects.create(
            subscriber=row,
            target=target,
            frequency=frequency,
            languages=languages,
            confirmed_at=now,
        )
    return row


def parsed(django_message):
    """A sent Django message as a receiver sees it, parsed by the email package."""
    return email.message_from_bytes(
        django_message.message().as_bytes(), policy=email.policy.default
    )


def links(text):
    return [u.rstrip(".,;>") for u in re.findall(r"https?://[^\s<>\"']+", text)]
