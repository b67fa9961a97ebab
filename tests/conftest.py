import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, connections

from commentaries.caching import freshness
from commentaries.models import Commentary
from tests.factories import PASSWORD, staff_member

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; live_server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def compiled_messages():
    """The translations compiled as `make test` compiles them, for pytest run alone."""
    for catalogue in ROOT.glob("locale/*/LC_MESSAGES/django.po"):
        compiled = catalogue.with_suffix(".mo")
        stale = not compiled.exists() or compiled.stat().st_mtime < catalogue.stat().st_mtime
        if stale and shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "--check-format", "-o", compiled, catalogue], check=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def own_media(settings, media_root):
    """Stored files (cards, PDFs, pictures) go to a folder of this test process's own, not to
    var/media: pytest-xdist workers never write one file at once, nor leave files for `make run`."""
    settings.MEDIA_ROOT = media_root


# One name per role across the suite: `editor` is always a member of Editors, `contributor` of
# Contributors, `superuser` a superuser.
@pytest.fixture
def editor(db):
    return staff_member("editor", "Editors")


@pytest.fixture
def contributor(db):
    return staff_member("contributor", "Contributors")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "admin@example.org", PASSWORD)


@pytest.fixture
def seed(db):
    """AJISS-Commentary No.210 as the seed migration left it."""
    return Commentary.objects.get(series__is_primary=True, number=210)


class TaskWorkers:
    """Real `manage.py worker` processes on the test database, started and killed by the test."""

    def __init__(self, env):
        self.env = env
        self.processes = []

    def command(self, *args):
        return [sys.executable, "manage.py", "worker", "--verbosity", "0", *args]

    def start(self, **env):
        process = subprocess.Popen(
            self.command("--interval", "0.1"),
            cwd=ROOT, env=self.env | env, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def batch(self, **env):
        """Record due events, run every ready task, and exit."""
        subprocess.run(
            self.command("--batch"), cwd=ROOT, env=self.env | env, check=True, timeout=120
        )

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


def database_url(settings_dict):
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    host = f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    return f"postgres://{user}@{host}/{settings_dict['NAME']}"


@pytest.fixture
def task_workers(django_db_serialized_rollback, transactional_db, settings):
    """Tasks go to the database queue, as in production, and real workers run them.

    Serialized rollback: the flush after the test then leaves the database empty (no
    post_migrate rows), so a later serialized_rollback test can restore the seed into it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = os.environ | {
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_DEBUG": "1",
        "TASKS_BACKEND": "database",
        "EVENT_CLOCK_SECONDS": "0.5",
        # A killed worker's task comes back within seconds, not the production half-minute.
        "TASK_LEASE_SECONDS": "4",
        "SITE_URL": settings.SITE_URL,
        "WEBSUB_HUB_URL": settings.WEBSUB_HUB_URL,
    }
    workers = TaskWorkers(env)
    yield workers
    workers.stop_all()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Let serialized_rollback restore the seed in every browser test, not just the first.

    Playwright runs a test inside its event loop, where Django gives the test a connection
    object of its own; the serialized database lives on the first one, so share it.
    """
    for conn in connections.all():
        if hasattr(conn, "_test_serialized_contents"):
            type(conn)._test_serialized_contents = conn._test_serialized_contents


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, so nothing one test rendered is served to another.

    Content types too: a transactional test's flush makes them anew with other ids, and a
    revision saved with a remembered id would point at none. And this process's reading of
    the content generation, which a rolled-back test may have moved.
    """
    cache.clear()
    freshness.forget()
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://..."))
        if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
            item.add_marker(
                pytest.mark.skip(reason="needs Debian's chromium (apt-get install chromium)")
            )


def pytest_report_header(config):
    database = connection.settings_dict
    return f"database: {connection.vendor} ({database['NAME']})"
