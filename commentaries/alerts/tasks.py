"""The sending, as tasks the worker runs.

A piece that became public fans out into one Delivery row and one send task per matching
subscriber, created together in one transaction. Each send task sends and records sent_at (see
deliver()): a worker killed before the server accepted the message leaves the row unsent and
the task RUNNING, the restarted worker requeues it and the message goes once. Only a kill in
the instant between the server's acceptance and the commit of sent_at can repeat one, and
that copy carries the same Message-ID (messages.alert). Whether to send is decided at send
time, so an unsubscribe or a withdrawal stops e-mails already queued.
"""

import logging
import smtplib
from datetime import timedelta

from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone

from commentaries.alerts import digests, messages, targets
from commentaries.alerts.models import (
    Delivery,
    Digest,
    Frequency,
    SignupRequest,
    Subscriber,
    targets_of,
)
from commentaries.models import Commentary

logger = logging.getLogger(__name__)

RETRIES = 5  # an unreachable mail server is tried again after 1, 2, 4, 8 and 16 minutes


@task()
def fan_out(commentary_pk):
    """One Delivery and one send task for every subscriber following the piece."""
    try:
        return plan_alerts(commentary_pk)
    except IntegrityError:
        # Another fan-out of the piece (a quick republish) wrote some of the same rows at the
        # same moment; a fresh pass plans whoever is still missing.
        fan_out.enqueue(commentary_pk)
        return 0


def plan_alerts(commentary_pk):
    with transaction.atomic():
        commentary = Commentary.objects.published().filter(pk=commentary_pk).first()
        if commentary is None:
            return 0  # withdrawn or unpublished before its alerts were planned
        followers = (
            Subscriber.objects.active()
            .filter(
                subscriptions__target__in=targets_of(commentary),
                subscriptions__frequency=Frequency.EACH,
            )
            .exclude(deliveries__commentary=commentary)
            .distinct()
            .values_list("pk", flat=True)
        )
        rows = Delivery.objects.bulk_create(
            [Delivery(subscriber_id=pk, commentary=commentary) for pk in followers]
        )
        for row in rows:
            send_alert.enqueue(row.pk)
    return len(rows)


def reason_not_to_send(delivery):
    subscriber, commentary = delivery.subscriber, delivery.commentary
    if subscriber is None or subscriber.consented_at is None:
        return "subscriber deleted"
    if subscriber.disabled_at:
        return "address disabled"
    if not subscriber.subscriptions.filter(
        target__in=targets_of(commentary), frequency=Frequency.EACH
    ).exists():
        return "unsubscribed"
    if not Commentary.objects.published().filter(pk=commentary.pk).exists():
        return "no longer public"
    return ""


@task()
def send_alert(delivery_pk, attempt=1):
    delivery = (
        Delivery.objects.select_related("commentary__series", "subscriber")
        .filter(pk=delivery_pk, sent_at=None, skipped="")
        .first()
    )
    if delivery is None:
        return "already done"
    if reason := reason_not_to_send(delivery):
        Delivery.objects.filter(pk=delivery.pk).update(skipped=reason)
        return reason
    unsent = Delivery.objects.filter(pk=delivery.pk, sent_at=None)
    return deliver(messages.alert(delivery), unsent, send_alert, delivery_pk, attempt)


@task()
def send_digest(digest_pk, attempt=1):
    row = (
        Digest.objects.select_related("subscriber")
        .filter(pk=digest_pk, sent_at=None, skipped="")
        .first()
    )
    if row is None:
        return "already done"
    pieces = list(digests.pieces_for(row)) if row.subscriber.disabled_at is None else []
    if not pieces:
        Digest.objects.filter(pk=row.pk).update(skipped="nothing to send")
        return "nothing to send"
    unsent = Digest.objects.filter(pk=row.pk, sent_at=None)
    message = messages.digest(row, pieces)
    return deliver(message, unsent, send_digest, digest_pk, attempt, pieces=len(pieces))


@task()
def send_confirmation(request_pk, attempt=1):
    row = SignupRequest.objects.filter(pk=request_pk, mailed=True, sent_at=None).first()
    if row is None:
        return "already done"
    message = messages.confirmation(row, targets.label(row.target))
    unsent = SignupRequest.objects.filter(pk=row.pk, sent_at=None)
    return deliver(message, unsent, send_confirmation, request_pk, attempt)


def deliver(message, unsent, again, pk, attempt, **recorded):
    """Send `message` and record it sent: sent_at (and `recorded`) on `unsent`, its row while
    unsent ("sent"); when the mail server cannot be reached, schedule another try ("deferred").

    A message is sent again only if the worker dies after the server accepted it and before
    that record is committed, so the record is written as close to the acceptance as the
    database allows. Always before the session's QUIT. On PostgreSQL, before the message is
    handed over, in a transaction that commits as soon as the server has accepted it and
    rolls back if it refuses; the commit does not wait for the disk (synchronous_commit off:
    what a killed worker committed stays, and only a crash of the database server itself in
    the next fraction of a second could lose the record, and with it send one copy again).
    The row stays locked meanwhile, so two runs of one task cannot both send. On SQLite, whose
    lock would hold every other write while the server answers, the record follows the
    acceptance, and its commit waits for the disk (README, "E-mail alerts", has the figures).
    """
    try:
        with mail.get_connection() as smtp:  # QUIT once the record is written
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    if not unsent.update(sent_at=timezone.now(), **recorded):
                        return "already done"  # another run of this task got here first
                    smtp.send_messages([message])
            else:
                smtp.send_messages([message])
                unsent.update(sent_at=timezone.now(), **recorded)
        return "sent"
    except (smtplib.SMTPException, OSError):
        backend = again.get_backend()
        if attempt >= RETRIES or not backend.supports_defer:
            raise
        logger.warning("Mail server unreachable, trying %s %s again later", again.name, pk)
        run_after = timezone.now() + timedelta(minutes=2 ** (attempt - 1))
        again.using(run_after=run_after).enqueue(pk, attempt + 1)
        return "deferred"
