"""An upload is kept only when it is a whole JPEG, PNG, WebP or GIF within the limits."""

import pytest
from django.core.exceptions import ValidationError

from commentaries.media.checks import checked_image
from commentaries.media.models import Image
from tests.commentaries.media.conftest import picture_bytes, png_claiming, upload


def refusal(data, **kwargs):
    with pytest.raises(ValidationError) as raised:
        checked_image(upload(data, **kwargs))
    return raised.value


def test_a_jpeg_png_webp_and_gif_are_taken():
    for fmt in ("JPEG", "PNG", "WEBP", "GIF"):
        assert checked_image(upload(picture_bytes(40, 30, fmt))).size == (40, 30)


def test_other_content_named_jpg_is_refused():
    """The content decides, not the name: an HTML page called photo.jpg is no picture."""
    error = refusal(b"<html><script>alert(1)</script></html>" * 20, name="photo.jpg")
    assert error.code == "not_an_image"
    assert "not a picture" in error.message


def test_another_image_format_is_refused_by_name():
    error = refusal(picture_bytes(40, 30, "BMP"), name="photo.jpg")
    assert error.code == "format"
    assert "BMP" in error.message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 2_000
    data = picture_bytes(400, 300, "PNG") + b"\0" * 3_000
    error = refusal(data)
    assert error.code == "too_large"
    assert "up to 2.0\xa0KB" in error.message


def test_too_many_pixels_is_refused_before_decoding():
    """A decompression bomb: 60 bytes claiming 10 billion pixels, refused from its header."""
    error = refusal(png_claiming(100_000, 100_000), name="bomb.png")
    assert error.code == "too_many_pixels"


def test_the_pixel_limit_is_a_setting(settings):
    settings.MEDIA_MAX_PIXELS = 100 * 100
    error = refusal(picture_bytes(200, 100))
    assert error.code == "too_many_pixels"
    assert "200 x 100" in error.message


def test_a_truncated_file_is_refused():
    data = picture_bytes(800, 600, "PNG", colour=(10, 200, 90))
    error = refusal(data[: len(data) // 2], name="cut.png")
    assert error.code == "damaged"


def test_a_truncated_jpeg_is_refused():
    whole = picture_bytes(800, 600)
    error = refusal(whole[: len(whole) // 3])
    assert error.code == "damaged"


def test_nothing_is_kept_when_refused(make_image):
    with pytest.raises(ValidationError):
        make_image(b"not a picture at all" * 10)
    assert not Image.objects.exists()


def test_a_truncated_file_is_refused_after_weasyprint_is_loaded():
    """WeasyPrint tells Pillow to take cut-short files for the whole process; uploads are not."""
    import weasyprint  # noqa: F401

    data = picture_bytes(800, 600)
    assert refusal(data[: len(data) // 3]).code == "damaged"
