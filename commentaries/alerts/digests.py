"""Weekly digests: on ALERTS_DIGEST_WEEKDAY at ALERTS_DIGEST_HOUR (site time), one e-mail per
subscriber with a weekly subscription, listing the matching pieces (in the languages each
subscription asked for) that became public in the seven days before; none when there are none.

The worker's clock calls plan() on every pass; a Digest row unique per subscriber and week
makes the pass that finds a subscriber without one the only one that enqueues their digest.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from commentaries.alerts.models import Digest, Frequency, Subscriber, Subscription
from commentaries.models import Commentary

# A digest whose time passed longer ago than this (the worker was down) is left out.
LATE = timedelta(hours=24)


def due_time(now=None):
    """The latest digest time at or before now."""
    local = timezone.localtime(now or timezone.now())
    days_back = (local.weekday() - settings.ALERTS_DIGEST_WEEKDAY) % 7
    day = local.date() - timedelta(days=days_back)
    due = timezone.make_aware(datetime.combine(day, time(settings.ALERTS_DIGEST_HOUR)))
    return due if due <= local else due - timedelta(days=7)


def plan(now=None):
    """Create the week's Digest rows and their send tasks, for whoever has none yet."""
    from commentaries.alerts.tasks import send_digest

    now = now or timezone.now()
    due = due_time(now)
    if now - due > LATE:
        return 0
    weekly = Subscription.objects.filter(frequency=Frequency.WEEKLY, confirmed_at__lt=due)
    waiting = (
        Subscriber.objects.active()
        .filter(pk__in=weekly.values("subscriber"))
        .exclude(digests__week=due.date())
        .values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            rows = Digest.objects.bulk_create(
                [Digest(subscriber_id=pk, week=due.date()) for pk in waiting]
            )
            for row in rows:
                send_digest.enqueue(row.pk)
    except IntegrityError:
        return 0  # another worker's clock planned the same digests at the same moment
    return len(rows)


def window(week):
    due = timezone.make_aware(datetime.combine(week, time(settings.ALERTS_DIGEST_HOUR)))
    return due - timedelta(days=7), due


def pieces_for(row):
    """The week's public pieces that match the subscriber's weekly subscriptions, each in
    the languages it asked for."""
    start, end = window(row.week)
    match = Q()
    for target, languages in row.subscriber.subscriptions.filter(
        frequency=Frequency.WEEKLY
    ).values_list("target", "languages"):
        kind, _, pk = target.partition(":")
        match |= (
            Q(language__in=languages.split())
            & {
                "all": Q(pk__isnull=False),
                "series": Q(series_id=pk),
                "author": Q(authorships__author_id=pk),
                "topic": Q(tags__pk=pk),
            }[kind]
        )
    if not match:
        return Commentary.objects.none()
    pieces = Commentary.objects.published().filter(
        first_published_at__gte=start, first_published_at__lt=end
    )
    return (
        pieces.filter(pk__in=pieces.filter(match).values("pk"))
        .with_listing_data()
        .order_by("first_published_at")
    )
