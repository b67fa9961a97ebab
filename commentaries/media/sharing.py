"""The picture a shared link shows (Open Graph, Twitter cards): the piece's lead image, or a
1200x630 card drawn with Pillow for it (series and number, title, authors, publisher) in Noto
Sans CJK, so Japanese titles and names print. A card is drawn once per edition of what it
prints, in a task (tasks.render_card); the page names it either way."""

import functools
import hashlib
import io
import re

import PIL.Image
import PIL.ImageDraw
import PIL.ImageFont
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from commentaries.media.models import Format, ShareCard
from commentaries.models import Commentary

CARD_SIZE = (1200, 630)
SHARE_WIDTH = 1200  # the lead image's rendition link previews get (or its widest)
FONT_FILES = {
    "regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
FONTS_HELP = "Share cards need Noto Sans CJK: apt-get install fonts-noto-cjk (Debian, Ubuntu)."
# The site's colours (static/css/site.css): paper, ink, the accent, the muted grey.
PAPER, INK, ACCENT, MUTED = "#fdfcfa", "#1d1f23", "#8a1c1c", "#555b66"
MARGIN = 72


def share_image(commentary):
    """(path, width, height, alt) of the picture a shared link to the piece shows."""
    lead = commentary.lead_image
    if lead is not None:
        width = max(w for w in lead.widths if w <= SHARE_WIDTH)
        return lead.rendition_path(width, Format.JPEG), width, lead.height_at(width), lead.alt_text
    path = reverse(
        "media:card",
        kwargs={
            "series": commentary.series.slug,
            "number": commentary.number,
            "edition": card_edition(commentary),
        },
    )
    return path, *CARD_SIZE, f"{commentary.series.name} {commentary.label}: {commentary.title}"


def card_text(commentary):
    """What the card prints: (kicker, title, byline, publisher)."""
    return (
        f"{commentary.series.name} {commentary.label}",
        commentary.title,
        commentary.byline,
        commentary.series.publisher,
    )


def card_edition(commentary):
    """A digest of what the card prints: a new card only when that changes."""
    return hashlib.sha256("\x1f".join(card_text(commentary)).encode()).hexdigest()[:16]


@functools.cache
def font(weight, size):
    """Noto Sans CJK's Japanese face (its collection holds one face per region)."""
    path = FONT_FILES[weight]
    for index in range(10):
        try:
            face = PIL.ImageFont.truetype(path, size, index=index)
        except OSError as error:
            raise ImproperlyConfigured(FONTS_HELP) from error
        if face.getname()[0].endswith("JP"):
            return face
    return PIL.ImageFont.truetype(path, size)


# A line may break after a space, or between two CJK characters (no spaces in Japanese).
CJK = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
SEGMENTS = re.compile(rf"[{CJK}][、。，．）」』]?|[^\s{CJK}]+\s*|\s+")


def wrap(text, face, width, max_lines):
    """Lines of at most `width` pixels; the last ends with an ellipsis if the text is longer."""
    lines, line = [], ""
    for segment in SEGMENTS.findall(text):
        if line and face.getlength((line + segment).rstrip()) > width:
            lines.append(line.rstrip())
            line = segment.lstrip()
        else:
            line += segment
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines


def draw_card(commentary):
    """The card's PNG bytes."""
    kicker, title, byline, publisher = card_text(commentary)
    card = PIL.Image.new("RGB", CARD_SIZE, PAPER)
    draw = PIL.ImageDraw.Draw(card)
    width = CARD_SIZE[0] - 2 * MARGIN
    draw.rectangle([0, 0, CARD_SIZE[0], 14], fill=ACCENT)
    draw.text((MARGIN, 64), kicker, font=font("bold", 34), fill=ACCENT)
    # The title as large as fits in four lines.
    for size in (64, 56, 48, 42):
        face = font("bold", size)
        lines = wrap(title, face, width, 4)
        if len(lines) <= 3 or size == 42:
            break
    y = 136
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=INK)
        y += round(size * 1.3)
    foot = font("regular", 30)
    draw.line([MARGIN, 500, CARD_SIZE[0] - MARGIN, 500], fill="#d9d4c8", width=2)
    draw.text(
        (MARGIN, 516), wrap(byline, foot, width, 1)[0] if byline else "", font=foot, fill=INK
    )
    draw.text((MARGIN, 560), publisher, font=font("regular", 24), fill=MUTED)
    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()


def current(commentary):
    return ShareCard.objects.filter(
        commentary=commentary, edition=card_edition(commentary)
    ).first()


def render_and_store(commentary_pk):
    """Draw the card of a public piece's current edition once; returns it (or None)."""
    commentary = (
        Commentary.objects.published()
        .select_related("series")
        .prefetch_related("authorships")
        .filter(pk=commentary_pk)
        .first()
    )
    if commentary is None:
        return None
    key = card_edition(commentary)
    done = ShareCard.objects.filter(commentary=commentary, edition=key).first()
    if done:
        return done
    data = draw_card(commentary)
    name = default_storage.save(
        f"cards/{commentary.series.slug}-{commentary.number}-{key}.png", ContentFile(data)
    )
    try:
        with transaction.atomic():
            return ShareCard.objects.create(
                commentary=commentary,
                edition=key,
                file=name,
                size=len(data),
            )
    except IntegrityError:  # a concurrent run of the same task stored it first
        default_storage.delete(name)
        return ShareCard.objects.get(commentary=commentary, edition=key)
