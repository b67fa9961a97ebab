import importlib

import pytest
from django.apps import apps

from commentaries import search
from commentaries.models import Commentary

seed_migration = importlib.import_module("commentaries.migrations.0002_seed_ajiss_commentary_210")


@pytest.fixture(autouse=True)
def seed_loaded(request):
    """No.210 as the seed migration leaves it, in every browser test.

    serialized_rollback restores it only for the first test that uses live_server: after that
    pytest-django's flush leaves the tables empty (pytest-django issues 329 and 1062).
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("live_server")
    if not Commentary.objects.filter(number=210).exists():
        seed_migration.load_seed(apps, None)
        search.index_commentaries(Commentary.objects.values_list("pk", flat=True))
