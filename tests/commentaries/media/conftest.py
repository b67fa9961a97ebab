import io
import struct
import zlib

import PIL.ExifTags
import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commentaries.media.renditions import image_create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Pictures land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture_bytes(width=1000, height=500, fmt="JPEG", *, exif=None, colour=(180, 40, 40)):
    picture = PIL.Image.new("RGB", (width, height), colour)
    # A feature in the top-left corner, so orientation can be told from the pixels.
    picture.paste((0, 0, 255), (0, 0, width // 4, height // 4))
    out = io.BytesIO()
    picture.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def gps_exif(orientation=1):
    """EXIF as a phone writes it: where the picture was taken, and which way up."""
    exif = PIL.Image.Exif()
    exif[PIL.ExifTags.Base.Orientation] = orientation
    exif[PIL.ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(PIL.ExifTags.IFD.GPSInfo)
    gps[PIL.ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[PIL.ExifTags.GPS.GPSLatitude] = (35.0, 40.0, 30.0)
    gps[PIL.ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[PIL.ExifTags.GPS.GPSLongitude] = (139.0, 44.0, 10.0)
    return exif


def png_claiming(width, height):
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb's shape."""
    data = bytearray(picture_bytes(8, 8, "PNG"))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def make_image(db):
    def make(data=None, **kwargs):
        return image_create(
            upload=upload(data or picture_bytes()), alt_text=kwargs.pop("alt_text", "A test"),
            **kwargs,
        )  # fmt: skip

    return make
