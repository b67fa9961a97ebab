"""Hostile input, rendered by Chromium: no script runs and every page keeps its structure.

Each vector of tests/data/xss_vectors.txt is saved into titles, key points, bodies, bios, author
names and topics (through the models, so bodies and bios are cleaned as editors' are) and sent
as a search query. The pages are opened with the Content-Security-Policy
bypassed: escaping and cleaning alone must hold, the CSP is a second wall.
"""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import AuthorFactory, AuthorshipFactory, CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
VECTORS = [
    line
    for line in (Path(__file__).parent.parent / "data" / "xss_vectors.txt")
    .read_text()
    .splitlines()
    if line and not line.startswith("# ")
]
CHUNK = 12
SEARCH = "/search/"

# What the page must not hold, read from the live DOM: elements and attributes that run script
# or restyle the page, and links whose scheme can run code.
INSPECT = """() => {
  const dangerous = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on") || (name === "style" && el.closest("main"))) {
        dangerous.push(`${el.tagName} ${name}`);
      }
      // text, not an address: a description meta tag, a search box's value
      const meta = el.tagName === "META" ? (el.getAttribute("property") || el.getAttribute("name") || "") : null;
      const typed = el.tagName === "INPUT" && name === "value";
      const address = !typed && (meta === null || /url|image/.test(meta));
      if (address && /^(javascript|vbscript|data):/.test(value)) dangerous.push(`${el.tagName} ${name}=${value}`);
    }
  }
  const inMain = "iframe, object, embed, svg, math, style, form, input, button, textarea, select, "
    + "img, video, audio, template, base, link, meta, noscript, details, marquee";
  return {
    dangerous,
    // JSON-LD is data, never run, and the piece's share script is a file of this origin; any
    // other script element got in
    scripts: [...document.scripts].filter(s => s.type !== "application/ld+json"
      && s.src !== location.origin + "/static/js/share.js").length,
    // the search page's form, the e-mail alerts form and a piece's PDF/Cite/Share row are the
    // controls that belong in main
    foreign: [...document.querySelectorAll("main :is(" + inMain + ")")]
      .filter(e => !e.closest("form.search-form, form.subscribe-form"))
      .filter(e => !e.matches(".piece-tools > details.piece-menu, .copy-link > button[data-url]"))
      .map(e => e.tagName),
    h1: document.querySelectorAll("h1").length,
    main: document.querySelectorAll("main").length,
    articles: document.querySelectorAll("main article").length,
    footer: document.querySelectorAll("body > footer.site-footer").length,
    fired: window.__xss_fired || 0,
  };
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def hostile_site(seed):
    """Every vector in a title and a key point; in chunks, in bodies, bios, names and topics."""
    for i, vector in enumerate(VECTORS):
        CommentaryFactory(number=5000 + i, slug=f"xss-{i}", title=vector, key_points=[vector])
    chunks = []
    for k in range(0, len(VECTORS), CHUNK):
        chunk = VECTORS[k : k + CHUNK]
        author = AuthorFactory(
            slug=f"hostile-{k}",
            given_name=chunk[0][:100],
            family_name=chunk[-1][:100],
            position=chunk[0][:200],
            affiliation=chunk[-1][:300],
            bio="\n".join(chunk),
        )
        commentary = CommentaryFactory(
            number=6000 + k,
            slug=f"chunk-{k}",
            title=chunk[0],
            body="\n".join(chunk),
            key_points=chunk,
            topics=[vector[:100] for vector in chunk],
        )
        AuthorshipFactory(commentary=commentary, author=author, bio="\n".join(chunk))
        chunks.append((commentary, author, chunk))
    return chunks


def visit(page, url):
    response = page.goto(url)
    page.wait_for_timeout(50)  # let load, error and focus handlers run if any got through
    return response.status, page.evaluate(INSPECT)


def assert_safe(report, url):
    assert report["dangerous"] == [], url
    assert report["scripts"] == 0, url
    assert report["foreign"] == [], url
    assert report["fired"] == 0, url


def test_no_vector_runs_or_breaks_a_page(page, live_server, hostile_site):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__xss_fired = 0; window.alert = () => window.__xss_fired++;")
    base = live_server.url
    pages = ["/", "/authors/"] + [f"/commentaries/?page={n}" for n in range(1, 6)]
    for commentary, author, _ in hostile_site:
        pages += [commentary.get_absolute_url(), author.get_absolute_url()]
        pages.append(reverse("commentaries:topic", args=[commentary.tags.first().slug]))
    for url in pages:
        status, report = visit(page, base + url)
        assert status == 200, url
        assert_safe(report, url)
        assert report["h1"] == 1 and report["main"] == 1 and report["footer"] == 1, url
    for commentary, _, chunk in hostile_site:
        page.goto(base + commentary.get_absolute_url())
        assert page.locator("main article").count() == 1
        assert page.locator("h1").inner_text() == commentary.title  # escaped, not dropped
        assert page.locator(".key-points li").count() == len(chunk)
        topics = {vector[:100].lower() for vector in chunk}  # topic names ignore case
        assert page.locator(".topics li").count() == len(topics)
    for vector in VECTORS:
        page.goto(f"{base}{SEARCH}?{urlencode({'q': vector})}")
        assert_safe(page.evaluate(INSPECT), vector)
    assert dialogs == []
