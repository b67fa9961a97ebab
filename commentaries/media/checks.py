"""What an upload must be before it is kept: small enough, few enough pixels to decode (a
decompression bomb is a small file that decodes to gigabytes), and a whole JPEG, PNG, WebP or
GIF as Pillow reads its bytes, whatever the file is called. Each refusal is a form error."""

import contextlib
import threading
import warnings

import PIL.Image
import PIL.ImageFile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"  # for the file input's picker


def checked_image(upload):
    """The upload opened and fully decoded by Pillow, or a ValidationError saying why not."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; pictures may be up to "
            f"{filesizeformat(limit)}. Save it smaller (about 2,000 pixels wide is plenty).",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (then fails) on images far past our own limit, read from the header.
            warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
            image = PIL.Image.open(upload)
            image.size  # noqa: B018 (read from the header, nothing decoded yet)
    except (PIL.Image.DecompressionBombWarning, PIL.Image.DecompressionBombError):
        raise too_many_pixels() from None
    except (PIL.UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            "This file is not a picture (its content is not JPEG, PNG, WebP or GIF, whatever "
            "its name says). Upload a JPEG, PNG, WebP or GIF.",
            code="not_an_image",
        ) from None
    if image.format not in FORMATS:
        raise ValidationError(
            f"This is a {image.format} image; upload a JPEG, PNG, WebP or GIF.",
            code="format",
        )
    width, height = image.size
    if width * height > settings.MEDIA_MAX_PIXELS:
        raise too_many_pixels(width, height)
    try:
        with whole_files_only():
            image.load()
    except (OSError, ValueError, SyntaxError, EOFError, IndexError):
        raise ValidationError(
            "This picture is damaged or cut short (the upload may have stopped part way). "
            "Upload the whole file again.",
            code="damaged",
        ) from None
    return image


@contextlib.contextmanager
def whole_files_only():
    """Pillow stops quietly at the end of a cut-short file when LOAD_TRUNCATED_IMAGES is set,
    which WeasyPrint does for the whole process on import (its images.py): an upload is
    decoded with it off, so a truncated one fails as it should."""
    with _flag_lock:
        before = PIL.ImageFile.LOAD_TRUNCATED_IMAGES
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            PIL.ImageFile.LOAD_TRUNCATED_IMAGES = before


_flag_lock = threading.Lock()


def too_many_pixels(width=None, height=None):
    size = f" It is {width:,} x {height:,} pixels." if width else ""
    megapixels = settings.MEDIA_MAX_PIXELS / 1_000_000
    return ValidationError(
        f"This picture has too many pixels to be processed safely.{size} Pictures may have up "
        f"to {megapixels:g} million pixels; resize it first.",
        code="too_many_pixels",
    )
