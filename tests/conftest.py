import os
import shutil

import pytest
from django.db import connection, connections

from commentaries.models import Commentary

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; live_server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def seed(db):
    """AJISS-Commentary No.210 as the seed migration left it."""
    return Commentary.objects.get(series__is_primary=True, number=210)


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized database where every connection object finds it.

    Once Playwright's sync API has started, tests see new connection objects (Django keeps them
    per context), which lack the snapshot serialized_rollback restores the seed from: every
    browser test after the first would start with an empty database.
    """
    for alias in connections:
        connection = connections[alias]
        if hasattr(connection, "_test_serialized_contents"):
            type(connection)._test_serialized_contents = connection._test_serialized_contents
