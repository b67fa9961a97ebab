"""Serving feeds over HTTP: a cached render, ETag and Last-Modified, 304s, Cache-Control;
for a browser, a page about the feed at the same address (Vary: Accept).

A render is cached under config.freshness.content_state(), read on every request, so a
cached feed never outlives a change to what it shows; FEED_CACHE_SECONDS bounds the rest (a
topic renamed).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.http import http_date

from commentaries.addresses import absolute
from commentaries.syndication.feeds import FORMATS
from config.freshness import content_state, last_change

# Seconds a reader or proxy may reuse a feed without asking: a scheduled piece shows within a minute.
MAX_AGE = 60


def serve(feed):
    """A view serving `feed` (a Feed instance) from the cache, answering 304 when unchanged."""

    def view(request, **kwargs):
        if wants_page(request, feed):
            response = feed_page(request, feed, kwargs)
            patch_cache_control(response, public=True, max_age=MAX_AGE)
            patch_vary_headers(response, ["Accept"])
            return response
        state = content_state()
        rendered = cached_render(feed, request, kwargs, state)
        response = HttpResponse(rendered["content"], content_type=rendered["content_type"])
        response["ETag"] = rendered["etag"]
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        patch_vary_headers(response, ["Accept"])
        last_modified = last_change(state)
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request, etag=rendered["etag"], last_modified=last_modified, response=response
        )

    return view


def cached_render(feed, request, kwargs, state):
    """The feed's bytes, type and ETag: rendered once for each address and public state."""
    key = "feed:" + digest(f"{request.build_absolute_uri(request.path)} {sorted(state.items())}")
    rendered = cache.get(key)
    if rendered is None:
        response = feed(request, **kwargs)
        rendered = {
            "content": response.content,
            "content_type": response["Content-Type"],
            "etag": quote_etag(digest(response.content)),
        }
        cache.set(key, rendered, settings.FEED_CACHE_SECONDS)
    return rendered


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


def digest(value):
    if isinstance(value, str):
        value = value.encode()
    return hashlib.sha256(value).hexdigest()[:32]
