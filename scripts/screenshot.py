"""Photograph the reader's site as a browser shows it, for the README: No.210 at 1280 and 390 px
wide, the home page at 1280 (with twenty generated pieces beside the seed), and in Japanese the
home page at 1280 and the newest Japanese piece at 390.

    .venv/bin/python scripts/screenshot.py [FOLDER]   (default docs/)

Migrates a throwaway SQLite database (which loads the seed), adds the generated pieces, serves
the site on a free local port, and takes the screenshots in Debian's Chromium through Playwright.
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


# (file name, address, viewport width, viewport height)
SHOTS = [
    ("screenshot-210.png", "/commentaries/210/", 1280, 1500),
    ("screenshot-210-phone.png", "/commentaries/210/", 390, 1400),
    ("screenshot-home.png", "/", 1280, 1300),
    ("screenshot-ja-home.png", "/ja/", 1280, 1300),
    ("screenshot-ja-piece-phone.png", "{japanese}", 390, 1400),
]

NEWEST_JAPANESE = """
from django.utils import translation
from commentaries.models import Commentary
with translation.override("ja"):
    print(Commentary.objects.published().in_language("ja").latest("published_at").get_absolute_url())
"""


def main(output):
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
        subprocess.run(
            [*manage, "generate_commentaries", "--count", "20", "--days", "60", "--without-pdfs",
             "--verbosity", "0"],
            env=env, check=True,
        )  # fmt: skip
        japanese = subprocess.run(
            [*manage, "shell", "--no-imports", "-c", NEWEST_JAPANESE],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
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
                for name, path, width, height in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"http://127.0.0.1:{port}{path.format(japanese=japanese)}")
                    page.screenshot(path=str(Path(output) / name))
                    page.close()
                    sys.stdout.write(f"wrote {Path(output) / name}\n")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs"))
