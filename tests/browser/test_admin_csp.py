"""The admin works in Chromium under the site's Content-Security-Policy, which allows no
inline script or style without the request's nonce."""

import pytest
from django.contrib.auth.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# Every CSP violation and script error the page reports, collected from its first moment.
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation",
  e => window.__problems.push(`CSP ${e.effectiveDirective} blocked ${e.blockedURI}`));
window.addEventListener("error", e => window.__problems.push(`error ${e.message}`));
"""


@pytest.fixture
def editor_page(page, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("editor", "editor@example.org", "a-Pass-12345")
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-Pass-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def problems(page):
    return page.evaluate("window.__problems")


def test_admin_login_forms_and_autocomplete_under_the_csp(editor_page, live_server, seed):
    page = editor_page
    assert problems(page) == []
    page.goto(f"{live_server.url}/admin/commentaries/commentary/add/")
    page.locator("#id_title").press_sequentially("A title typed by an editor")
    assert page.input_value("#id_slug") == "a-title-typed-by-an-editor"  # prepopulate.js ran
    page.click("#authorships-group .add-row a")  # inlines.js
    page.click("#authorships-group .dynamic-authorships .select2-selection")
    page.fill(".select2-search__field", "Nish")
    option = page.locator(".select2-results__option", has_text="Junya Nishino")
    option.wait_for()
    option.click()
    assert "Junya Nishino" in page.inner_text("#authorships-group .select2-selection__rendered")
    assert problems(page) == []
    page.goto(f"{live_server.url}/admin/commentaries/commentary/{seed.pk}/change/")
    assert page.input_value("#id_title").startswith("Political leaders in Japan")
    assert problems(page) == []


def test_prose_editor_runs_under_the_csp(editor_page, live_server, seed):
    page = editor_page
    page.goto(f"{live_server.url}/admin/commentaries/commentary/{seed.pk}/change/")
    importmap = page.locator("script[type=importmap]")
    assert importmap.count() == 1
    assert importmap.evaluate("script => script.nonce")  # browsers hide the attribute itself
    editor = page.locator(".field-body [contenteditable=true].ProseMirror")
    editor.wait_for()
    assert "Japan" in editor.inner_text()
    white_space = editor.evaluate("element => getComputedStyle(element).whiteSpace")
    assert white_space == "break-spaces"  # Tiptap's base styles apply
    editor.click()
    page.keyboard.type("Typed under the CSP. ")
    assert "Typed under the CSP." in editor.inner_text()
    assert problems(page) == []
