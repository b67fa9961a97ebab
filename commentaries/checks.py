"""What `check --deploy` (and so `make serve`) says about the site's public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host

from commentaries.addresses import SITE_URL_HELP


@checks.register(deploy=True)
def site_url(app_configs, **kwargs):
    """SITE_URL is set (settings refuse to start without it when DEBUG is off; this says so
    under DEBUG too), names a host the site answers to, and is https behind DJANGO_HTTPS."""
    if not settings.SITE_URL:
        return [
            checks.Warning(
                "SITE_URL is not set: absolute addresses take the request's scheme and host, "
                "and those made outside a request (the worker, commands) http://127.0.0.1:PORT.",
                hint=SITE_URL_HELP + " It is required when DEBUG is off.",
                id="commentaries.W001",
            )
        ]
    found = []
    parts = urlsplit(settings.SITE_URL)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if not validate_host(host, settings.ALLOWED_HOSTS):
        found.append(
            checks.Warning(
                f"SITE_URL's host {parts.hostname} is not in DJANGO_ALLOWED_HOSTS: the links the "
                "site hands out would be refused.",
                id="commentaries.W002",
            )
        )
    if getattr(settings, "HTTPS", False) and parts.scheme != "https":
        found.append(
            checks.Warning(
                "DJANGO_HTTPS=1 but SITE_URL starts with http://: every address the site hands "
                "out would be redirected.",
                id="commentaries.W003",
            )
        )
    return found
