"""A task for the worker tests: it notes each run in a file, then waits for a release file."""

import os
import time
from pathlib import Path

from django.tasks import task


@task
def hold(folder):
    folder = Path(folder)
    with open(folder / "runs", "a") as runs:
        runs.write(f"{os.getpid()}\n")
    # Polls a file the test writes: the task runs in another process, and must stay running
    # (its worker renewing the lease) for as long as the test needs.
    while not (folder / "release").exists():
        time.sleep(0.05)
    return "released"
