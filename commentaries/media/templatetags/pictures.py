"""{% picture image sizes="..." %} and the |with_pictures filter for bodies (markup.py)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from commentaries.addresses import site_url
from commentaries.media import figures
from commentaries.media.markup import picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", lead=False, max_width=None, css_class="", alt=None):
    """Nothing for no image; `alt` overrides the image's own alt text ("" for a decorative
    use, such as a photo beside the name it shows)."""
    if image is None:
        return ""
    alt_html = None if alt is None else escape(alt)
    return picture_html(
        image, sizes=sizes, lead=lead, alt_html=alt_html, max_width=max_width, css_class=css_class
    )


@register.filter
def with_pictures(body):
    """A sanitised body with its figures' pictures in all their widths (figures.expand)."""
    return mark_safe(figures.expand(body))  # the body was sanitised on save


@register.filter
def absolute_pictures(body):
    """A sanitised body for feeds and e-mails, read away from the site: its pictures' addresses
    made absolute (the figures keep their one <img>)."""
    return mark_safe(body.replace('src="/images/', f'src="{site_url()}/images/'))
