"""One log line per request: method, path, status, duration and the client's address (behind
DJANGO_PROXY_COUNT proxies, clients.address), as fields of the record.

settings.LOGGING turns each record into a JSON line when DEBUG is off. AccessLogMiddleware logs
what Django answers; the page cache's WSGI front (commentaries/caching/front.py) logs what it
answers before Django, through log_request() too.
"""

import logging
import time

from clients.address import client_address

logger = logging.getLogger("access")


def log_request(request, status, started):
    """Log `request`, answered with `status`, begun at time.perf_counter() `started`."""
    fields = {
        "method": request.method,
        "path": request.path,
        "status": status,
        "client": client_address(request),
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    logger.info("%(method)s %(path)s %(status)s", fields, extra=fields)


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        log_request(request, response.status_code, started)
        return response
