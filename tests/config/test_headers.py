import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values for name, _, values in (d.strip().partition(" ") for d in policy.split(";"))
    }


def test_public_page_sends_the_security_headers(client, seed):
    response = client.get(seed.get_absolute_url())
    csp = directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_carry_no_inline_script_so_need_no_nonce(client, seed):
    """A nonce is minted only when a template uses one; public pages never do. A piece holds
    JSON-LD, data that browsers never run, and its share script as a file of this origin, which
    `script-src 'self'` allows (so the page stays cacheable without a per-response nonce)."""
    response = client.get(seed.get_absolute_url())
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts == [
        '<script type="application/ld+json">',
        '<script src="/static/js/share.js" defer>',
    ]
    assert "'self'" in directives(response)["script-src"]
    assert "nonce-" not in response["Content-Security-Policy"]


def test_admin_inline_scripts_and_styles_carry_the_nonce_of_the_header(client, seed):
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "a-Pass-12345"))
    response = client.get(f"/admin/commentaries/commentary/{seed.pk}/change/")
    assert response.status_code == 200
    csp = directives(response)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    assert f"'nonce-{nonce}'" in csp["style-src"]
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
