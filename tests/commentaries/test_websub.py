import datetime as dt
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from commentaries import websub
from tests.factories import CommentaryFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

SITE = "https://commentaries.example.org"
KINDS = ["rss", "atom", "json"]


class Hub:
    """A WebSub hub on localhost: records each ping and answers with the queued statuses."""

    def __init__(self):
        self.pings = []  # (Content-Type, form fields, status answered)
        self.statuses = []  # answered in turn; 204 once used up
        self.runs = []  # one per ping run: the thread it ran on
        self.finished = threading.Event()

    def serve(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                status = hub.statuses.pop(0) if hub.statuses else 204
                hub.pings.append((self.headers["Content-Type"], parse_qs(body), status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return server

    def topics(self):
        return [fields["hub.url"][0] for _, fields, status in self.pings if status == 204]


@pytest.fixture
def hub(settings, monkeypatch):
    """A local hub in settings, no waiting between retries, and a signal when pinging ends."""
    hub = Hub()
    server = hub.serve()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/hub"
    settings.SITE_URL = SITE
    monkeypatch.setattr(websub, "RETRY_DELAYS", (0, 0, 0))
    ping = websub.ping

    def observed_ping(*args):
        hub.runs.append(threading.current_thread())
        ping(*args)
        hub.finished.set()

    monkeypatch.setattr(websub, "ping", observed_ping)
    yield hub
    server.shutdown()
    server.server_close()


def feed_urls(*scopes):
    return {f"{SITE}{scope}feeds/{kind}/" for scope in scopes for kind in KINDS}


def test_feeds_name_their_hub_and_themselves(client, seed, settings):
    settings.WEBSUB_HUB_URL = "https://hub.example.net/"
    settings.SITE_URL = SITE
    for kind in ("rss", "atom"):
        links = feedparser.parse(client.get(f"/feeds/{kind}/").content).feed.links
        assert {(link.rel, link.href) for link in links} >= {
            ("hub", "https://hub.example.net/"),
            ("self", f"{SITE}/feeds/{kind}/"),
        }
    feed = client.get("/authors/junya-nishino/feeds/json/").json()
    assert feed["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]
    assert feed["feed_url"] == f"{SITE}/authors/junya-nishino/feeds/json/"


def test_without_a_hub_there_is_no_hub_link_and_no_ping(
    client, seed, django_capture_on_commit_callbacks
):
    links = feedparser.parse(client.get("/feeds/atom/").content).feed.links
    assert "hub" not in {link.rel for link in links}
    assert "hubs" not in client.get("/feeds/json/").json()
    with django_capture_on_commit_callbacks() as callbacks:
        websub.notify_hub(seed)
    assert callbacks == []


def test_publishing_pings_every_feed_of_the_piece_after_commit(
    seed, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        websub.notify_hub(seed)
        assert hub.pings == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    assert hub.finished.wait(10)
    assert hub.runs[0] is not threading.main_thread()
    tags = [f"/tags/{tag.slug}/" for tag in seed.tags.all()]
    expected = feed_urls("/", "/series/ajiss-commentary/", "/authors/junya-nishino/", *tags)
    assert sorted(hub.topics()) == sorted(expected)
    for content_type, fields, _ in hub.pings:
        assert content_type == "application/x-www-form-urlencoded"
        assert fields["hub.mode"] == ["publish"]


def test_pings_the_hub_refuses_are_retried(db, hub, caplog, django_capture_on_commit_callbacks):
    hub.statuses = [503, 500]
    commentary = CommentaryFactory()
    with caplog.at_level(logging.INFO, logger="commentaries.websub"):
        with django_capture_on_commit_callbacks(execute=True):
            websub.notify_hub(commentary)
        assert hub.finished.wait(10)
    assert len(hub.pings) == 8
    assert sorted(hub.topics()) == sorted(feed_urls("/", "/series/ajiss-commentary/"))
    assert [r.levelname for r in caplog.records].count("WARNING") == 2
    assert [r.levelname for r in caplog.records].count("INFO") == 6


def test_gives_up_after_the_last_retry_and_says_so(
    db, hub, caplog, django_capture_on_commit_callbacks
):
    hub.statuses = [500] * 24  # six feeds, four attempts each
    with django_capture_on_commit_callbacks(execute=True):
        websub.notify_hub(CommentaryFactory())
    assert hub.finished.wait(10)
    assert len(hub.pings) == 24
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "after 4 attempts" in error.getMessage()


def test_scheduled_piece_is_announced_by_the_first_feed_request_after_its_time(
    client, seed, hub, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    client.get("/feeds/rss/")
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = CommentaryFactory(published_at=timezone.now() + dt.timedelta(minutes=5))
        websub.notify_hub(scheduled)  # not public yet: nothing to announce
    client.get("/feeds/rss/")
    assert hub.runs == []

    time_machine.shift(dt.timedelta(minutes=5))
    client.get("/authors/junya-nishino/feeds/atom/")
    assert hub.finished.wait(10)
    assert sorted(hub.topics()) == sorted(feed_urls("/", "/series/ajiss-commentary/"))
    client.get("/feeds/json/")
    assert len(hub.runs) == 1  # announced once


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("editor", "editor@example.org", "a-Pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_publishing_in_the_admin_pings_the_hub(
    editor_client, hub, django_capture_on_commit_callbacks
):
    piece = CommentaryFactory(status="draft", published_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/commentaries/commentary/",
            {"action": "publish_selected", "_selected_action": [piece.pk]},
        )
    assert hub.finished.wait(10)
    assert f"{SITE}/feeds/rss/" in hub.topics()


def test_a_major_correction_pings_the_hub_a_minor_edit_does_not(
    editor_client, seed, hub, django_capture_on_commit_callbacks
):
    url = f"/admin/commentaries/commentary/{seed.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {**form_data(editor_client.get(url), "commentary_form")})
    assert hub.pings == []
    with django_capture_on_commit_callbacks(execute=True):
        data = form_data(editor_client.get(url), "commentary_form")
        editor_client.post(url, {**data, "major_correction": "on", "correction_note": "Fixed."})
    assert hub.finished.wait(10)
    assert f"{SITE}/feeds/rss/" in hub.topics()
