"""The WSGI front: kept public pages answered before Django is entered.

config/wsgi.py wraps Django's application in Front. A GET or HEAD of a marked page
(caching.pages) from a reader without a session, whose answer is kept under the generation this
process last read (caching.freshness.known_state(), which never queries), is answered here:
the kept body and headers (Content-Security-Policy, the security headers, ETag, Last-Modified,
Cache-Control, Vary, as Django's middleware gave them when the page was kept), a 304 when the
reader's copy holds, and one access log line, as for every request. It spends on that what the
answer needs and no more: no middleware, no request signals, no database.

Everything else goes to Django, where PageCacheMiddleware, first after the access log, answers
from the same entries after reading the generation, or keeps what the rest renders: a miss, a
reader with a session, a reading of the generation older than FRESHNESS_SECONDS (about one
request a second in each process), a scheduled piece's time come, DEBUG. The key is made from
the same request by the same code (caching.pages.page_key), so the front answers only what
Django would have answered itself from the cache.
"""

import functools
import time
from http import HTTPStatus

from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest

from commentaries.caching.freshness import known_state
from commentaries.caching.pages import cacheable, has_session, page_key, page_rules, replay
from web.access_log import log_request

STATUS_LINES = {status: f"{status.value} {status.phrase}" for status in HTTPStatus}
# Addresses whose rules this process remembers (resolving one costs 20-40 µs).
REMEMBERED_ADDRESSES = 1024


class Front:
    def __init__(self, application):
        self.application = application
        self.rules = functools.lru_cache(maxsize=REMEMBERED_ADDRESSES)(page_rules)

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            # A copy: WSGIRequest writes the decoded path into what it is given, and Django
            # makes its own request from the original.
            request = WSGIRequest(dict(environ))
            kept = self.kept(request)
            if kept is not None:
                status, headers, content = replay(kept, request.META)
                start_response(STATUS_LINES[status], headers)
                log_request(request, status, started)
                return [content]
        return self.application(environ, start_response)

    def kept(self, request):
        """The kept answer for `request`, if this process may give it without Django."""
        if not cacheable(request) or has_session(request):
            return None
        state = known_state()
        if state is None:
            return None
        rules = self.rules(request.path_info)
        if rules is None:
            return None
        try:
            key = page_key(request, rules, state)
        except SuspiciousOperation:
            return None  # too many query fields, say: Django answers 400
        return cache.get(key) if key else None
