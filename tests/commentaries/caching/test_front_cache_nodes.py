"""Several front caches: each node of FRONT_CACHE_URLS banned once per publication event by a
durable task of its own, a node that is down asked again later, and Varnish's purge ACL and
backends rendered by deploy/varnish-config."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commentaries.caching.models import FrontCacheBan
from commentaries.models import Commentary
from commentaries.publishing import services
from tests.factories import CommentaryFactory
from tests.ports import free_port
from tests.servers import (
    DEPLOY,
    VARNISHD,
    BanRecorder,
    Varnish,
    varnish_config,
    varnish_skip_reason,
)


@pytest.fixture
def nodes():
    up, down = BanRecorder(), BanRecorder()
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
    varnish = Varnish(config, f"127.0.0.1:{free_port()}", storage="malloc,8m").start()
    request = urllib.request.Request(f"{varnish.url}/", method="BAN", headers={"X-Ban-Path": "^/"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    finally:
        varnish.stop()


@pytest.mark.skipif(bool(varnish_skip_reason()), reason=str(varnish_skip_reason()))
def test_varnish_takes_bans_only_from_the_addresses_it_is_given(tmp_path):
    assert ban_status("10.0.0.0/8, 192.0.2.7", tmp_path) == 405
    assert ban_status("10.0.0.0/8,127.0.0.0/8", tmp_path) == 200


def test_several_web_hosts_are_probed_behind_one_director(tmp_path):
    written = varnish_config(
        "--backend", "10.0.0.11:8000,10.0.0.12:8000", "--host", "example.org", str(tmp_path)
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    vcl = (tmp_path / "backend.vcl").read_text()
    assert '"GET /healthz?web HTTP/1.1" "Host: example.org"' in vcl
    assert 'backend web1 { .host = "10.0.0.11"; .port = "8000"; .probe = web_host; }' in vcl
    assert 'backend web2 { .host = "10.0.0.12"; .port = "8000"; .probe = web_host; }' in vcl
    assert "web.add_backend(web1);\n    web.add_backend(web2);" in vcl
    if not varnish_skip_reason():  # and varnishd compiles deploy/varnish.vcl with it
        compiled = subprocess.run(
            [VARNISHD, "-C", "-j", "none", "-n", str(tmp_path / "work"),
             "-p", f"vcl_path={tmp_path}:{DEPLOY}",
             "-f", str(DEPLOY / "varnish.vcl")],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert compiled.returncode == 0, compiled.stderr


def test_several_web_hosts_need_the_host_their_probes_ask_for(tmp_path):
    written = varnish_config("--backend", "10.0.0.11:8000,10.0.0.12:8000", str(tmp_path))
    assert written.returncode == 1 and "--host" in written.stderr
    assert not (tmp_path / "backend.vcl").exists()
