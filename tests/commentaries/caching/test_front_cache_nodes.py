"""Several front caches: each node of FRONT_CACHE_URLS banned once per publication event by a
durable task of its own, a node that is down asked again later, and Varnish's purge ACL
rendered by deploy/varnish-config."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commentaries.caching.models import FrontCacheBan
from commentaries.models import Commentary
from commentaries.publishing import services
from tests.commentaries.caching.test_varnish import VARNISHD, free_port
from tests.factories import CommentaryFactory

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


class Node:
    """A front-cache node on loopback that records the BANs it receives; down until started."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.bans = []
        self.server = None

    def start(self):
        bans = self.bans

        class Handler(BaseHTTPRequestHandler):
            def do_BAN(self):
                bans.append(self.headers["X-Ban-Path"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def nodes():
    up, down = Node(), Node()
    up.start()
    yield up, down
    up.stop()
    down.stop()


def test_each_node_is_banned_once_and_one_that_was_down_when_it_comes_back(
    task_workers, nodes, settings
):
    up, down = nodes
    urls = [up.url, down.url]
    settings.FRONT_CACHE_URLS = urls
    draft = CommentaryFactory(status=Commentary.Status.DRAFT)
    services.commentary_publish(commentary=draft, by=None)

    task_workers.batch(FRONT_CACHE_URLS=",".join(urls))

    assert up.bans == ["^/(?!static/)"]
    banned = FrontCacheBan.objects.get(node=up.url)
    assert banned.banned_at is not None and banned.attempts == 0
    pending = FrontCacheBan.objects.get(node=down.url)
    assert pending.banned_at is None and pending.attempts >= 1 and pending.last_error
    assert pending.event_id == banned.event_id
    # Asked again later (the worker may have made the first retry already, on a slow machine).
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_path.endswith("ban_node") and retry.run_after is not None

    down.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # its time comes
    task_workers.batch(FRONT_CACHE_URLS=",".join(urls))

    assert down.bans == ["^/(?!static/)"]
    assert up.bans == ["^/(?!static/)"]  # still once
    assert FrontCacheBan.objects.filter(banned_at=None).count() == 0
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def front_cache_urls(**env):
    """(exit status, FRONT_CACHE_URLS or the error) of a process started with env."""
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(' '.join(settings.FRONT_CACHE_URLS))"
    env = {"FRONT_CACHE_URLS": "", "FRONT_CACHE_URL": "", **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return result.returncode, (result.stdout or result.stderr).strip()


def test_the_nodes_setting_its_one_node_spelling_and_a_bad_address():
    both = front_cache_urls(FRONT_CACHE_URLS="http://10.0.0.5:6081/, https://purge.example/")
    assert both == (0, "http://10.0.0.5:6081/ https://purge.example/")
    assert front_cache_urls(FRONT_CACHE_URL="http://127.0.0.1:8000/") == (
        0,
        "http://127.0.0.1:8000/",
    )
    status, error = front_cache_urls(FRONT_CACHE_URLS="varnish-a:6081")
    assert status == 1 and "'varnish-a:6081' is not one" in error


def varnish_config(*args):
    return subprocess.run(
        [str(DEPLOY / "varnish-config"), *args], capture_output=True, text=True, timeout=30
    )


def test_the_shipped_acl_is_what_the_script_writes_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("FRONT_CACHE_PURGE_FROM", raising=False)
    assert varnish_config(str(tmp_path)).returncode == 0
    assert (tmp_path / "purgers.vcl").read_text() == (DEPLOY / "purgers.vcl").read_text()


def test_a_bad_address_is_refused_and_nothing_is_written(tmp_path):
    result = varnish_config("--purge-from", "10.0.0.0/8,varnish.example", str(tmp_path))
    assert result.returncode == 1
    assert "varnish.example" in result.stderr
    assert not (tmp_path / "purgers.vcl").exists()


def ban_status(purge_from, tmp_path):
    """The status Varnish answers a BAN from loopback with, its ACL written from purge_from."""
    config = tmp_path / purge_from.replace("/", "_")
    written = varnish_config("--backend", "127.0.0.1:9", "--purge-from", purge_from, str(config))
    assert written.returncode == 0, written.stderr
    port = free_port()
    varnish = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(config / "work"), "-a", f"127.0.0.1:{port}"]
        + ["-p", f"vcl_path={config}:{DEPLOY}", "-f", str(DEPLOY / "varnish.vcl")]
        + ["-s", "malloc,8m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/", method="BAN", headers={"X-Ban-Path": "^/"}
    )
    try:
        for _ in range(100):  # varnishd compiles the VCL before it listens
            try:
                with urllib.request.urlopen(request, timeout=1) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                assert varnish.poll() is None, "varnishd exited"
                time.sleep(0.1)
    finally:
        varnish.terminate()
        varnish.wait(timeout=10)
    raise AssertionError("varnishd never answered")


@pytest.mark.skipif(
    not os.access(VARNISHD, os.X_OK), reason="needs Debian's varnish (apt-get install varnish)"
)
def test_varnish_takes_bans_only_from_the_addresses_it_is_given(tmp_path):
    assert ban_status("10.0.0.0/8, 192.0.2.7", tmp_path) == 405
    assert ban_status("10.0.0.0/8,127.0.0.0/8", tmp_path) == 200
