"""`make serve` as production runs it: gunicorn, DEBUG off, WhiteNoise, JSON logs; then the
same application behind a TLS proxy with DJANGO_HTTPS=1."""

import http.client
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest

from tests.config.test_settings import ROOT, production_env
from tests.ports import free_port


class Server:
    """command, with {port} standing for a free port (in env's values too), run until stop();
    output goes to log."""

    def __init__(self, command, env, log):
        self.port = free_port()
        self.log = log
        env = {key: value.replace("{port}", str(self.port)) for key, value in env.items()}
        self.env = env = env | {"PORT": str(self.port), "WEB_CONCURRENCY": "1"}
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [arg.format(port=self.port) for arg in command],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while not self.answers():
            assert self.process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

    def answers(self):
        try:
            return self.request("/healthz", {"X-Forwarded-Proto": "https"})[0] == 200
        except OSError:
            return False

    def request(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)  # make and the gunicorn it started
        self.process.wait(timeout=30)

    def log_lines(self):
        return [json.loads(line) for line in self.log.read_text().splitlines() if line[:1] == "{"]


# One machine: its files on its own file system (the documented environment names a bucket).
ONE_HOST = {"MEDIA_STORAGE_URL": None, "MEDIA_ONE_HOST": "1"}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('serve') / 'db.sqlite3'}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """make serve's collectstatic writes here, and gunicorn alone reads it, not var/static:
    this module's two make serve may start at once in two pytest-xdist workers."""
    return str(tmp_path_factory.mktemp("static"))


@pytest.fixture(scope="module")
def served(database, static_root, tmp_path_factory):
    """`make serve` over plain HTTP on loopback, with an editor account."""
    env = production_env(
        DJANGO_HTTPS=None,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database,
        SITE_URL="http://127.0.0.1:{port}",
        STATIC_ROOT=static_root,
        **ONE_HOST,
    )
    server = Server(
        ["make", "--no-print-directory", "serve"],
        env,
        tmp_path_factory.mktemp("log") / "serve.log",
    )
    subprocess.run(
        [".venv/bin/python", "manage.py", "createsuperuser", "--noinput", "--username=editor",
         "--email=editor@example.org"],
        cwd=ROOT, env=server.env | {"DJANGO_SUPERUSER_PASSWORD": "a-Pass-12345"}, check=True,
        capture_output=True,
    )  # fmt: skip
    yield server
    server.stop()


def test_serves_pages_and_hashed_compressed_static_files(served):
    status, headers, body = served.request("/")
    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1)
    status, headers, _ = served.request(stylesheet.decode(), {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_logs_one_json_line_per_request(served):
    served.request("/commentaries/?page=1")
    time.sleep(0.2)
    lines = [line for line in served.log_lines() if line.get("logger") == "access"]
    assert {"method": "GET", "path": "/commentaries/", "status": 200} in [
        {key: line[key] for key in ("method", "path", "status")} for line in lines
    ]
    assert all(isinstance(line["duration_ms"], float) for line in lines)


def test_refuses_an_oversized_request_line(served):
    status, _, _ = served.request("/commentaries/?q=" + "x" * 10_000)
    assert status == 414  # URI Too Long, from gunicorn


def test_admin_login_works_over_plain_http(served):
    cookies = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    base = f"http://127.0.0.1:{served.port}"
    form = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"username": "editor", "password": "a-Pass-12345", "csrfmiddlewaretoken": token}
    response = opener.open(f"{base}/admin/login/?next=/admin/", urlencode(data).encode())
    assert response.url == f"{base}/admin/"
    assert "Your desk" in response.read().decode()  # the admin's home is the editors' desk


def test_without_https_no_clients_forwarded_proto_is_believed(served):
    """Without DJANGO_HTTPS no X-Forwarded-Proto is believed, gunicorn's default trust of
    loopback included. Addresses come from SITE_URL whatever the request says; what a client's
    "https" could still do is make the site take its request for HTTPS, which, among other
    things, makes the CSRF check insist on a Referer."""
    cookies = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    base = f"http://127.0.0.1:{served.port}"
    form = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"username": "editor", "password": "a-Pass-12345", "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        f"{base}/admin/login/?next=/admin/",
        urlencode(data).encode(),
        headers={"X-Forwarded-Proto": "https"},  # and, as from a script, no Referer
    )
    response = opener.open(request)  # a 403 would raise
    assert response.url == f"{base}/admin/"


def test_behind_a_tls_proxy_with_https_switched_on(served, database, static_root, tmp_path):
    env = production_env(
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database,
        STATIC_ROOT=static_root,  # what served's collectstatic wrote
        **ONE_HOST,
    )
    command = [
        ".venv/bin/gunicorn",
        "config.wsgi",
        "--no-control-socket",
        "--bind=127.0.0.1:{port}",
    ]
    server = Server(command, env, tmp_path / "log")
    try:
        status, headers, _ = server.request("/")
        assert status == 301 and headers["Location"] == f"https://127.0.0.1:{server.port}/"
        assert server.request("/healthz")[0] == 200  # load balancers probe over plain HTTP
        status, headers, _ = server.request("/admin/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "; secure" in headers["Set-Cookie"].lower()
    finally:
        server.stop()


def process_group(pgid):
    ps = subprocess.run(["ps", "-o", "args=", "-g", str(pgid)], capture_output=True, text=True)
    return ps.stdout.splitlines()


def test_serve_runs_a_task_worker_beside_gunicorn_and_stops_both(database, static_root, tmp_path):
    env = production_env(
        DJANGO_HTTPS=None,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database,
        SITE_URL="http://127.0.0.1:{port}",
        STATIC_ROOT=static_root,
        **ONE_HOST,
    )
    server = Server(["make", "--no-print-directory", "serve"], env, tmp_path / "serve.log")
    group = process_group(server.process.pid)
    assert sum("manage.py worker" in args for args in group) == 1
    assert sum("gunicorn" in args for args in group) >= 2  # the arbiter and its worker
    server.stop()
    deadline = time.monotonic() + 30
    while process_group(server.process.pid):
        assert time.monotonic() < deadline, process_group(server.process.pid)
        time.sleep(0.1)
