"""Varnish (Debian's, with deploy/varnish.vcl) in front of the live test server."""

import re
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from commentaries.editorial import preview
from commentaries.models import Commentary
from commentaries.publishing import services
from tests.factories import CommentaryFactory
from tests.ports import free_port
from tests.servers import Varnish, varnish_config, varnish_skip_reason

pytestmark = [
    pytest.mark.skipif(bool(varnish_skip_reason()), reason=str(varnish_skip_reason())),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Front(str):
    """Varnish's address, and the port of its listener for a TLS terminator (tls_port)."""


@pytest.fixture
def front(live_server, tmp_path, settings):
    """Varnish on loopback in front of the live server, and the site telling it of events."""
    settings.DEBUG = False  # the page cache and its headers, as in production
    port = free_port()
    tls_port = free_port()
    backend = urlsplit(live_server.url)
    written = varnish_config(
        "--backend", f"{backend.hostname}:{backend.port}", "--purge-from", "127.0.0.1,::1",
        str(tmp_path),
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    varnish = Varnish(
        tmp_path,
        f"127.0.0.1:{port}",
        # where a TLS terminator (hitch, HAProxy) hands readers' connections over, PROXY protocol
        extra=["-a", f"tls=127.0.0.1:{tls_port},PROXY"],
    ).start()
    base = Front(varnish.url)
    base.tls_port = tls_port
    settings.FRONT_CACHE_URLS = [f"{base}/"]
    yield base
    varnish.stop()


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def from_varnish(headers):
    """X-Varnish holds two transaction ids on a hit: this request's and the stored object's."""
    return len(headers["X-Varnish"].split()) == 2


def test_public_pages_come_from_varnish_and_a_publication_shows_at_once(front):
    CommentaryFactory(title="Already out")
    draft = CommentaryFactory(title="Quokka summit", status=Commentary.Status.DRAFT)
    status, headers, body = get(f"{front}/")
    assert status == 200 and "Already out" in body
    assert "s-maxage=" in headers["Cache-Control"]
    status, headers, body = get(f"{front}/")
    assert from_varnish(headers), headers
    assert "Quokka summit" not in body

    services.commentary_publish(commentary=draft, by=None)  # its event bans public pages

    status, headers, body = get(f"{front}/")
    assert not from_varnish(headers)
    assert "Quokka summit" in body


def test_drafts_previews_the_admin_and_sessions_never_enter_varnish(front, client):
    draft = CommentaryFactory(title="Secret draft", status=Commentary.Status.DRAFT)
    link = reverse("commentaries:preview", kwargs={"token": preview.preview_token(draft)})
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "a-Pass-12345"))
    session = f"sessionid={client.cookies['sessionid'].value}"
    for path, cookie in [
        (draft.get_absolute_url(), None),  # a 404 for readers
        (draft.get_absolute_url(), session),  # the staff preview
        (link, None),  # an outside reviewer's preview link
        ("/admin/login/", None),
        ("/admin/", session),
        ("/", session),
    ]:
        for _ in range(2):
            status, headers, body = get(f"{front}{path}", cookie)
        assert not from_varnish(headers), (path, cookie, headers)


def through_tls_terminator(port, path, reader="198.51.100.7"):
    """A GET as a TLS terminator hands it to Varnish's tls listener: the PROXY protocol line
    naming the reader's address, then the request as the reader sent it."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(
            f"PROXY TCP4 {reader} 127.0.0.1 40000 443\r\n".encode()
            + f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.decode()


def canonical(html):
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def test_no_reader_can_set_x_forwarded_proto_and_the_tls_listener_sets_it(front, settings):
    """Varnish drops a client's X-Forwarded-Proto and sets it only for connections a TLS
    terminator hands it (the listener named tls), so no stored page depends on a header a
    reader can write, even where the site believes the header (DJANGO_HTTPS=1)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    path = CommentaryFactory(title="Read by all").get_absolute_url()
    request = urllib.request.Request(f"{front}{path}", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert canonical(response.read().decode()).startswith("http://")
    status, headers, body = get(f"{front}{path}")
    assert from_varnish(headers) and canonical(body).startswith("http://")

    answer = through_tls_terminator(front.tls_port, path)
    assert answer.startswith("HTTP/1.1 200") and canonical(answer).startswith("https://")
    status, headers, body = get(f"{front}{path}")
    assert canonical(body).startswith("http://")  # each kept apart from the other
