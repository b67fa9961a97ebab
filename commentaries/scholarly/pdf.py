"""The PDF edition: one archival file per edition of a public piece, rendered by WeasyPrint from
the page's own partials with a print stylesheet, kept in Django's storage.

Rendering takes about a second. A task renders it (tasks.render_pdf) when a piece becomes
public, gets a major correction or arrives by a load (an import, a generated archive), and
`render_pdfs` backfills an archive; a reader's request that finds no file renders it in its own
process when it can (views.py). A claim row keeps two renderers off the same edition."""

import functools
import hashlib
import shutil
import subprocess
import time
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commentaries.addresses import site_url
from commentaries.models import Commentary
from commentaries.scholarly import xmp
from commentaries.scholarly.models import PdfClaim, PdfRendition

# Longer than any render takes: a claim this old belongs to a renderer that died.
CLAIM_SECONDS = 120

FONTS_HELP = (
    "The PDF edition needs fonts with Japanese glyphs, and fontconfig finds none. On Debian or "
    "Ubuntu: apt-get install fonts-noto-cjk (README.md, 'The scholarly record')."
)


@functools.cache
def cjk_fonts_installed():
    """Whether fontconfig (which WeasyPrint's pango uses) knows a font that covers Japanese."""
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def edition(commentary):
    """What a PDF must be rendered again for: a new release, a major correction, a DOI.

    Minor edits change none of these, so they leave the PDF as it is."""
    now = timezone.now()
    correction = max((c.pk for c in commentary.ordered_corrections if c.made_at <= now), default=0)
    key = f"{commentary.release}|{correction}|{commentary.doi or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def filename(commentary):
    """ajiss-commentary-210.pdf: the series and the number, as readers file it; a
    translation's name adds its language (ajiss-commentary-210-ja.pdf) beside its original's."""
    language = f"-{commentary.language}" if commentary.original_id else ""
    return f"{commentary.series.slug}-{commentary.number}{language}.pdf"


def current(commentary):
    """The stored rendition of the piece's current edition, or None."""
    return PdfRendition.objects.filter(commentary=commentary, edition=edition(commentary)).first()


def _no_fetching(url, *args, **kwargs):
    """Images in a body stay out of the archival file unless inline: a task fetches nothing."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"not fetched while rendering a PDF: {url[:80]}")


# What the file claims (README.md, "The scholarly record"). WeasyPrint's pdf/a-2a variant tags the
# PDF (a structure tree of headings, lists, paragraphs and links in reading order; MarkInfo,
# the document's language, DisplayDocTitle), embeds every font with its Unicode mapping and an
# sRGB output intent; xmp.py adds the PDF/UA-1 identification to its metadata.
PDF_VARIANT = "pdf/a-2a"
STANDARDS = ("PDF/A-2a", "PDF/UA-1")


def render(commentary, *, base_url="", now=None):
    """The PDF's bytes for a piece as it stands (loaded with its authors, points, tags),
    typeset for its language: the labels and dates in it, and its stylesheet's rules for it
    (pdf.css: Japanese line-breaking, line height)."""
    if not cjk_fonts_installed():
        raise ImproperlyConfigured(FONTS_HELP)
    from weasyprint import HTML

    base_url = base_url or site_url()
    url = base_url + commentary.get_absolute_url()
    rendered_at = timezone.localtime(now).replace(microsecond=0)
    topics = [t.name for t in commentary.ordered_topics]
    with translation.override(commentary.language):
        html = render_to_string(
            "scholarly/commentary_pdf.html",
            {
                "commentary": commentary,
                "canonical_url": url,
                "keywords": ", ".join(topics) or f"{commentary.series.name}, commentary",
                "rendered_at": rendered_at,
                "pdf": True,
            },
        )
    document = HTML(string=html, base_url=base_url, url_fetcher=_no_fetching).render()
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        finisher=xmp.finisher(
            language=commentary.language,
            published=timezone.localtime(commentary.published_at),
            publisher=commentary.series.publisher,
            subjects=topics,
            doi=commentary.doi,
            url=url,
            rendered_at=rendered_at,
            edition=edition(commentary),
        ),
    )


class Busy(Exception):
    """Another renderer holds the claim on this edition: it stores the file."""


def claim(commentary, key):
    """Take the claim on an edition; its time (to release it by), or None if another holds it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return PdfClaim.objects.create(commentary=commentary, edition=key).claimed_at
    except IntegrityError:
        stale = now - timedelta(seconds=CLAIM_SECONDS)
        taken = PdfClaim.objects.filter(
            commentary=commentary, edition=key, claimed_at__lt=stale
        ).update(claimed_at=now)
        return now if taken else None


def claimed(commentary):
    """Whether a renderer is at the piece's current edition now."""
    return PdfClaim.objects.filter(commentary=commentary, edition=edition(commentary)).exists()


def render_and_store(commentary_pk, *, base_url="", again=False):
    """Render the current edition of a public piece once; returns its rendition (or None).

    `again` renders a stored edition anew (render_pdfs, after the layout changed), replacing
    its file. Raises Busy when another renderer is at it."""
    commentary = (
        Commentary.objects.published()
        .with_listing_data()
        .with_corrections()
        .filter(pk=commentary_pk)
        .first()
    )
    if commentary is None:
        return None  # unpublished or withdrawn since the task was queued: no PDF
    key = edition(commentary)
    done = PdfRendition.objects.filter(commentary=commentary, edition=key).first()
    if done and not again:
        return done
    claimed_at = claim(commentary, key)
    if claimed_at is None:
        raise Busy(f"No.{commentary.number} ({key}) is being rendered elsewhere")
    try:
        began = time.perf_counter()
        data = render(commentary, base_url=base_url)
        return store(commentary, key, data, time.perf_counter() - began, done)
    finally:
        PdfClaim.objects.filter(commentary=commentary, edition=key, claimed_at=claimed_at).delete()


def store(commentary, key, data, seconds, done):
    name = default_storage.save(
        f"pdf/{commentary.series.slug}-{commentary.number}-{key}.pdf", ContentFile(data)
    )
    fields = {
        "file": name,
        "etag": hashlib.sha256(data).hexdigest()[:32],
        "size": len(data),
        "render_seconds": seconds,
        "rendered_at": timezone.now(),
    }
    if done:  # the same edition rendered anew: its row points at the new file
        PdfRendition.objects.filter(pk=done.pk).update(**fields)
        default_storage.delete(done.file.name)
        done.refresh_from_db()
        return done
    try:
        with transaction.atomic():
            return PdfRendition.objects.create(commentary=commentary, edition=key, **fields)
    except IntegrityError:  # stored meanwhile by a renderer whose claim had gone stale
        default_storage.delete(name)
        return PdfRendition.objects.get(commentary=commentary, edition=key)
