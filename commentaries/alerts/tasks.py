"""The sending, as tasks the worker runs.

A piece that became public fans out into one Delivery row per matching subscriber (following
one of its targets in its language: each edition is a piece of its own) and one send_alerts
task per ALERTS_PER_CONNECTION of them, committed CHUNK subscribers at a time (rows and tasks
together), reading the subscribers page by page: the fan-out's memory does not grow
with the list, and a fan-out stopped half-way and run again plans only whoever has no row yet.
Each send_alerts task sends its messages over one SMTP connection and records each one's
sent_at (record_sent()): a worker killed before the server accepted a message leaves its row
unsent and the task RUNNING under a lease that expires, and the message goes once when another
worker runs the task again. Only a kill in the instant between the server's acceptance and the
commit of sent_at can repeat one, and that copy carries the same Message-ID (messages.alert).
Whether to send is decided at send time, so an unsubscribe, a language dropped or a
withdrawal stops e-mails already queued. Confirmations go first and alerts last
(commentaries.priorities).
"""

import logging
import smtplib
from datetime import timedelta

from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone, translation

from commentaries import priorities
from commentaries.alerts import digests, messages, targets
from commentaries.alerts.models import (
    Delivery,
    Digest,
    Frequency,
    SignupRequest,
    Subscriber,
    Subscription,
    targets_of,
    wanting,
)
from commentaries.models import Commentary

logger = logging.getLogger(__name__)

RETRIES = 5  # an unreachable mail server is tried again after 1, 2, 4, 8 and 16 minutes
CHUNK = 1000  # subscribers whose deliveries and tasks one transaction of the fan-out commits
ALERTS_PER_CONNECTION = 100  # messages one send_alerts task sends over one SMTP connection


@task(priority=priorities.ALERT)
def fan_out(commentary_pk):
    """One Delivery for every subscriber following the piece, and their send tasks."""
    return plan_alerts(commentary_pk)


def plan_alerts(commentary_pk):
    commentary = Commentary.objects.published().filter(pk=commentary_pk).first()
    if commentary is None:
        return 0  # withdrawn or unpublished before its alerts were planned
    following = Subscription.objects.filter(
        wanting(commentary.language),
        subscriber=OuterRef("pk"),
        target__in=targets_of(commentary),
        frequency=Frequency.EACH,
    )
    waiting = (
        Subscriber.objects.active()
        .filter(Exists(following))
        .exclude(Exists(Delivery.objects.filter(subscriber=OuterRef("pk"), commentary=commentary)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    planned = after = 0
    while True:
        try:
            with transaction.atomic():
                page = list(waiting.filter(pk__gt=after)[:CHUNK])
                if not page:
                    return planned
                rows = Delivery.objects.bulk_create(
                    [Delivery(subscriber_id=pk, commentary=commentary) for pk in page]
                )
                for start in range(0, len(rows), ALERTS_PER_CONNECTION):
                    batch = rows[start : start + ALERTS_PER_CONNECTION]
                    send_alerts.enqueue([row.pk for row in batch])
        except IntegrityError:
            # Another fan-out of the piece (a quick republish) wrote some of the same rows at
            # the same moment: this page again, without them.
            continue
        planned += len(rows)
        after = page[-1]


def reasons_not_to_send(rows):
    """{delivery pk: why it must not go} for those of `rows` that must not, decided now."""
    reasons = {}
    pieces = {row.commentary_id: row.commentary for row in rows}
    public = set(Commentary.objects.published().filter(pk__in=pieces).values_list("pk", flat=True))
    following = set()
    for commentary in pieces.values():
        following |= {
            (subscriber, commentary.pk)
            for subscriber in Subscription.objects.filter(
                wanting(commentary.language),
                subscriber__in=[row.subscriber_id for row in rows if row.subscriber_id],
                target__in=targets_of(commentary),
                frequency=Frequency.EACH,
            ).values_list("subscriber_id", flat=True)
        }
    for row in rows:
        subscriber = row.subscriber
        if subscriber is None or subscriber.consented_at is None:
            reasons[row.pk] = "subscriber deleted"
        elif subscriber.disabled_at:
            reasons[row.pk] = "address disabled"
        elif (subscriber.pk, row.commentary_id) not in following:
            reasons[row.pk] = "unsubscribed"
        elif row.commentary_id not in public:
            reasons[row.pk] = "no longer public"
    return reasons


def unsent_deliveries(delivery_pks):
    return Delivery.objects.filter(pk__in=delivery_pks, sent_at=None, skipped="")


@task(priority=priorities.ALERT)
def send_alerts(delivery_pks, attempt=1):
    """Send these deliveries' alerts over one SMTP connection, each recorded on its row."""
    rows = list(
        unsent_deliveries(delivery_pks)
        .select_related("commentary__series", "subscriber")
        .order_by("pk")
    )
    if not rows:
        return "already done"
    reasons = reasons_not_to_send(rows)
    for reason in set(reasons.values()):
        Delivery.objects.filter(
            pk__in=[pk for pk, why in reasons.items() if why == reason]
        ).update(skipped=reason)
    to_send = [row for row in rows if row.pk not in reasons]
    if not to_send:
        return "nothing to send"
    # What every alert of a piece shares (the piece with its authors, key points and topics;
    # the message rendered), fetched and built once for the batch, not once a message.
    pieces = {
        piece.pk: (piece, messages.piece_alert(piece))
        for piece in Commentary.objects.with_listing_data().filter(
            pk__in={row.commentary_id for row in to_send}
        )
    }
    sent = refused = 0
    try:
        with mail.get_connection() as smtp:
            for row in to_send:
                row.commentary, rendered = pieces[row.commentary_id]
                message = messages.alert(row, rendered)
                unsent = Delivery.objects.filter(pk=row.pk, sent_at=None)
                try:
                    sent += record_sent(smtp, message, unsent)
                except smtplib.SMTPRecipientsRefused:
                    refused += 1  # this address only; the others go on this connection
        if refused:
            raise smtplib.SMTPRecipientsRefused({})
    except (smtplib.SMTPException, OSError):
        left = list(unsent_deliveries(delivery_pks).values_list("pk", flat=True))
        if left:  # else the server failed after the last message (its QUIT): all went
            return retry(send_alerts, left, attempt)
    return f"sent {sent}"


@task(priority=priorities.ALERT)
def send_alert(delivery_pk, attempt=1):
    """One alert: tasks queued before alerts were sent in batches."""
    return send_alerts.call([delivery_pk], attempt)


@task(priority=priorities.ALERT)
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


@task(priority=priorities.CONFIRMATION)
def send_confirmation(request_pk, attempt=1):
    row = SignupRequest.objects.filter(pk=request_pk, mailed=True, sent_at=None).first()
    if row is None:
        return "already done"
    with translation.override(row.language):  # the language of the page they asked on
        message = messages.confirmation(row, targets.label(row.target))
    unsent = SignupRequest.objects.filter(pk=row.pk, sent_at=None)
    return deliver(message, unsent, send_confirmation, request_pk, attempt)


def deliver(message, unsent, again, pk, attempt, **recorded):
    """Send `message` over a connection of its own and record it sent on `unsent`, its row
    while unsent ("sent", or "already done"); when the mail server cannot be reached, schedule
    another try ("deferred")."""
    try:
        with mail.get_connection() as smtp:  # QUIT once the record is written
            return "sent" if record_sent(smtp, message, unsent, **recorded) else "already done"
    except (smtplib.SMTPException, OSError):
        return retry(again, pk, attempt)


def record_sent(smtp, message, unsent, **recorded):
    """Send `message` on the open connection `smtp` and record it: sent_at (and `recorded`)
    on `unsent`, its row while unsent. 1 if sent, 0 if another run of the task had sent it.

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
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            if not unsent.update(sent_at=timezone.now(), **recorded):
                return 0  # another run of this task got here first
            smtp.send_messages([message])
        return 1
    smtp.send_messages([message])
    return unsent.update(sent_at=timezone.now(), **recorded)


def retry(again, pk, attempt):
    """Run `again` with `pk` later (the mail server did not answer, or refused for now).
    Called while handling the error, which it raises again once the tries are spent."""
    backend = again.get_backend()
    if attempt >= RETRIES or not backend.supports_defer:
        raise
    logger.warning("Mail server unreachable, trying %s %s again later", again.name, pk)
    run_after = timezone.now() + timedelta(minutes=2 ** (attempt - 1))
    again.using(run_after=run_after).enqueue(pk, attempt + 1)
    return "deferred"
