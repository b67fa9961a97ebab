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
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from commentaries.models import Commentary, Correction
from commentaries.scholarly import pdf
from commentaries.scholarly.models import CrossrefDeposit, PdfRendition

RENDER_GRACE = dt.timedelta(minutes=15)  # a render takes seconds; a queue may be behind
LOOK_BACK = dt.timedelta(days=30)
CANDIDATES = 500  # the newest pieces of LOOK_BACK looked at; a busy month has a few hundred


def rendered(pieces):
    """{piece id: whether its current edition's PDF is stored}, in two queries."""
    # Orders of their own: the models' default ones sort by the piece, joining it back in.
    corrections = Correction.objects.order_by("made_at", "pk")
    prefetch_related_objects(pieces, Prefetch("corrections", queryset=corrections))
    made = set(
        PdfRendition.objects.filter(commentary__in=pieces)
        .order_by()
        .values_list("commentary_id", "edition")
    )
    return {piece.pk: (piece.pk, pdf.edition(piece)) in made for piece in pieces}


def deposited(pieces):
    """{piece id: whether Crossref accepted a deposit of its current edition}, one query."""
    accepted = set(
        CrossrefDeposit.objects.filter(
            commentary__in=pieces, status_code__gte=200, status_code__lt=300
        )
        .order_by()
        .values_list("commentary_id", "edition")
    )
    return {piece.pk: (piece.pk, pdf.edition(piece)) in accepted for piece in pieces}


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
        pieces = list(
            Commentary.objects.published()
            .filter(published_at__gte=now - LOOK_BACK, published_at__lte=now - RENDER_GRACE)
            .select_related("series")
            .defer("body", "summary", "withdrawal_reason")
            .order_by("-published_at")[:CANDIDATES]
        )
        if not pieces:
            return []
        found = [
            (piece.pk, "PDF edition not made", piece.published_at)
            for piece, ready in zip(pieces, rendered(pieces).values(), strict=True)
            if not ready
        ]
        with_doi = [piece for piece in pieces if piece.doi]
        if settings.CROSSREF_DEPOSIT_URL and with_doi:
            found += [
                (piece.pk, "Not deposited at Crossref", piece.published_at)
                for piece, accepted in zip(with_doi, deposited(with_doi).values(), strict=True)
                if not accepted
            ]
        found.sort(key=lambda report: report[2], reverse=True)
        return found[:limit]
