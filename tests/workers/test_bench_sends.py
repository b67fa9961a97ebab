"""`make bench-sends` at a small size: the script runs, and every subscriber gets one alert."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import ROOT, database_url

pytestmark = pytest.mark.postgres


def test_bench_sends_delivers_each_alert_once_and_a_confirmation_mid_blast(db):
    base = database_url(connection.settings_dict)
    env = os.environ | {"DATABASE_URL": base, "BENCH_SUBSCRIBERS": "300"}
    try:
        run = subprocess.run(
            [sys.executable, "scripts/bench_sends.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        table = run.stdout
        assert run.returncode == 0, table + run.stderr[-3000:]
        assert "| lost | 0 |" in table and "| doubled | 0 |" in table
    finally:
        name = f"{connection.settings_dict['NAME']}_bench_sends"
        subprocess.run(
            ["psql", database_url(connection.settings_dict | {"NAME": "postgres"}), "-qc",
             f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
            check=False,
        )  # fmt: skip
