"""The PDF edition's address, which serves what a task rendered and never renders in the
request; and the withdrawal notice a withdrawn piece's DOI resolves to."""

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from commentaries.addresses import site_url
from commentaries.models import Commentary, Series
from commentaries.scholarly import pdf, tasks

PDF_MAX_AGE = 24 * 60 * 60  # a day: a major correction shows within one (ETag revalidates)
RETRY_AFTER = 5  # seconds; about what a render takes on a worker that is free
QUEUE_GUARD_SECONDS = 120  # one queued render per edition however many readers ask meanwhile


@require_safe
def commentary_pdf(request, number, series=None):
    series = get_object_or_404(Series, **({"slug": series} if series else {"is_primary": True}))
    commentary = get_object_or_404(
        Commentary.objects.select_related("series").prefetch_related("corrections"),
        series=series,
        number=number,
    )
    if commentary.status == Commentary.Status.WITHDRAWN and commentary.has_been_public:
        return HttpResponse("This commentary has been withdrawn.", status=410)
    if not commentary.is_published():
        raise Http404("No commentary has this number.")
    rendition = pdf.current(commentary)
    if rendition is None:
        return queued(request, commentary)
    etag = quote_etag(rendition.etag)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(rendition.file.name),
            content_type="application/pdf",
            filename=pdf.filename(commentary),
        )
        response["Content-Length"] = rendition.size
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PDF_MAX_AGE)
    return response


def queued(request, commentary):
    """503 with Retry-After, and the render queued (once per edition and couple of minutes)."""
    key = f"scholarly:pdf-queued:{commentary.pk}:{pdf.edition(commentary)}"
    if cache.add(key, True, QUEUE_GUARD_SECONDS):
        tasks.render_pdf.enqueue(commentary.pk, base_url=site_url(request))
    response = HttpResponse(
        "The PDF edition is being prepared; try again in a few seconds.",
        status=503,
        content_type="text/plain; charset=utf-8",
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
        Commentary.objects.with_listing_data(), series=series, number=number
    )
    withdrawn = commentary.status == Commentary.Status.WITHDRAWN and commentary.has_been_public
    if not (withdrawn and commentary.doi):
        raise Http404("No withdrawn commentary with a DOI has this number.")
    # The page its own address shows, with 200 rather than 410.
    response = render(request, "commentaries/withdrawn.html", {"commentary": commentary})
    response["X-Robots-Tag"] = "noindex"
    return response
