"""The client's address behind DJANGO_PROXY_COUNT trusted proxies: what logins (django-axes),
the alerts' subscribe throttle and the access log all count and print.

Each trusted proxy appends the address it was connected from to X-Forwarded-For, and the last
one is REMOTE_ADDR. So the hop chain is X-Forwarded-For followed by REMOTE_ADDR, and the client
is PROXY_COUNT hops from its right end: the entry the outermost trusted proxy wrote. Entries
further left are whatever the client chose to send and are never believed. With no proxies,
X-Forwarded-For is ignored.
"""

from django.conf import settings
from python_ipware import IpWare


def client_address(request):
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if not count:
        return remote
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    chain = f"{forwarded}, {remote}" if forwarded else remote
    found, _ = IpWare(precedence=("X_HOPS",), proxy_count=count).get_client_ip({"X_HOPS": chain})
    # Fewer hops than proxies: the request did not come through them all; the nearest peer is
    # the only address known.
    return str(found) if found is not None else remote
