from django import template
from django.utils.translation import get_language

from commentaries.syndication.feeds import FORMATS, feeds_of

register = template.Library()


@register.inclusion_tag("includes/feed_links.html")
def feed_links(obj=None):
    """<link rel="alternate"> for the feeds of the site, or of a series, author or topic, in
    the page's language: the feeds at its language's addresses, which carry its pieces."""
    links = []
    for feed in feeds_of(obj):
        _, media_type, label = FORMATS[feed.kind]
        links.append(
            {
                "type": media_type,
                "title": f"{feed.title(obj)} ({label})",
                "href": feed.path(obj),
                "language": get_language(),
            }
        )
    return {"links": links}
