"""Images inside a piece's body. The editor (django-prose-editor's Figure, its picker the
admin's image list) stores a figure as

    <figure><img src="/images/<token>/960.jpg" alt="..." data-file="<token>">
    <figcaption>...</figcaption></figure>

and the page shows each such <img> as a <picture> of the image's renditions, with its size
set (expand()); an <img> naming no image of ours is left out by the sanitiser before that."""

import re

from django.utils.html import escape

from commentaries.media.markup import picture_html
from commentaries.media.models import Figure, Image

IMG = re.compile(r"<img\b[^>]*>")
TOKEN = re.compile(r'src="/images/([A-Za-z0-9_-]{16,32})/')
ALT = re.compile(r'alt="([^"]*)"')
BODY_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


def tokens(body):
    return list(dict.fromkeys(TOKEN.findall(body or "")))


def keep_in_step(commentary, *, created=False):
    """The piece's Figure rows: one per image its body shows, no more."""
    shown = tokens(commentary.body)
    if created and not shown:
        return  # a new piece with no pictures: nothing to write
    images = list(Image.objects.filter(token__in=shown).values_list("pk", flat=True))
    Figure.objects.filter(commentary=commentary).exclude(image__in=images).delete()
    if not images:
        return
    Figure.objects.bulk_create(
        [Figure(commentary=commentary, image_id=pk) for pk in images], ignore_conflicts=True
    )


def missing_alt_text(body):
    """How many images in a body have no alt text (the admin refuses to save it so)."""
    count = 0
    for tag in IMG.findall(body or ""):
        alt = ALT.search(tag)
        if not (alt and alt.group(1).strip()):
            count += 1
    return count


def expand(body):
    """The body with each of our images as a <picture> (one query for all of them)."""
    found = tokens(body)
    if not found:
        return body
    images = {image.token: image for image in Image.objects.filter(token__in=found)}

    def replace(match):
        tag = match.group(0)
        token = TOKEN.search(tag)
        image = images.get(token.group(1)) if token else None
        if image is None:
            return ""
        alt = ALT.search(tag)
        # The alt text the editor gave the figure, as the sanitiser left it (escaped).
        alt_text = alt.group(1) if alt else escape(image.alt_text)
        return picture_html(image, sizes=BODY_SIZES, alt_html=alt_text)

    return IMG.sub(replace, body)
