"""Whole public pages from the cache, for readers who are not logged in.

A page is cached under its full address and config.freshness.content_state(), read on
every request: it is served until anything it may show changes, and at most PAGE_CACHE_SECONDS
(which bounds what the state does not see, a topic renamed). Logged-in staff, who may see
previews, are always served fresh pages, and only plain 200 answers are kept. With DEBUG on
(`make run`) nothing is cached, so template edits show at once.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from config.freshness import content_state


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            settings.DEBUG
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        state = sorted(content_state().items())
        address = request.build_absolute_uri()
        key = "page:" + hashlib.sha256(f"{address} {state}".encode()).hexdigest()
        if (cached := cache.get(key)) is not None:
            return HttpResponse(cached["content"], content_type=cached["content_type"])
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            content = {"content": response.content, "content_type": response["Content-Type"]}
            cache.set(key, content, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
