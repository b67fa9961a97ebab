import pytest
from django.core.exceptions import ImproperlyConfigured

from web.email_url import parse

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_and_credentials():
    assert parse("smtp+tls://user%40example.org:p%40ss@mail.example.org:587?timeout=5") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5.0,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay", 25, False, False),
        ("smtp://127.0.0.1:2525", 2525, False, False),
        ("smtp+tls://relay", 587, True, False),
        ("smtp+ssl://relay", 465, False, True),
        ("smtps://relay", 465, False, True),
    ],
)
def test_smtp_ports_and_encryption(url, port, tls, ssl):
    settings = parse(url)
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )


def test_console():
    assert parse("console://")["EMAIL_BACKEND"] == "commentaries.alerts.console.EmailBackend"


@pytest.mark.parametrize(
    "url", ["smtp://relay:port", "imap://relay", "relay:25", "smtp://r?timeout=x"]
)
def test_bad_urls_say_what_is_wrong(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse(url)
