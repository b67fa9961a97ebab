import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commentaries.publishing import services
from commentaries.publishing.models import PublicationEvent
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
def hub(settings):
    """A local hub in settings."""
    hub = Hub()
    server = hub.serve()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/hub"
    settings.SITE_URL = SITE
    yield hub
    server.shutdown()
    server.server_close()


def wait_for(condition, seconds=60):
    """Poll a condition that another process makes true; fail with a clear message if it never does."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker"
        time.sleep(0.05)


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
    piece = CommentaryFactory(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.commentary_publish(commentary=piece, by=None)
    assert DBTaskResult.objects.count() == 0


def test_publishing_pings_every_feed_of_the_piece_after_commit(
    db, hub, django_capture_on_commit_callbacks
):
    piece = CommentaryFactory(status="draft", topics=["Japan"])
    with django_capture_on_commit_callbacks(execute=True):
        services.commentary_publish(commentary=piece, by=None)
        assert hub.pings == []  # nothing before the transaction commits
    authors = [f"/authors/{author.slug}/" for author in piece.authors.all()]
    expected = feed_urls("/", "/series/ajiss-commentary/", *authors, "/topics/japan/")
    assert sorted(hub.topics()) == sorted(expected)
    for content_type, fields, _ in hub.pings:
        assert content_type == "application/x-www-form-urlencoded"
        assert fields["hub.mode"] == ["publish"]
    assert PublicationEvent.objects.filter(commentary=piece, kind="public").count() == 1


def test_a_ping_survives_killing_the_worker_while_the_hub_is_down(hub, task_workers):
    """The ping is a task in the database: the web process that enqueued it may go, the worker
    may be killed mid-ping, and the hub still hears of every feed once it answers again."""
    hub.statuses = [503] * 6
    piece = CommentaryFactory(status="draft")
    services.commentary_publish(commentary=piece, by=None)  # commits: transactional_db
    # Queued, not run: the web process neither records the event nor pings; the worker does.
    assert DBTaskResult.objects.get().task_path.endswith(".record_events")

    worker = task_workers.start()
    wait_for(lambda: len(hub.pings) >= 6)  # every feed refused
    task_workers.kill(worker)
    assert hub.topics() == []

    task_workers.start()  # requeues what the dead worker held; retries come due
    expected = feed_urls("/", "/series/ajiss-commentary/")
    wait_for(lambda: set(hub.topics()) >= expected)
    assert sorted(set(hub.topics())) == sorted(expected)


def test_a_scheduled_piece_is_announced_at_its_time_with_no_request_and_once(hub, task_workers):
    task_workers.start()
    time_due = timezone.now() + dt.timedelta(seconds=2)
    piece = CommentaryFactory(status="draft")
    services.commentary_schedule(commentary=piece, by=None, at=time_due)
    assert hub.pings == []  # not public yet: nothing to announce

    wait_for(lambda: set(hub.topics()) >= feed_urls("/", "/series/ajiss-commentary/"))
    [event] = PublicationEvent.objects.filter(commentary=piece)
    assert event.kind == "public" and event.occurred_at >= time_due
    # Stop the worker once the ping task has finished: a task killed while it runs is run
    # again by the next worker (at least once), which is a different test's business.
    pings = DBTaskResult.objects.filter(task_path__endswith=".ping_hub")
    wait_for(lambda: pings.filter(status="SUCCESSFUL").exists())
    task_workers.stop_all()
    task_workers.batch()  # another pass over everything due finds nothing new
    assert PublicationEvent.objects.filter(commentary=piece).count() == 1
    assert len(hub.pings) == 6


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
    assert f"{SITE}/feeds/rss/" in hub.topics()
