"""What the editors' desk shows of the scholarly record: the state of each recently published
piece's PDF edition, and what needs attention: a piece public for RENDER_GRACE whose current
edition has no PDF (its render failed, or never ran), or with a DOI and Crossref configured,
whose current edition has no successful deposit (refused, or never made).

It looks at the pieces published in the last LOOK_BACK, newest first (the status and
publication time index), so it costs the same at any size of archive; an older piece's
correction whose render fails is not watched here. Named on ScholarlyConfig.desk_providers;
editorial reads it from there (commentaries.editorial.desk.providers), and this module imports
nothing of it.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone

from commentaries.models import Commentary, Correction
from commentaries.scholarly import crossref, pdf
from commentaries.scholarly.models import CrossrefDeposit, PdfRendition

RENDER_GRACE = dt.timedelta(minutes=15)  # a render takes seconds; a queue may be behind
LOOK_BACK = dt.timedelta(days=30)
CANDIDATES = 500  # the newest pieces of LOOK_BACK looked at; a busy month has a few hundred
# What pdf.edition() and crossref.edition() read of a piece.
EDITION = ["pk", "release", "doi", "published_at", "status", "original_id"]


def editions(pieces):
    """{piece id: its current edition (pdf.edition)}, its corrections read in one query."""
    # An order of their own: the model's default one sorts by the piece, joining it back in.
    corrections = Correction.objects.only("pk", "commentary_id", "made_at").order_by(
        "made_at", "pk"
    )
    prefetch_related_objects(pieces, Prefetch("corrections", queryset=corrections))
    return {piece.pk: pdf.edition(piece) for piece in pieces}


def rendered(pieces):
    """{piece id: whether its current edition's PDF is stored}, in two queries (none for no
    pieces)."""
    current = editions(pieces)
    made = set(
        PdfRendition.objects.filter(commentary__in=pieces)
        .order_by()
        .values_list("commentary_id", "edition")
    )
    return {pk: (pk, edition) in made for pk, edition in current.items()}


def deposited(pieces):
    """{piece id: whether Crossref accepted a deposit of its current edition (crossref.edition:
    the PDF's, and the relations to other editions)}, in four queries."""
    editions(pieces)  # the corrections pdf.edition() reads
    prefetch_related_objects(pieces, *crossref.other_editions())
    current = {piece.pk: crossref.edition(piece) for piece in pieces}
    accepted = set(
        CrossrefDeposit.objects.filter(
            commentary__in=pieces, status_code__gte=200, status_code__lt=300
        )
        .order_by()
        .values_list("commentary_id", "edition")
    )
    return {pk: (pk, edition) in accepted for pk, edition in current.items()}


class ScholarlyRecord:
    heading = "PDF"

    def column(self, pieces):
        now, ready = timezone.now(), rendered(pieces)
        cells = {}
        for piece in pieces:
            if ready[piece.pk]:
                cells[piece.pk] = ("ready", "good")
            elif piece.published_at > now - RENDER_GRACE:
                cells[piece.pk] = ("being made", "waiting")
            else:
                cells[piece.pk] = ("not made", "bad")
        return cells

    def attention(self, now, limit):
        recent = Commentary.objects.published().filter(
            published_at__gte=now - LOOK_BACK, published_at__lte=now - RENDER_GRACE
        )
        newest = ["-published_at", "-pk"]
        made = PdfRendition.objects.filter(commentary=OuterRef("pk"))
        # No PDF at all: told by the database, LIMIT and all, however many there are.
        found = [
            (pk, "PDF edition not made", at)
            for pk, at in recent.filter(~Exists(made))
            .order_by(*newest)
            .values_list("pk", "published_at")[:limit]
        ]
        # A PDF, but of an earlier edition (a correction, a DOI, a new release since): the
        # edition is a digest made in Python, so these are read and compared.
        rendered_before = list(
            recent.filter(Exists(made)).only(*EDITION).order_by(*newest)[:CANDIDATES]
        )
        ready = rendered(rendered_before)
        found += [
            (piece.pk, "PDF edition not made", piece.published_at)
            for piece in rendered_before
            if not ready[piece.pk]
        ]
        if settings.CROSSREF_DEPOSIT_URL:
            with_doi = list(recent.exclude(doi=None).only(*EDITION).order_by(*newest)[:CANDIDATES])
            accepted = deposited(with_doi)
            found += [
                (piece.pk, "Not deposited at Crossref", piece.published_at)
                for piece in with_doi
                if not accepted[piece.pk]
            ]
        found.sort(key=lambda report: report[2], reverse=True)
        return found[:limit]
