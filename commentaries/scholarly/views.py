"""The PDF edition's address (each edition's under its language's prefix:
/ja/commentaries/210/pdf/), which serves the stored file, or renders it in the request when
it can (also when the stored file was lost), and answers 503 while the storage does not; and
the withdrawal notice a withdrawn piece's DOI resolves to."""

import logging
import threading
import time

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from commentaries import files
from commentaries.addresses import site_url
from commentaries.models import Commentary, Series
from commentaries.scholarly import pdf, tasks

logger = logging.getLogger(__name__)

PDF_MAX_AGE = 24 * 60 * 60  # a day: a major correction shows within one (ETag revalidates)
RETRY_AFTER = 5  # seconds; about what a render takes on a worker that is free
QUEUE_GUARD_SECONDS = 120  # one queued render per edition however many readers ask meanwhile
# One render at a time in a process's requests: a second reader asking for another missing file
# meanwhile (or a crawler walking the archive) is told to come back, and its render is queued,
# so requests never pile up a render each on the same processor.
RENDERING_HERE = threading.BoundedSemaphore(1)
# How long a request waits for another renderer's file (a worker that took the task just before
# the first reader came): longer than a render in a worker that has just started (fonts load).
WAIT_SECONDS = 10
POLL_SECONDS = 0.25


def withdrawn(commentary):
    return commentary.status == Commentary.Status.WITHDRAWN and commentary.has_been_public


@require_safe
def commentary_pdf(request, number, series=None):
    series = get_object_or_404(Series, **({"slug": series} if series else {"is_primary": True}))
    commentary = get_object_or_404(
        Commentary.objects.select_related("series").prefetch_related("corrections"),
        series=series,
        number=number,
        language=get_language(),  # the address's: /ja/commentaries/210/pdf/ is the Japanese
    )
    if withdrawn(commentary):
        # What the piece's own address answers (commentaries.reading), with its byline.
        commentary = Commentary.objects.with_listing_data().get(pk=commentary.pk)
        return render(
            request, "commentaries/withdrawn.html", {"commentary": commentary}, status=410
        )
    if not commentary.is_published():
        raise Http404("No commentary has this number.")
    rendition = pdf.current(commentary)
    if rendition is not None:
        try:
            return serve(request, commentary, rendition)
        except files.Missing:
            rendition.delete()  # its file was lost (a storage restored without it): made again
        except files.Unavailable:
            return unavailable()
    rendition = render_here(request, commentary)
    if rendition is None:
        return not_ready(request, commentary)
    try:
        return serve(request, commentary, rendition)
    except (files.Missing, files.Unavailable):
        return unavailable()


def serve(request, commentary, rendition):
    """The stored file; raises files.Missing or files.Unavailable."""
    etag = quote_etag(rendition.etag)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            files.open_stored(rendition.file.name),
            content_type="application/pdf",
            filename=pdf.filename(commentary),
        )
        response["Content-Length"] = rendition.size
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PDF_MAX_AGE)
    return response


def unavailable():
    """503 while the storage does not answer; nothing is queued (the file may well be there)."""
    return files.try_again("The PDF edition is unavailable for a moment; try again shortly.")


def render_here(request, commentary):
    """The file rendered in this request, or by the renderer that holds the claim while the
    request waits up to WAIT_SECONDS, so its first reader gets it at once; None when this
    process is rendering another, or the other renderer has not done within the wait."""
    if not RENDERING_HERE.acquire(blocking=False):
        return None
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                return pdf.render_and_store(commentary.pk, base_url=site_url(request))
            except pdf.Busy:
                pass
            while not (rendition := pdf.current(commentary)) and pdf.claimed(commentary):
                if time.monotonic() >= deadline:
                    return None
                time.sleep(POLL_SECONDS)
            if rendition:
                return rendition
            # The claim went without a file (that render failed): this request renders it.
    except Exception:  # the reader gets the page that refreshes; a worker tries again
        logger.exception("Rendering the PDF of %s in a request failed", commentary.label)
        return None
    finally:
        RENDERING_HERE.release()


def not_ready(request, commentary):
    """503 with Retry-After and a page that refreshes itself, and the render queued (once per
    edition and couple of minutes)."""
    key = f"scholarly:pdf-queued:{commentary.pk}:{pdf.edition(commentary)}"
    if cache.add(key, True, QUEUE_GUARD_SECONDS):
        tasks.render_pdf.enqueue(commentary.pk, base_url=site_url(request))
    response = render(
        request,
        "scholarly/pdf_not_ready.html",
        {"commentary": commentary, "retry_after": RETRY_AFTER},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def withdrawal_notice(request, number, series=None):
    """200 with the notice (title, authors, dates, the reason; noindex) for a withdrawn piece
    that has a DOI: a DOI must keep resolving to a page that answers, and Crossref takes a 4xx
    landing page for a broken one. The piece's own address keeps answering 410 Gone."""
    series = get_object_or_404(Series, **({"slug": series} if series else {"is_primary": True}))
    commentary = get_object_or_404(
        Commentary.objects.with_listing_data(),
        series=series,
        number=number,
        language=get_language(),
    )
    if not (withdrawn(commentary) and commentary.doi):
        raise Http404("No withdrawn commentary with a DOI has this number.")
    # The page its own address shows, with 200 rather than 410.
    response = render(request, "commentaries/withdrawn.html", {"commentary": commentary})
    response["X-Robots-Tag"] = "noindex"
    return response
