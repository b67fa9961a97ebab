"""WCAG 2.2 AA, checked by axe-core in Debian's Chromium on every kind of reader page."""

import shutil
import subprocess
from pathlib import Path

import pytest

from commentaries.models import Commentary
from tests.factories import japanese_edition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# node_modules/ is git-ignored: axe-core is installed there from npm on first use.
AXE_PREFIX = Path(__file__).resolve().parents[2] / "node_modules" / "axe-install"
AXE = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = [
    "/",
    "/commentaries/",
    "/archive/2015/",
    "/commentaries/210/",
    "/authors/",
    "/authors/junya-nishino/",
    "/topics/",
    "/topics/history-issues/",
    "/topics/history-issues/2015/",
    "/series/ajiss-commentary/",
    "/search/?q=comfort+women",
    "/search/?q=%00",
    "/archive/",
    "/subscribe/",
    "/about/",
    "/privacy/",
    "/contact/",
    "/no-such-page/",
]
# The Japanese interface: its lists, search cut into Japanese words, and an edition of No.210.
JAPANESE_PAGES = [
    "/ja/",
    "/ja/commentaries/",
    "/ja/commentaries/210/",
    "/ja/authors/",
    "/ja/topics/",
    "/ja/archive/",
    "/ja/search/?q=%E5%8D%94%E5%8A%9B",  # 協力
    "/ja/subscribe/",
    "/ja/no-such-page/",
]


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.exists():
        if not shutil.which("npm"):
            pytest.skip("needs npm to install axe-core (apt-get install npm)")
        AXE_PREFIX.mkdir(parents=True, exist_ok=True)
        # its own package.json, so that npm installs here and not in a folder above
        (AXE_PREFIX / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "axe-core@4"],
            cwd=AXE_PREFIX,
            check=True,
            timeout=300,
        )
    return AXE


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_reader_pages_have_no_axe_violations(browser, live_server, axe_script, color_scheme):
    seed = Commentary.objects.get(number=210)
    japanese_edition(seed, translator="山田花子", authors=list(seed.authors.all()))
    # bypass_csp: axe is injected as a script that a strict Content-Security-Policy would block
    context = browser.new_context(bypass_csp=True, color_scheme=color_scheme)
    page = context.new_page()
    found = {}
    for path in PAGES + JAPANESE_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == (404 if "no-such-page" in path else 200), path
        page.add_script_tag(path=str(axe_script))
        violations = page.evaluate(
            "async (rules) => (await axe.run(document, {runOnly: rules})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
            RULES,
        )
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def test_keyboard_reader_reaches_content_with_visible_focus(page, live_server):
    """The first Tab lands on the skip link, which shows itself and leads to the content."""
    page.goto(f"{live_server.url}/commentaries/210/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    assert skip.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the fragment navigation lands after the key press returns


def test_print_shows_the_article_with_number_address_and_disclaimer(page, live_server):
    page.goto(f"{live_server.url}/commentaries/210/")
    page.emulate_media(media="print")
    address = page.locator(".print-only")
    assert address.is_visible()
    assert "AJISS-Commentary No.210" in address.inner_text()
    assert f"{live_server.url}/commentaries/210/political-leaders" in address.inner_text()
    assert page.locator(".disclaimer").is_visible()
    assert page.locator(".number").is_visible()
    for hidden in (".site-header nav", ".site-search", ".cite-this", ".piece-tools"):
        assert not page.locator(hidden).first.is_visible()


def test_pages_make_no_third_party_requests(page, live_server):
    """Fonts, styles and scripts all come from the site itself: no CDN, no tracker."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/commentaries/210/", "/search/?q=Japan"):
        page.goto(live_server.url + path)
    assert requested and all(url.startswith(live_server.url) for url in requested)
