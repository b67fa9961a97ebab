"""Photograph No.210 as a reader's browser shows it, for the README.

    .venv/bin/python scripts/screenshot.py [OUTPUT]   (default docs/screenshot-210.png)

Migrates a throwaway SQLite database (which loads the seed), serves the site on a free local
port, and takes the screenshot in Debian's Chromium through Playwright.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main(output):
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/commentaries/210/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1100, "height": 1400})
                page.goto(f"http://127.0.0.1:{port}/commentaries/210/")
                page.screenshot(path=output)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    sys.stdout.write(f"wrote {output}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "screenshot-210.png"))
