"""Serving feeds over HTTP: a cached render, ETag and Last-Modified, 304s, Cache-Control.

A render is cached under config.freshness.content_state(), read on every request, so a
cached feed never outlives a change to what it shows; FEED_CACHE_SECONDS bounds the rest (a
topic renamed).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.http import http_date

from commentaries.syndication.feeds import FORMATS
from config.freshness import content_state, last_change

# Seconds a reader or proxy may reuse a feed without asking: a scheduled piece shows within a minute.
MAX_AGE = 60


def serve(feed):
    """A view serving `feed` (a Feed instance) from the cache, answering 304 when unchanged."""

    def view(request, **kwargs):
        state = content_state()
        rendered = cached_render(feed, request, kwargs, state)
        content_type = negotiated(request, rendered["content_type"])
        response = HttpResponse(rendered["content"], content_type=content_type)
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


def negotiated(request, content_type):
    """The feed's own type for feed readers; for a browser, plain XML for RSS and Atom.

    Browsers show application/rss+xml and application/atom+xml as text, or download them; as
    XML they apply the feed's stylesheet, which turns it into a page on how to subscribe.
    """
    feed_type = content_type.split(";")[0]
    if (
        feed_type.endswith("+xml")
        and request.get_preferred_type([feed_type, "text/html"]) == "text/html"
    ):
        return "application/xml; charset=utf-8"
    return content_type


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
