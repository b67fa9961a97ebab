"""The Japanese catalogue: complete, nothing fuzzy, in step with the code and templates, and
no English label left on a Japanese page."""

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command

from tests.factories import japanese_edition

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
# What `make messages` reads: the code and templates, not .venv, var, tests or docs.
SOURCES = [
    "accounts",
    "authors",
    "clients",
    "commentaries",
    "config",
    "templates",
    "web",
    "workers",
]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="gettext is not installed (Debian: gettext)"
)


def gettext_tool(*args):
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_gettext
@pytest.mark.parametrize("which", ["--untranslated", "--only-fuzzy"])
def test_every_message_is_translated_and_none_is_fuzzy(which):
    left = gettext_tool("msgattrib", which, "--no-obsolete", "--no-location", str(CATALOGUE))
    assert re.findall(r'^msgid "(.+)"$', left, re.MULTILINE) == [], f"{which} messages"


@needs_gettext
def test_the_catalogue_is_in_step_with_the_code(tmp_path, settings, monkeypatch):
    """makemessages, run afresh (into a directory of its own), finds exactly the catalogue's
    messages: none missing (a new string not in the .po), none left over (a string gone)."""
    for name in SOURCES:
        (tmp_path / name).symlink_to(ROOT / name)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ja"], symlinks=True, no_obsolete=True, verbosity=0)
    fresh = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    # Every message the code has is in the catalogue...
    gettext_tool("msgcmp", "--use-untranslated", str(CATALOGUE), str(fresh))
    # ...and the catalogue has none the code no longer has.
    gettext_tool("msgcmp", "--use-untranslated", str(fresh), str(CATALOGUE))


def labels():
    """The catalogue's short messages: labels, buttons and headings such as "Key points"."""
    text = CATALOGUE.read_text(encoding="utf-8")
    return {
        msgid
        for msgid in re.findall(r'^msgid "(.+)"$', text, re.MULTILINE)
        if "%" not in msgid and "<" not in msgid and len(msgid.split()) <= 5
    }


def english_left(response):
    """Labels from the catalogue shown in English on a Japanese page: element text, and the
    attributes people read (aria-label, placeholder, title), outside any passage marked as in
    another language (a piece's own text)."""
    page = lxml.html.fromstring(response.content)
    known = labels()
    left = []
    for element in page.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if any(a.get("lang") not in (None, "ja") for a in element.iterancestors()) or (
            element.get("lang") not in (None, "ja")
        ):
            continue
        texts = [element.text, *(element.get(a) for a in ("aria-label", "placeholder", "title"))]
        for text in texts:
            if text and text.strip().rstrip(":") in known:
                left.append(text.strip())
    return left


JAPANESE_PAGES = [
    "/ja/",
    "/ja/commentaries/",
    "/ja/archive/",
    "/ja/archive/2015/",
    "/ja/topics/",
    "/ja/topics/history-issues/",
    "/ja/authors/",
    "/ja/authors/junya-nishino/",
    "/ja/search/",
    "/ja/search/?q=Japan",
    "/ja/search/?q=zzzqqq",
    "/ja/subscribe/",
    "/ja/feeds/rss/",
    "/ja/no-such-page/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", JAPANESE_PAGES)
def test_japanese_pages_show_no_english_label(client, seed, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 404)
    assert response["Content-Language"] == "ja"
    assert english_left(response) == []


@pytest.mark.django_db
def test_a_japanese_edition_reads_in_japanese_throughout(client, seed):
    """A Japanese translation of No.210: the interface, its dates and its labels in Japanese,
    nothing marked as another language but the switch's link to the English edition."""
    translation = japanese_edition(
        seed,
        summary="対話を重ねることで信頼は少しずつ戻る。",
        key_points=["首脳間の対話を続ける。", "国民に協力の意義を説明する。"],
    )
    response = client.get(translation.get_absolute_url())
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.get("lang") == "ja"
    assert page.xpath("//h2[@id='key-points-heading']/text()") == ["要旨"]
    assert "2015年5月15日" in page.xpath("string(//p[@class='dateline'])")
    marked = page.xpath("//body//*[@lang]")
    assert [(e.tag, e.get("lang"), e.text) for e in marked] == [("a", "en", "English")]
    assert english_left(response) == []
