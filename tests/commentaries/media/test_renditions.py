"""Renditions: every width up to the original's in WebP and JPEG, upright, with no EXIF."""

import io

import PIL.ExifTags
import PIL.Image
from django.core.files.storage import default_storage

from commentaries.media import renditions
from commentaries.media.models import Rendition
from tests.commentaries.media.conftest import gps_exif, picture_bytes


def opened(rendition):
    with default_storage.open(rendition.file.name) as file:
        picture = PIL.Image.open(io.BytesIO(file.read()))
        picture.load()
        return picture


def test_renditions_are_made_at_each_width_in_webp_and_jpeg(make_image):
    """A 1000 px wide upload: 160, 320, 640, 960 and its own 1000, never wider; the uploader's
    task (run at once here) made them all."""
    image = make_image(picture_bytes(1000, 500))
    made = {(r.width, r.format): r for r in image.renditions.all()}
    assert sorted(made) == [(w, f) for w in (160, 320, 640, 960, 1000) for f in ("jpg", "webp")]
    for (width, fmt), rendition in made.items():
        picture = opened(rendition)
        assert picture.format == {"jpg": "JPEG", "webp": "WEBP"}[fmt]
        assert picture.size == (width, width // 2) == (rendition.width, rendition.height)


def test_a_narrow_image_is_never_enlarged(make_image):
    image = make_image(picture_bytes(120, 90, "PNG"))
    assert image.widths == [120]
    assert {(r.width, r.height) for r in image.renditions.all()} == {(120, 90)}


def test_gps_and_other_exif_are_stripped(make_image):
    upload = picture_bytes(800, 600, exif=gps_exif())
    assert PIL.Image.open(io.BytesIO(upload)).getexif().get_ifd(PIL.ExifTags.IFD.GPSInfo)
    image = make_image(upload)
    for rendition in image.renditions.all():
        picture = opened(rendition)
        assert "exif" not in picture.info
        assert not picture.getexif()
        assert not picture.getexif().get_ifd(PIL.ExifTags.IFD.GPSInfo)


def test_the_cameras_orientation_is_applied(make_image):
    """Stored 800x400 with "rotate 90° clockwise": an upright 400x800 picture, its blue
    corner (stored top left) now at the top right."""
    image = make_image(picture_bytes(800, 400, exif=gps_exif(orientation=6)))
    assert (image.width, image.height) == (400, 800)
    rendition = image.renditions.get(width=320, format="jpg")
    picture = opened(rendition)
    assert picture.size == (320, 640)
    red, green, blue = picture.convert("RGB").getpixel((310, 10))
    assert blue > 200 and red < 60
    red, green, blue = picture.convert("RGB").getpixel((10, 10))
    assert red > 150 and blue < 90


def test_transparency_is_kept_in_webp_and_flattened_on_white_in_jpeg(make_image):
    picture = PIL.Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    image = make_image(out.getvalue())
    webp = opened(image.renditions.get(width=200, format="webp"))
    jpeg = opened(image.renditions.get(width=200, format="jpg"))
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    assert jpeg.convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_renditions_are_made_once(make_image):
    """The task run again (a second worker, a retry) makes nothing: the unique rows say done."""
    image = make_image(picture_bytes(400, 200))
    count = Rendition.objects.count()
    assert renditions.render_all(image.pk) == []
    assert Rendition.objects.count() == count == 6
