"""The PDF edition: one archival file per edition of a public piece, rendered by WeasyPrint from
the page's own partials with a print stylesheet, kept in Django's storage.

Rendering takes about a second, so it only ever happens in a task (tasks.render_pdf); the view
serves what is stored and queues what is missing."""

import functools
import hashlib
import shutil
import subprocess
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from commentaries.addresses import site_url
from commentaries.models import Commentary
from commentaries.scholarly import xmp
from commentaries.scholarly.models import PdfRendition

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
    """ajiss-commentary-210.pdf: the series and the number, as readers file it."""
    return f"{commentary.series.slug}-{commentary.number}.pdf"


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
    """The PDF's bytes for a piece as it stands (loaded with its authors, points, tags)."""
    if not cjk_fonts_installed():
        raise ImproperlyConfigured(FONTS_HELP)
    from weasyprint import HTML

    base_url = base_url or site_url()
    url = base_url + commentary.get_absolute_url()
    rendered_at = timezone.localtime(now).replace(microsecond=0)
    topics = [t.name for t in commentary.ordered_topics]
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


def render_and_store(commentary_pk, *, base_url=""):
    """Render the current edition of a public piece once; returns its rendition (or None)."""
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
    if done:
        return done
    began = time.perf_counter()
    data = render(commentary, base_url=base_url)
    seconds = time.perf_counter() - began
    name = default_storage.save(
        f"pdf/{commentary.series.slug}-{commentary.number}-{key}.pdf", ContentFile(data)
    )
    try:
        with transaction.atomic():
            return PdfRendition.objects.create(
                commentary=commentary,
                edition=key,
                file=name,
                etag=hashlib.sha256(data).hexdigest()[:32],
                size=len(data),
                render_seconds=seconds,
            )
    except IntegrityError:  # a concurrent run of the same task stored it first
        default_storage.delete(name)
        return PdfRendition.objects.get(commentary=commentary, edition=key)
