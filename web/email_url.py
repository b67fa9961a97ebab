"""EMAIL_URL to Django's e-mail settings, in a few lines rather than a dependency.

    smtp://host:port                     plain SMTP (a local relay; port 25 if none)
    smtp+tls://user:password@host:587    SMTP with STARTTLS (submission)
    smtp+ssl://user:password@host:465    SMTP over TLS from the first byte (also smtps://)
    console://                           print each message on stdout, decoded (development)
    memory://                            keep messages in django.core.mail.outbox (tests)

User and password are percent-decoded (a password with "@" is written "%40"); `?timeout=N`
sets the connection timeout in seconds (default 30).

Kept here rather than taken from a library because none reads these forms as they are meant:
dj-email-url (last released 2022) has no smtp+tls:// and takes smtps:// for STARTTLS;
django-environ spells the console consolemail://; django-service-urls leaves user and password
percent-encoded, defaults every port to 25 and patches Django at start-up.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
BACKENDS = {
    "smtp": SMTP,
    "smtp+tls": SMTP,
    "smtp+ssl": SMTP,
    "smtps": SMTP,
    "console": "commentaries.alerts.console.EmailBackend",  # printed decoded
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse(url):
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(s + '://' for s in BACKENDS)}."
        )
    try:
        port = parts.port
        timeout = float(parse_qs(parts.query).get("timeout", ["30"])[0])
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL: {error}") from None
    tls, ssl = parts.scheme == "smtp+tls", parts.scheme in ("smtp+ssl", "smtps")
    return {
        "EMAIL_BACKEND": BACKENDS[parts.scheme],
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port or (587 if tls else 465 if ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": timeout,
    }
