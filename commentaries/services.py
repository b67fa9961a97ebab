"""Editorial actions that touch more than one row: publishing, withdrawing, correcting."""

from django.core import signing
from django.db import transaction

from commentaries import websub
from commentaries.models import Commentary, Correction

PREVIEW_SALT = "commentaries.preview"


def can_publish(user):
    return user.has_perm("commentaries.publish_commentary")


def can_edit(user, commentary):
    """Editors edit anything; contributors only their own pieces, and only before publication."""
    if not user.has_perm("commentaries.change_commentary"):
        return False
    if can_publish(user):
        return True
    return commentary.created_by_id == user.pk and commentary.status in (
        Commentary.Status.DRAFT,
        Commentary.Status.IN_REVIEW,
    )


def can_preview(user, commentary):
    """Who may read an unpublished piece at its own address."""
    return user.is_staff and (
        can_publish(user)
        or (user.has_perm("commentaries.view_commentary") and commentary.created_by_id == user.pk)
    )


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
    websub.notify_hub(commentary)


@transaction.atomic
def commentary_withdraw(*, commentary, by, reason):
    commentary.status = Commentary.Status.WITHDRAWN
    commentary.withdrawal_reason = reason
    commentary.updated_by = by
    commentary.save()


@transaction.atomic
def commentary_correct(*, commentary, by, note):
    """Record a major correction: readers see the note and subscribers the new modified date."""
    correction = Correction.objects.create(commentary=commentary, note=note, made_by=by)
    commentary.modified_at = correction.made_at
    commentary.save(update_fields=["modified_at"])
    websub.notify_hub(commentary)
    return correction


def preview_token(commentary):
    """A signed token for a preview link that needs no login."""
    return signing.dumps(commentary.pk, salt=PREVIEW_SALT)


def commentary_from_preview_token(token, *, max_age):
    """The commentary a preview token names; raises signing.BadSignature when it is bad or old."""
    pk = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    return Commentary.objects.with_listing_data().get(pk=pk)
