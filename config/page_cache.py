"""Whole public pages from the cache, answered before sessions, CSRF and authentication.

`cached_page(view, params=...)` marks a view; PageCacheMiddleware, placed before the session
middleware, answers a marked address for a reader who sends no session cookie from the cache
after one query (config.freshness: the generation, read by primary key). The key holds the
deploy's namespace (a hash of the templates and the static files' manifest, so a deploy with new
ones starts afresh), the generation, the path and only the query parameters the page reads, so
random query strings cannot fill the cache. A cached answer replays the original's headers.

Every such answer carries an ETag and Last-Modified from the state, answers 304 to a
conditional request, and says `Cache-Control: public, max-age=0, s-maxage=..., stale-while-
revalidate=...`: browsers ask again each time (a 304 is cheap), shared caches (Varnish, a CDN)
keep it for PAGE_CACHE_SECONDS unless a publication event bans it first (commentaries/
frontcache). Readers with a session (staff, who may see previews) always get fresh pages, marked
private. With DEBUG on (`make run`) nothing is cached and no validators are sent, so template
edits show at once.
"""

import hashlib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.utils import get_app_template_dirs
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

from config.freshness import content_state, last_change

# How long a shared cache may serve a page past its time while it fetches a fresh one.
STALE_WHILE_REVALIDATE = 60
# Headers set by middleware outside this one, added again to a replayed answer.
NOT_REPLAYED = {"set-cookie", "content-length", "date"}


def cached_page(view, params=()):
    """Mark `view` as a public page every reader gets alike; `params` are the query
    parameters it reads (the only ones in its cache key)."""

    @wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    page.page_cache_params = tuple(params)
    return page


def deploy_namespace():
    """A hash of every template and of the static files' manifest: a deploy that changes
    either starts a new cache namespace."""
    digest = hashlib.sha256()
    directories = [*settings.TEMPLATES[0]["DIRS"], *get_app_template_dirs("templates")]
    for directory in directories:
        for path in sorted(Path(directory).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(directory)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.namespace = deploy_namespace()

    def __call__(self, request):
        params = None if settings.DEBUG else self.page_params(request)
        if params is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        state = content_state()
        query = sorted((name, request.GET.getlist(name)) for name in params if name in request.GET)
        # The host and scheme too: pages carry absolute addresses (canonical links, feeds).
        address = f"{request.scheme}://{request.get_host()}{request.path}"
        key = (
            "page:"
            + hashlib.sha256(
                f"{self.namespace} {state['generation']} {address} {query}".encode()
            ).hexdigest()
        )
        etag = quote_etag(key[5:37])
        last_modified = last_change(state)
        if (cached := cache.get(key)) is not None:
            response = HttpResponse(cached["content"], status=cached["status"])
            for header, value in cached["headers"]:
                response.headers[header] = value
        else:
            response = self.get_response(request)
            if not self.shareable(request, response):
                return response
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.PAGE_CACHE_SECONDS,
                stale_while_revalidate=STALE_WHILE_REVALIDATE,
            )
            headers = [(h, v) for h, v in response.items() if h.lower() not in NOT_REPLAYED]
            stored = {"content": response.content, "status": 200, "headers": headers}
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    def page_params(self, request):
        """The query parameters of a marked page, or None for anything else."""
        if request.method not in ("GET", "HEAD"):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return getattr(match.func, "page_cache_params", None)

    def shareable(self, request, response):
        if hasattr(response, "render"):
            response.render()
        cache_control = response.get("Cache-Control", "")
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )
