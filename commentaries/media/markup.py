"""A picture's markup, written once: the {% picture %} tag, figures in bodies, the authors'
directory and the admin's thumbnails all print it. WebP first with a JPEG fallback, every width
in srcset, width and height set (so the page does not move when it arrives), lazy unless it is
the lead image (lead=True: at the top, wanted at once)."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from commentaries.media.models import Format


def picture_html(image, *, sizes, lead=False, alt_html=None, max_width=None, css_class=""):
    widths = [w for w in image.widths if max_width is None or w <= max_width] or image.widths[:1]
    largest = widths[-1]
    # The fallback src: the narrowest rendition at least 640 px wide, or the widest there is.
    fallback = next((w for w in widths if w >= 640), largest)

    def srcset(fmt):
        return ", ".join(f"{image.rendition_path(w, fmt)} {w}w" for w in widths)

    loading = 'fetchpriority="high"' if lead else 'loading="lazy"'
    alt = mark_safe(alt_html) if alt_html is not None else escape(image.alt_text)
    return format_html(
        '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} '
        'decoding="async"></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        srcset(Format.WEBP),
        sizes,
        image.rendition_path(fallback, Format.JPEG),
        srcset(Format.JPEG),
        sizes,
        largest,
        image.height_at(largest),
        alt,
        mark_safe(loading),
    )
