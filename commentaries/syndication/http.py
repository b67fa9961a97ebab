"""Serving feeds over HTTP: the feed, or for a browser a page about the feed at the same
address (Vary: Accept), each kept by the page cache (caching.pages) like any public page: ETag
and Last-Modified from the content generation, 304s, at most FEED_CACHE_SECONDS old (a topic
renamed), and `Cache-Control: public, max-age=60`.
"""

from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers

from commentaries.addresses import absolute
from commentaries.caching.pages import cached_page
from commentaries.syndication.feeds import FORMATS

# Seconds a reader or proxy may reuse a feed without asking: a scheduled piece shows within a minute.
MAX_AGE = 60


def serve(feed):
    """A view serving `feed` (a Feed instance), or a page about it to a browser."""

    def view(request, **kwargs):
        if wants_page(request, feed):
            response = feed_page(request, feed, kwargs)
        else:
            response = feed(request, **kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Accept"])
        return response

    def variant(request):
        return "page" if wants_page(request, feed) else "feed"

    return cached_page(view, variant=variant, seconds="FEED_CACHE_SECONDS", max_age=MAX_AGE)


def wants_page(request, feed):
    """A browser: it prefers text/html to the feed's own type. Feed readers ask for the feed's
    type (or anything, */*), and get the feed; browsers no longer style feeds with XSLT."""
    own_type = FORMATS[feed.kind][1]
    return request.get_preferred_type([own_type, "text/html"]) == "text/html"


def feed_page(request, feed, kwargs):
    """What the feed is, how to add it to a feed reader, its latest pieces, and e-mail alerts."""
    obj = feed.get_object(request, **kwargs)
    formats = [
        (label, absolute(type(feed)(kind).path(obj), request))
        for kind, (_, _, label) in FORMATS.items()
    ]
    context = {
        "title": feed.title(obj),
        "description": feed.description(obj),
        "feed_url": absolute(request.path, request),
        "format_label": FORMATS[feed.kind][2],
        "formats": formats,
        "link": feed.link(obj),
        "scope": obj,
        "commentaries": feed.items(obj)[:5],
    }
    return TemplateResponse(request, "commentaries/feed_page.html", context)


def feed_paths(prefix, feed_class, name):
    """URL patterns for one scope's feeds: <prefix>feeds/rss/, .../atom/, .../json/."""
    return [
        path(f"{prefix}feeds/{kind}/", serve(feed_class(kind)), name=f"{name}-{kind}")
        for kind in FORMATS
    ]
