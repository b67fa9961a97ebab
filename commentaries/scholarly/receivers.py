"""What the scholarly record does on publication events (commentaries.publishing.events): propose a DOI
when a piece is first public, then queue its PDF and, when Crossref is configured, its deposit.
Sent inside the event's transaction, so the queued tasks commit with the event."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from commentaries.models import Commentary
from commentaries.publishing import events
from commentaries.scholarly import tasks


def propose_doi(commentary):
    """DOI_PATTERN (10.99999/ajiss.{number}) fills in a DOI the editors left empty, once."""
    if commentary.doi or not settings.DOI_PATTERN:
        return
    doi = settings.DOI_PATTERN.format(number=commentary.number, series=commentary.series.slug)
    doi = doi.lower()
    if Commentary.objects.filter(doi=doi).exists():
        return  # taken by hand by another piece: the editors decide
    Commentary.objects.filter(pk=commentary.pk, doi=None).update(
        doi=doi, updated_at=timezone.now()
    )
    commentary.doi = doi


def queue_record(commentary):
    tasks.render_pdf.enqueue(commentary.pk)
    if commentary.doi and settings.CROSSREF_DEPOSIT_URL:
        tasks.deposit_at_crossref.enqueue(commentary.pk)


@receiver(events.became_public)
def on_public(sender, commentary, event, **kwargs):
    propose_doi(commentary)
    queue_record(commentary)


@receiver(events.corrected)
def on_corrected(sender, commentary, event, **kwargs):
    queue_record(commentary)
