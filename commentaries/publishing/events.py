"""Publication events: the moments other parts of the site react to.

- became_public: a release of a piece is public (published now, or its scheduled time came);
- corrected: a public piece got a major correction;
- withdrawn / unpublished: a release that had been public left (withdrawn with a reason, or
  set back to draft or review);
- loaded: pieces a load brought in public, recorded as announced long ago (mark_announced()).

Each is derived from the pieces' state, never from who changed it, and recorded once as a
PublicationEvent row (unique per piece, kind and version). The signal is sent inside the
transaction that writes the row, with `commentary` and `event`; a receiver enqueues durable
tasks there (django.tasks with the database backend), so the event and the work it sets off
commit together or not at all. Receivers must not do the work themselves: a receiver that
raises rolls the event back, and it is recorded again on the next pass.

The publishing services queue `reconcile(pk)` as a durable task in their transaction (tasks.py),
so a step and the recording of its events commit together; the worker's clock
calls `reconcile_all()` every EVENT_CLOCK_SECONDS, which announces scheduled pieces whose time
came and catches up on anything a crash left out. Each concern registers its receivers in its
receivers.py, which its AppConfig.ready() imports; this module imports none of them.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.utils import timezone

from commentaries.models import OAI_DATESTAMP, Commentary, Correction
from commentaries.publishing.models import PublicationEvent

logger = logging.getLogger(__name__)

became_public = Signal()
corrected = Signal()
withdrawn = Signal()
unpublished = Signal()
# Sent by a load (a backup restored, a generated archive) with `pks`: the public pieces whose
# public or corrected events it recorded as already announced (mark_announced()). Their readers
# were told when they were first published, so nothing tells them again; work that belongs to
# the piece itself (its PDF edition) subscribes to this. Sent in the load's transaction.
loaded = Signal()
# Sent by the worker's clock after each pass (every EVENT_CLOCK_SECONDS), for periodic work
# such as weekly digests; receivers keep it cheap and enqueue what takes time.
clock = Signal()

SIGNALS = {
    PublicationEvent.Kind.PUBLIC: became_public,
    PublicationEvent.Kind.CORRECTED: corrected,
    PublicationEvent.Kind.WITHDRAWN: withdrawn,
    PublicationEvent.Kind.UNPUBLISHED: unpublished,
}
Kind = PublicationEvent.Kind


def _recorded(kind, version_field):
    return Exists(
        PublicationEvent.objects.filter(
            commentary=OuterRef("commentary_id" if kind == Kind.CORRECTED else "pk"),
            kind=kind,
            version=OuterRef(version_field),
        )
    )


def due(pks=None, changed_since=None):
    """(kind, commentary pk, version) of every event the state calls for and no row records.

    `changed_since` narrows the look to pieces saved, or whose publication time came, since
    then (through the indexed OAI datestamp), so a pass costs what changed, not the archive.
    """
    pieces = Commentary.objects.all() if pks is None else Commentary.objects.filter(pk__in=pks)
    if changed_since is not None:
        pieces = pieces.alias(changed=OAI_DATESTAMP).filter(changed__gte=changed_since)
    now = timezone.now()
    public = pieces.published().exclude(_recorded(Kind.PUBLIC, "release"))
    # Leaving counts only for a release that had been public: a scheduled piece unpublished
    # before its time was never announced, so nothing has to be taken back.
    was_public = _recorded(Kind.PUBLIC, "release")
    gone = pieces.filter(was_public)
    withdrawn_ = gone.filter(status=Commentary.Status.WITHDRAWN).exclude(
        _recorded(Kind.WITHDRAWN, "release")
    )
    unpublished_ = gone.filter(
        status__in=[Commentary.Status.DRAFT, Commentary.Status.IN_REVIEW]
    ).exclude(_recorded(Kind.UNPUBLISHED, "release"))
    corrections = Correction.objects.filter(
        commentary__in=pieces.published(), made_at__lte=now
    ).exclude(_recorded(Kind.CORRECTED, "pk"))
    found = [
        *((Kind.PUBLIC, pk, v) for pk, v in public.values_list("pk", "release")),
        *((Kind.WITHDRAWN, pk, v) for pk, v in withdrawn_.values_list("pk", "release")),
        *((Kind.UNPUBLISHED, pk, v) for pk, v in unpublished_.values_list("pk", "release")),
        *((Kind.CORRECTED, c, pk) for pk, c in corrections.values_list("pk", "commentary_id")),
    ]
    return found


def record(kind, commentary_pk, version):
    """Record one event and send its signal, in one transaction; False if it was already."""
    try:
        with transaction.atomic():
            commentary = (
                Commentary.objects.select_for_update(of=("self",))
                .select_related("series")
                .get(pk=commentary_pk)
            )
            if (kind, commentary_pk, version) not in due([commentary_pk]):
                return False  # another process recorded it, or the state moved on meanwhile
            event = PublicationEvent.objects.create(
                commentary=commentary, kind=kind, version=version
            )
            if kind == Kind.PUBLIC and commentary.first_published_at is None:
                # Published by a script or an import, not through the services: the event
                # is when it became public, and its number is fixed from now on.
                commentary.first_published_at = commentary.published_at
                commentary.save(update_fields=["first_published_at"])
            SIGNALS[kind].send(sender=Commentary, commentary=commentary, event=event)
    except IntegrityError:  # a concurrent record() of the same event won
        return False
    except Commentary.DoesNotExist:
        return False
    logger.info("Publication event %s for commentary %s (%s)", kind, commentary_pk, version)
    return True


def mark_announced(pk):
    """Record what one piece's state calls for as having happened, announcing nothing: for
    pieces that come back from a backup, whose readers were told long ago. Sends `loaded` when
    that made the piece public or corrected, so its own work (a PDF) is done all the same."""
    found = due([pk])
    PublicationEvent.objects.bulk_create(
        [PublicationEvent(kind=kind, commentary_id=c, version=v) for kind, c, v in found],
        ignore_conflicts=True,
    )
    if any(kind in (Kind.PUBLIC, Kind.CORRECTED) for kind, _, _ in found):
        loaded.send(sender=Commentary, pks=[pk])


def reconcile(pk):
    """Record whatever events one piece's state calls for (the services call this on commit)."""
    return [event for event in due([pk]) if record(*event)]


def reconcile_all(changed_since=None):
    """Record every event that is due: scheduled pieces whose time came, and catch-up."""
    return [event for event in due(changed_since=changed_since) if record(*event)]
