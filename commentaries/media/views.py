"""The addresses pictures are served at: /images/<token>/<width>.<webp|jpg> for an image's
renditions, /images/cards/<series>/<number>/<edition>.png for a piece's share card.

Nothing is drawn in the request: what is missing answers 503 with Retry-After and is queued
(once per image or card and couple of minutes, however many readers ask meanwhile), and so is
a rendition or card whose file was lost from the storage. A storage that does not answer
gives 503 too, never 500."""

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from commentaries import files
from commentaries.media import sharing, tasks
from commentaries.media.models import Format, Image
from commentaries.models import Commentary

MAX_AGE = 24 * 60 * 60  # a day: a picture taken off a piece leaves caches within one
RETRY_AFTER = 5  # seconds; about what a set of renditions takes on a free worker
QUEUE_GUARD_SECONDS = 120
CONTENT_TYPES = {Format.WEBP: "image/webp", Format.JPEG: "image/jpeg", "png": "image/png"}


@require_safe
def rendition(request, token, width, fmt):
    image = Image.objects.filter(token=token).first()
    if image is None or width not in image.widths:
        raise Http404("No such picture.")
    public = Image.objects.public().filter(pk=image.pk).exists()
    # Staff see the pictures of drafts in the admin and in previews, privately.
    if not public and not request.user.has_perm("media.view_image"):
        raise Http404("No such picture.")
    found = image.renditions.filter(width=width, format=fmt).first()
    if found is not None:
        try:
            return serve(request, found.file.name, CONTENT_TYPES[fmt], f"{token}-{width}", public)
        except files.Missing:
            found.delete()  # its file was lost (a storage restored without it): made again
        except files.Unavailable:
            return unavailable()
    return queued(f"media:image:{image.pk}", lambda: tasks.render_image.enqueue(image.pk))


@require_safe
def share_card(request, series, number, edition):
    editions = list(
        Commentary.objects.published()
        .select_related("series")
        .prefetch_related("authorships")
        .filter(series__slug=series, number=number)
    )
    if not editions:
        raise Http404("No public commentary has this number.")
    # The editions of a number (one per language) print different cards: the digest tells
    # which one's this is; an older card's address goes to the original's current card.
    for commentary in editions:
        if sharing.card_edition(commentary) == edition:
            break
    else:
        commentary = next((e for e in editions if e.original_id is None), editions[0])
    current = sharing.card_edition(commentary)
    if edition != current:  # an older card's address: the current card
        return redirect("media:card", series=series, number=number, edition=current)
    card = sharing.current(commentary)
    if card is not None:
        try:
            return serve(request, card.file.name, CONTENT_TYPES["png"], f"{current}", public=True)
        except files.Missing:
            card.delete()  # drawn again
        except files.Unavailable:
            return unavailable()
    key = f"media:card:{commentary.pk}:{current}"
    return queued(key, lambda: tasks.render_card.enqueue(commentary.pk))


def serve(request, name, content_type, tag, public):
    """The stored file; raises files.Missing or files.Unavailable."""
    etag = quote_etag(tag)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(files.open_stored(name), content_type=content_type)
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def queued(key, enqueue):
    """503 with Retry-After; the work queued unless it was a moment ago."""
    if cache.add(key, True, QUEUE_GUARD_SECONDS):
        enqueue()
    return files.try_again(
        "This picture is being prepared; try again in a few seconds.", RETRY_AFTER
    )


def unavailable():
    """503 while the storage does not answer; nothing is queued (the file may well be there)."""
    return files.try_again("Pictures are unavailable for a moment; try again shortly.")
