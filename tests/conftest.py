import pytest
from django.db import connection

from commentaries.models import Commentary


@pytest.fixture
def seed(db):
    """AJISS-Commentary No.210 as the seed migration left it."""
    return Commentary.objects.get(series__is_primary=True, number=210)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://..."))


def pytest_report_header(config):
    database = connection.settings_dict
    return f"database: {connection.vendor} ({database['NAME']})"
