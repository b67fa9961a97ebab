"""Rich text: the one allow-list every stored HTML field is cleaned against.

Part of the domain: models (bodies, bios) and the importer clean with it, and the admin's
editor (commentaries.rich_text) offers no more than it allows. Imports nothing of the project.
"""

import html
import re

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "code", "pre",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "data-file"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Pictures in a body are the site's own uploads (commentaries.media), at /images/<token>/...:
# an image from elsewhere would let its host count the readers, so its address is dropped.
OWN_IMAGES = "/images/"


# An image whose address was dropped goes too (nh3 removes attributes, not elements).
IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')


def _own_images_only(element, attribute, value):
    if element == "img" and attribute == "src" and not value.startswith(OWN_IMAGES):
        return None
    return value


def sanitise_html(value):
    """Clean editor HTML: unknown tags and attributes go, links get rel=noopener noreferrer,
    images keep only the site's own addresses."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_own_images_only,
    )
    return IMAGE_WITHOUT_SOURCE.sub("", cleaned).strip()


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs as escaped HTML paragraphs."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


# What the admin's rich-text editor (django-prose-editor) offers; a subset of ALLOWED_TAGS.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


def clean_rich_text(value):
    """Sanitise editor output; an editor left empty ("<p></p>") is empty."""
    cleaned = sanitise_html(value)
    return cleaned if strip_tags(cleaned).strip() or "<img" in cleaned else ""
