"""The publishing room's durable tasks: recording a step's publication events, and the review
loop's e-mails. A ReviewNote row is the message: its notified_at, set under the row's lock once
the mail server took the message, keeps a retried task from sending it twice."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commentaries import priorities
from commentaries.addresses import absolute
from commentaries.publishing import events
from commentaries.publishing.models import ReviewNote


@task(priority=priorities.PUBLICATION)
def record_events(commentary_pk):
    """What a step's new state calls for, recorded once (events.record() is idempotent)."""
    return len(events.reconcile(commentary_pk))


def editors():
    """Active staff who publish: the Editors group, and superusers."""
    User = get_user_model()
    publishes = Q(groups__permissions__codename="publish_commentary") | Q(is_superuser=True)
    return (
        User.objects.filter(publishes, is_active=True, is_staff=True).exclude(email="").distinct()
    )


def recipients(note):
    if note.kind == ReviewNote.Kind.SUBMITTED:
        return sorted({user.email for user in editors() if user.pk != note.made_by_id})
    author = note.commentary.created_by
    return [author.email] if author and author.email and author.is_active else []


@task(priority=priorities.CONFIRMATION)
def send_review_note(note_pk):
    with transaction.atomic():
        note = (
            ReviewNote.objects.select_for_update(of=("self",))
            .select_related("commentary__series", "commentary__created_by", "made_by")
            .filter(pk=note_pk, notified_at=None)
            .first()
        )
        if note is None:
            return "already sent"
        to = recipients(note)
        if to:
            piece = note.commentary
            context = {
                "note": note,
                "piece": piece,
                "who": (note.made_by.get_full_name() or note.made_by.get_username())
                if note.made_by
                else "The site",
                "change_url": absolute(
                    reverse("admin:commentaries_commentary_change", args=[piece.pk])
                ),
            }
            subject = render_to_string(f"publishing/email/{note.kind}_subject.txt", context)
            body = render_to_string(f"publishing/email/{note.kind}.txt", context)
            send_mail(" ".join(subject.split()), body, settings.EMAIL_FROM, to)
        note.notified_at = timezone.now()
        note.save(update_fields=["notified_at"])
    return f"sent to {len(to)}"
