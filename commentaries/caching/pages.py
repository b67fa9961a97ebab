"""Whole public pages and feeds from the cache, with their validators: one mechanism for both.

`cached_page(view, ...)` marks a view whose answer every reader without a session gets alike.
PageCacheMiddleware, placed first after the access log, answers a marked address for a reader
who sends no session cookie from the cache after at most one query (the content generation,
caching.freshness), before every other middleware. On a miss it lets the rest of the stack
render the page and keeps the answer as it leaves Django, with the headers the middleware
inside added (Content-Security-Policy, the security headers, X-Frame-Options, Vary), so a
replayed answer carries exactly what a fresh one does. The WSGI front (caching.front) replays
the same entries before Django itself is entered.

The key holds the deploy's namespace (a hash of the templates and the static files' manifest,
so a deploy with new ones starts afresh), the generation, the scheme, host and path, only the
query parameters the page reads (so random query strings cannot fill the cache) and the page's
variant, if it has one (a feed's address answers a browser with a page about the feed). An
answer is kept only as Django gave it to a reader: a 200 to a GET, with no cookie, nothing
private and no CSP nonce; redirects, errors and refusals (a bad host, a NUL in the path, the
HTTPS redirect) are never kept, so neither layer can answer what Django would not.

Every kept answer carries an ETag and Last-Modified from the state and answers 304 to a
conditional request. Pages say `Cache-Control: public, max-age=0, s-maxage=PAGE_CACHE_SECONDS,
stale-while-revalidate=60`: browsers ask again each time (a 304 is cheap), shared caches
(Varnish, a CDN) keep them unless a publication event bans them first (caching.frontcache).
Feeds say `public, max-age=60`. Readers with a session (staff, who may see previews) always get
fresh pages, marked private. With DEBUG on (`make run`) nothing is cached and no validators
are sent, so template edits show at once.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template.utils import get_app_template_dirs
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from commentaries.addresses import path_language
from commentaries.caching.freshness import content_state, last_change
from commentaries.caching.replica import pinned

# How long a shared cache may serve a page past its time while it fetches a fresh one.
STALE_WHILE_REVALIDATE = 60
# Headers never kept: set anew for each answer (or never sent with a kept one).
NOT_KEPT = {"set-cookie", "content-length", "date"}
# Headers a 304 or 412 leaves out: they describe a body it does not have.
BODY_HEADERS = {"content-type", "content-length"}


@dataclass(frozen=True)
class Rules:
    """What the cache needs to know of a marked view."""

    params: tuple = ()
    # request -> str: which of the address's answers this request gets (None: there is one).
    variant: object = None
    # The setting that bounds how long an answer is kept.
    seconds: str = "PAGE_CACHE_SECONDS"
    # None: a page's Cache-Control; a number: `public, max-age=<number>`.
    max_age: int | None = None


def cached_page(view, params=(), variant=None, seconds="PAGE_CACHE_SECONDS", max_age=None):
    """Mark `view` as a public page every reader gets alike; `params` are the query
    parameters it reads (the only ones in its key), `variant(request)` names which of its
    answers a request gets, `seconds` names the setting that bounds an answer's life, and
    `max_age` replaces a page's Cache-Control with `public, max-age=...`."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.DEBUG and request.method in ("GET", "HEAD") and response.status_code == 200:
            # Nothing is kept under DEBUG, but a page that dates itself (a feed's
            # Last-Modified, from its newest item) still answers a conditional request.
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, last_modified=last_modified, response=response
            )
        return response

    page.cached_page = Rules(tuple(params), variant, seconds, max_age)
    return page


def page_rules(path_info):
    """The Rules of the view at `path_info`, or None when it is not a marked page."""
    # Resolved in the path's language: /ja/... matches only while Japanese is active, and
    # this runs before PathLanguageMiddleware (and, in the WSGI front, outside Django).
    try:
        with translation.override(path_language(path_info)):
            match = resolve(path_info)
    except Resolver404:
        return None
    return getattr(match.func, "cached_page", None)


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


# This process's namespace: its templates and manifest are those it started with.
namespace = functools.cache(deploy_namespace)


def cacheable(request):
    """A GET or HEAD while DEBUG is off: a request a kept answer may serve."""
    return not settings.DEBUG and request.method in ("GET", "HEAD")


def has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def page_key(request, rules, state):
    """The cache key of this request's answer, or None for a host Django refuses."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    query = sorted(
        (name, request.GET.getlist(name)) for name in rules.params if name in request.GET
    )
    variant = rules.variant(request) if rules.variant else ""
    # The host and scheme too: pages carry absolute addresses (canonical links, feeds).
    address = f"{request.scheme}://{host}{request.path}"
    text = f"{namespace()} {state['generation']} {address} {query} {variant}"
    return "page:" + hashlib.sha256(text.encode()).hexdigest()


def keep(key, request, response, rules, state):
    """Give `response` its validators and Cache-Control and keep it under `key` if every
    reader may have it; return it (as kept) or None."""
    if not shareable(request, response):
        return None
    etag = quote_etag(key[5:37])
    last_modified = last_change(state)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if rules.max_age is None:
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.PAGE_CACHE_SECONDS,
            stale_while_revalidate=STALE_WHILE_REVALIDATE,
        )
    else:
        patch_cache_control(response, public=True, max_age=rules.max_age)
    kept = {
        "content": response.content,
        "headers": [(h, v) for h, v in response.items() if h.lower() not in NOT_KEPT],
        "etag": etag,
        "last_modified": last_modified,
    }
    cache.set(key, kept, getattr(settings, rules.seconds))
    return kept


def shareable(request, response):
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        # A nonce kept would be every reader's nonce: no protection at all.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
    )


def conditional_status(kept, meta):
    """200, 304 or 412 for a GET or HEAD with these request headers against a kept answer:
    RFC 9110's preconditions in its order (13.2.2), as Django's get_conditional_response."""
    etag, last_modified = kept["etag"], kept["last_modified"]
    if if_match := parse_etags(meta.get("HTTP_IF_MATCH", "")):
        if if_match != ["*"] and etag not in if_match:
            return 412
    elif (since := date(meta, "HTTP_IF_UNMODIFIED_SINCE")) is not None:
        if last_modified > since:
            return 412
    if if_none_match := parse_etags(meta.get("HTTP_IF_NONE_MATCH", "")):
        weak = {tag.removeprefix("W/") for tag in if_none_match}
        return 304 if if_none_match == ["*"] or etag in weak else 200
    since = date(meta, "HTTP_IF_MODIFIED_SINCE")
    return 304 if since is not None and last_modified <= since else 200


def date(meta, header):
    """An HTTP date header as a timestamp; None when absent or not a date."""
    value = meta.get(header)
    return parse_http_date_safe(value) if value else None


def replay(kept, meta):
    """(status, headers, body) answering a request with these headers from a kept answer."""
    status = conditional_status(kept, meta)
    if status == 200:
        content = kept["content"]
        return 200, [*kept["headers"], ("Content-Length", str(len(content)))], content
    headers = [(h, v) for h, v in kept["headers"] if h.lower() not in BODY_HEADERS]
    return status, headers, b""


class PageCacheMiddleware:
    """First after the access log: a kept answer needs nothing the others do."""

    def __init__(self, get_response):
        self.get_response = get_response
        namespace()

    def __call__(self, request):
        rules = page_rules(request.path_info) if cacheable(request) else None
        if rules is None:
            return self.get_response(request)
        if has_session(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        # A public page for a reader without a session: read from the replica, if there is one,
        # the generation included, from here to the end (caching.replica).
        with pinned():
            state = content_state()
            key = page_key(request, rules, state)
            kept = cache.get(key) if key else None
            if kept is None:
                response = self.get_response(request)
                kept = keep(key, request, response, rules, state) if key else None
                if kept is None:
                    return response
        status, headers, content = replay(kept, request.META)
        response = HttpResponse(content, status=status)
        if status != 200:
            del response["Content-Type"]
        for header, value in headers:
            response.headers[header] = value
        return response
