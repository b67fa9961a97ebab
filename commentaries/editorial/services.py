"""Editorial actions that touch more than one row: publishing, withdrawing, correcting.

Each records what the piece's new state calls for as publication events once the transaction
commits (commentaries.events); whatever reacts to them (WebSub, e-mail alerts, ...) subscribes
there, so editorial never needs to know who listens.
"""

from django.db import transaction

from commentaries import events
from commentaries.models import Commentary, Correction


def next_free_number(series):
    """The number the next commentary in `series` should get."""
    numbers = Commentary.objects.filter(series=series).values_list("number", flat=True)
    return max(numbers, default=0) + 1


@transaction.atomic
def commentary_publish(*, commentary, by):
    """Publish now, or at its publication time if that is in the future (scheduled)."""
    commentary.status = Commentary.Status.PUBLISHED
    commentary.withdrawal_reason = ""
    commentary.updated_by = by
    commentary.save()
    events.reconcile_on_commit(commentary.pk)


@transaction.atomic
def commentary_withdraw(*, commentary, by, reason):
    commentary.status = Commentary.Status.WITHDRAWN
    commentary.withdrawal_reason = reason
    commentary.updated_by = by
    commentary.save()
    events.reconcile_on_commit(commentary.pk)


@transaction.atomic
def commentary_correct(*, commentary, by, note):
    """Record a major correction: readers see the note and subscribers the new modified date."""
    correction = Correction.objects.create(commentary=commentary, note=note, made_by=by)
    commentary.modified_at = correction.made_at
    commentary.save(update_fields=["modified_at"])
    events.reconcile_on_commit(commentary.pk)
    return correction
