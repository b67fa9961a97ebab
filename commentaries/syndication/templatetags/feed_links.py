from django import template
from django.utils.translation import get_language

from commentaries.addresses import absolute
from commentaries.syndication.feeds import FORMATS, feeds_of

register = template.Library()


@register.inclusion_tag("includes/feed_links.html")
def feed_links(obj=None):
    """<link rel="alternate"> for the feeds of the site, or of a series, author or topic, in
    the page's language: the feeds at its language's addresses, which carry its pieces. Their
    addresses are absolute, as every link with an hreflang must be (search engines and
    Lighthouse's hreflang audit refuse a relative one)."""
    links = []
    for feed in feeds_of(obj):
        _, media_type, label = FORMATS[feed.kind]
        links.append(
            {
                "type": media_type,
                "title": f"{feed.title(obj)} ({label})",
                "href": absolute(feed.path(obj)),
                "language": get_language(),
            }
        )
    return {"links": links}
