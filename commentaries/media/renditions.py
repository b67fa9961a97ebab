"""Images in, renditions out: keeping an upload (services for the forms), and making its
renditions with Pillow in a task (tasks.render_image): the orientation its camera recorded
applied, every width of Image.widths in WebP and in JPEG, and no metadata (EXIF, GPS, XMP,
comments) carried over; only the colour profile stays, so colours stay as they were."""

import io

import PIL.Image
import PIL.ImageOps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from commentaries.media.checks import checked_image
from commentaries.media.models import Format, Image, Rendition

ENCODERS = {
    Format.WEBP: ("WEBP", {"quality": 80, "method": 4}),
    Format.JPEG: ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}


def image_create(*, upload, alt_text, credit="", by=None):
    """Keep a checked upload as an Image; its renditions follow in a task (receivers.py)."""
    picture = checked_image(upload)
    upright = PIL.ImageOps.exif_transpose(picture)
    image = Image(
        alt_text=alt_text,
        credit=credit,
        width=upright.width,
        height=upright.height,
        format=picture.format,
        size=upload.size,
        uploaded_by=by if by and by.is_authenticated else None,
    )
    upload.seek(0)
    image.original.save("original", upload, save=False)
    image.save()
    return image


def upright(image):
    """The original, decoded, turned as its camera said, in RGB or RGBA."""
    with default_storage.open(image.original.name) as file:
        picture = PIL.Image.open(file)
        picture.load()
    icc = picture.info.get("icc_profile")
    picture = PIL.ImageOps.exif_transpose(picture)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    picture.info = {"icc_profile": icc} if icc else {}
    return picture


def encode(picture, width, height, fmt):
    """One rendition's bytes: resized, and saved with nothing but the colour profile."""
    resized = picture.resize((width, height), PIL.Image.Resampling.LANCZOS, reducing_gap=3.0)
    if fmt == Format.JPEG and resized.mode == "RGBA":  # JPEG has no transparency: on white
        flat = PIL.Image.new("RGB", resized.size, "white")
        flat.paste(resized, mask=resized.getchannel("A"))
        resized = flat
    name, options = ENCODERS[fmt]
    icc = picture.info.get("icc_profile")
    out = io.BytesIO()
    resized.save(out, name, exif=b"", **({"icc_profile": icc} if icc else {}), **options)
    return out.getvalue()


def render_all(image_pk):
    """Every rendition of the image not yet made, each made once (its unique row)."""
    image = Image.objects.filter(pk=image_pk).first()
    if image is None:
        return []
    made = set(image.renditions.values_list("width", "format"))
    wanted = [(w, f) for w in image.widths for f in Format if (w, f.value) not in made]
    if not wanted:
        return []
    picture = upright(image)
    return [store(image, picture, width, fmt) for width, fmt in wanted]


def store(image, picture, width, fmt):
    height = image.height_at(width)
    data = encode(picture, width, height, fmt)
    name = default_storage.save(f"images/{image.token}/{width}.{fmt.value}", ContentFile(data))
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                image=image, width=width, height=height, format=fmt, file=name, size=len(data)
            )
    except IntegrityError:  # a concurrent run made it first
        default_storage.delete(name)
        return Rendition.objects.get(image=image, width=width, format=fmt)
