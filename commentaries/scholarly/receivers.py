"""What the scholarly record does on publication events (commentaries.publishing.events): propose a DOI
when a piece is first public, then queue its PDF and, when Crossref is configured, its deposit
and the other editions' (whose relations name it; a piece that a load brought in public gets
its PDF alone);
when it stops being public, keep the OAI sets it was in; when it is withdrawn, deposit its DOI
pointing at the withdrawal notice. Sent inside the event's transaction,
so the queued tasks and the rows written commit with the event.

A DOI given to a piece that has been public (in the admin, or by a script) is no publication
event: the model's own save signal queues its deposit and its other editions', in the save's
transaction. Each deposit task deposits once per edition (crossref.deposit_piece)."""

from django.conf import settings
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver
from django.utils import timezone

from commentaries import priorities
from commentaries.models import Commentary
from commentaries.publishing import events
from commentaries.scholarly import crossref, oai, tasks

UNKNOWN = object()  # a DOI not loaded (a deferred field)


def propose_doi(commentary):
    """DOI_PATTERN (10.99999/ajiss.{number}) fills in a DOI the editors left empty, once; a
    translation's adds its language (10.99999/ajiss.210.ja), as editions share a number."""
    if commentary.doi or not settings.DOI_PATTERN:
        return
    doi = settings.DOI_PATTERN.format(number=commentary.number, series=commentary.series.slug)
    if commentary.original_id:
        doi += f".{commentary.language}"
    doi = doi.lower()
    if Commentary.objects.filter(doi=doi).exists():
        return  # taken by hand by another piece: the editors decide
    Commentary.objects.filter(pk=commentary.pk, doi=None).update(
        doi=doi, updated_at=timezone.now()
    )
    commentary.doi = doi


def queue_record(commentary):
    tasks.render_pdf.enqueue(commentary.pk)
    if commentary.doi:
        queue_deposits(commentary)


def queue_deposits(commentary):
    """Deposit the piece, and again its other deposited editions, whose relations name it."""
    if not settings.CROSSREF_DEPOSIT_URL:
        return
    tasks.deposit_at_crossref.enqueue(commentary.pk)
    others = crossref.deposited().filter(pk__in=commentary.editions().values("pk"))
    for pk in others.exclude(pk=commentary.pk).values_list("pk", flat=True):
        tasks.deposit_at_crossref.enqueue(pk)


@receiver(post_init, sender=Commentary, dispatch_uid="scholarly.doi_as_loaded")
def remember_doi(sender, instance, **kwargs):
    """The DOI as read or made, to tell a save that changed it (not read if deferred)."""
    instance._doi_as_loaded = instance.__dict__.get("doi", UNKNOWN)


@receiver(post_save, sender=Commentary, dispatch_uid="scholarly.doi_given")
def on_doi_given(sender, instance, update_fields=None, **kwargs):
    """A DOI given to a piece that has been public: deposit it and its other editions."""
    if update_fields is not None and "doi" not in update_fields:
        return  # the DOI stays as stored
    given = instance.__dict__.get("doi", UNKNOWN)
    before, instance._doi_as_loaded = getattr(instance, "_doi_as_loaded", UNKNOWN), given
    if given in (None, UNKNOWN) or before in (given, UNKNOWN):
        return
    if crossref.deposited().filter(pk=instance.pk).exists():
        queue_deposits(instance)


@receiver(events.became_public)
def on_public(sender, commentary, event, **kwargs):
    propose_doi(commentary)
    queue_record(commentary)


@receiver(events.corrected)
def on_corrected(sender, commentary, event, **kwargs):
    queue_record(commentary)


@receiver(events.loaded)
def on_loaded(sender, pks, **kwargs):
    """Pieces a load brought in public (a backup, a generated archive) have their PDF as a
    published piece does; their DOIs, if any, were proposed and deposited where they came from."""
    for pk in pks:  # a load may bring thousands: behind a new piece's publication work
        tasks.render_pdf.using(priority=priorities.BACKFILL).enqueue(pk)


@receiver(events.withdrawn)
@receiver(events.unpublished)
def on_leaving(sender, commentary, event, **kwargs):
    """The sets its deleted OAI record carries, as they are at the moment it leaves: written
    here, in the event's transaction, not by a task that would read topics added later."""
    oai.record_sets_when_last_public(commentary)


@receiver(events.withdrawn)
def on_withdrawn(sender, commentary, event, **kwargs):
    """Its DOI now resolves to the withdrawal notice: deposit that (crossref.deposit_piece)."""
    if commentary.doi and settings.CROSSREF_DEPOSIT_URL:
        tasks.deposit_at_crossref.enqueue(commentary.pk)
