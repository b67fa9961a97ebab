"""Behind DJANGO_PROXY_COUNT trusted proxies: the client is the address they appended, and
lockouts are per username and client address, with the address alone throttled."""

import logging
import subprocess

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import RequestFactory

from clients.address import client_address
from tests.config.test_settings import ROOT, production_env, python_says

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PROXY = "10.0.0.1"  # REMOTE_ADDR: the proxy itself


@pytest.fixture
def editor():
    return User.objects.create_superuser("editor", "editor@example.org", "a-Pass-12345")


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def log_in(client, password, client_ip, username="editor", spoofed="203.0.113.66"):
    """A login through the proxy: the client sent its own X-Forwarded-For, the proxy appended
    the address it saw."""
    forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no proxy: the header is the client's word, ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # never the left-most entry
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", PROXY),  # came past the proxy: only the peer is known
        (2, "198.51.100.7", PROXY),
        (1, "2001:db8::1, 2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_client_is_the_entry_the_trusted_proxies_appended(
    settings, count, forwarded, expected
):
    settings.PROXY_COUNT = count
    meta = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_failures_from_one_client_never_lock_the_password_out_elsewhere(
    client, editor, behind_one_proxy
):
    for _ in range(5):
        log_in(client, "wrong", "198.51.100.7")
    assert log_in(client, "a-Pass-12345", "198.51.100.7").status_code == 429
    # The same spoofed left-most entry, another real client: not locked out.
    assert log_in(client, "a-Pass-12345", "192.0.2.44").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_an_address_spraying_many_usernames_is_throttled(
    client, editor, settings, behind_one_proxy
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(7):
        assert log_in(client, "wrong", "198.51.100.9", username=f"user{n}").status_code == 200
    assert log_in(client, "wrong", "198.51.100.9", username="user7").status_code == 429
    # No username failed five times, but the address has failed eight: it is locked out.
    assert log_in(client, "a-Pass-12345", "198.51.100.9").status_code == 429
    assert log_in(client, "a-Pass-12345", "192.0.2.45").status_code == 302


def test_the_access_log_shows_the_client(client, caplog, behind_one_proxy):
    caplog.set_level(logging.INFO, logger="access")
    client.get("/healthz", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    [record] = [r for r in caplog.records if r.name == "access"]
    assert record.client == "198.51.100.7"


def test_https_defaults_to_one_proxy_and_plain_http_to_none():
    code = "print(settings.PROXY_COUNT)"
    assert python_says(code, production_env()) == "1"
    assert python_says(code, production_env(DJANGO_HTTPS=None)) == "0"
    assert python_says(code, production_env(DJANGO_PROXY_COUNT="2")) == "2"


def test_development_uses_a_random_key_kept_under_var():
    env = production_env(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None, DJANGO_HTTPS=None)
    first = python_says("print(settings.SECRET_KEY)", env)
    assert python_says("print(settings.SECRET_KEY)", env) == first  # kept, not remade
    key_file = ROOT / "var" / "secret_key"
    assert key_file.read_text().strip() == first and len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    ignored = subprocess.run(["git", "check-ignore", "-q", str(key_file)], cwd=ROOT)
    assert ignored.returncode == 0  # never committed
