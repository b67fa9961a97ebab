"""What `check --deploy` (and so `make serve`) says about the site's public address and where
its files are kept."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host

from commentaries import files
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


@checks.register(deploy=True)
def shared_storage(app_configs, **kwargs):
    """With DEBUG off, files (PDF editions, pictures, cards, deposits) must be where every host
    finds them: a PDF rendered by a worker on one machine is served by a web host on another."""
    if settings.DEBUG or settings.MEDIA_ONE_HOST or files.shared_between_hosts():
        return []
    return [
        checks.Warning(
            "Files (PDF editions, pictures, share cards, deposits) are kept on this machine's "
            f"file system ({settings.MEDIA_ROOT}), which the other hosts of a site on several "
            "machines do not see.",
            hint="Set MEDIA_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://...&"
            "region_name=... (S3-compatible storage; keys in AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY), or MEDIA_ONE_HOST=1 when the site runs on this one "
            "machine alone. See README.md, section Production.",
            id="commentaries.W004",
        )
    ]
