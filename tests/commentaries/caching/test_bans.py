"""Publication events ban public pages at FRONT_CACHE_URLS (a local server stands in)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from commentaries.models import Commentary
from commentaries.publishing import services
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def front_cache(settings):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_BAN(self):
            received.append((self.command, self.headers["X-Ban-Path"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONT_CACHE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield received
    server.shutdown()
    thread.join()


def test_publishing_bans_public_pages_once(front_cache):
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    services.commentary_publish(commentary=draft, by=None)
    assert front_cache == [("BAN", "^/(?!static/)")]
    services.commentary_correct(commentary=draft, by=None, note="Figures corrected.")
    assert len(front_cache) == 2


def test_without_a_front_cache_nothing_is_sent(settings, front_cache):
    settings.FRONT_CACHE_URLS = []
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    services.commentary_publish(commentary=draft, by=None)
    assert front_cache == []
