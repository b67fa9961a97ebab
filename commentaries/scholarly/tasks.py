"""Durable tasks the publication events enqueue (receivers.py). Each is idempotent: a unique
rendition row, or a successful deposit row, records that the work is done."""

from django.tasks import task

from commentaries import priorities
from commentaries.scholarly import crossref, pdf


@task(priority=priorities.PUBLICATION)
def render_pdf(commentary_pk, base_url="", again=False):
    try:
        rendition = pdf.render_and_store(commentary_pk, base_url=base_url, again=again)
    except pdf.Busy:
        return None  # a reader's request, or another worker, is rendering it and stores it
    return rendition.pk if rendition else None


@task(priority=priorities.PUBLICATION)
def deposit_at_crossref(commentary_pk):
    deposit = crossref.deposit_piece(commentary_pk)
    return deposit.pk if deposit else None
