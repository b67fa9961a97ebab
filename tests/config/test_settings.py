"""The production environment as documented in README.md, checked in a fresh process each."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def production_env(**changes):
    """README's production environment; DATABASE_URL is left to the caller's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "REDIS_URL", "SITE_URL", "WEBSUB_HUB_URL", "PORT", "MEDIA_")
        )
    }
    env |= {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "commentaries.example.org",
        "DJANGO_HTTPS": "1",
        "SITE_URL": "https://commentaries.example.org",
        "MEDIA_STORAGE_URL": (
            "s3://ajiss-site/media?endpoint_url=https://s3.example.org&region_name=eu-1"
        ),
    }
    env |= changes
    return {key: value for key, value in env.items() if value is not None}


def run(*args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def python_says(code, env):
    """What a line of Python prints with Django set up under env."""
    setup = "import django; django.setup(); from django.conf import settings; "
    result = run("-c", setup + code, env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_in_the_documented_production_environment():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_check_deploy_names_what_the_switch_turns_on():
    result = run("manage.py", "check", "--deploy", env=production_env(DJANGO_HTTPS=None))
    for warning in ("W004", "W008", "W012", "W016"):  # HSTS, redirect, both cookies
        assert f"security.{warning}" in result.stderr


def test_https_switch_turns_on_redirect_hsts_secure_cookies_and_proxy_header():
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = f"print([getattr(settings, name) for name in {names}])"
    assert python_says(code, production_env()) == (
        "[True, 31536000, True, True, ('HTTP_X_FORWARDED_PROTO', 'https')]"
    )
    assert python_says(code, production_env(DJANGO_HTTPS=None)) == (
        "[False, 0, False, False, None]"
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL"])
def test_make_serve_refuses_to_start_and_says_what_to_set(missing):
    env = production_env(**{missing: None}) | {"PORT": "1"}  # never reached
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"make serve: Set {missing}" in result.stderr
    assert "Traceback" not in result.stderr


def test_admin_path_comes_from_the_environment():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    env = production_env(DJANGO_ADMIN_PATH="/editors-desk/")
    assert python_says(code, env) == "/editors-desk/"
    assert python_says(code, production_env()) == "/admin/"


@pytest.mark.parametrize(
    "value",
    [
        "commentaries.example.org",  # no scheme
        "ftp://commentaries.example.org",
        "https://commentaries.example.org/ajiss",  # a path: paths come from reverse()
        "https://commentaries.example.org/?x=1",
        "https://",
    ],
)
def test_a_site_url_that_is_not_a_bare_address_stops_the_site_with_the_form_it_takes(value):
    result = run("-m", "config.preflight", env=production_env(SITE_URL=value))
    assert result.returncode != 0
    assert "make serve: SITE_URL must be a scheme and a host" in result.stderr
    assert "Traceback" not in result.stderr


def test_site_url_loses_a_final_slash():
    env = production_env(SITE_URL="https://commentaries.example.org:8443/")
    assert python_says("print(settings.SITE_URL)", env) == "https://commentaries.example.org:8443"


def deploy_check(env):
    return run("manage.py", "check", "--deploy", env=env).stderr


def test_check_deploy_warns_when_site_url_is_missing():
    """DEBUG off refuses to start without it; `manage.py check --deploy` (DEBUG on unless told
    otherwise) says so too."""
    assert "commentaries.W001" in deploy_check(production_env(DJANGO_DEBUG=None, SITE_URL=None))
    assert "commentaries.W001" not in deploy_check(production_env(DJANGO_DEBUG=None))


@pytest.mark.parametrize(
    ("changes", "warns"),
    [
        ({"MEDIA_STORAGE_URL": None}, True),  # var/media: this machine's alone
        ({"MEDIA_STORAGE_URL": None, "MEDIA_ONE_HOST": "1"}, False),  # said to be one host
        ({"MEDIA_STORAGE_URL": None, "DJANGO_DEBUG": "1"}, False),
        ({}, False),  # the documented environment: an S3-compatible bucket
    ],
)
def test_check_deploy_warns_of_files_kept_on_one_machine(changes, warns):
    found = deploy_check(production_env(**changes))
    assert ("commentaries.W004" in found) is warns
    if warns:
        assert "MEDIA_STORAGE_URL=s3://" in found and "MEDIA_ONE_HOST=1" in found


def test_check_deploy_warns_of_a_site_url_the_site_would_not_answer_to():
    found = deploy_check(production_env(SITE_URL="https://www.example.org"))
    assert "commentaries.W002" in found and "commentaries.W003" not in found
    found = deploy_check(production_env(SITE_URL="http://commentaries.example.org"))
    assert "commentaries.W003" in found and "commentaries.W002" not in found


SITE = "https://commentaries.example.org"


@pytest.mark.parametrize(
    ("oai_admin_email", "site_url", "stops"),
    [
        ("webmaster@localhost", SITE, "OAI_ADMIN_EMAIL=webmaster@localhost is no address"),
        ("editors@commentaries.example.org", SITE, None),
        (None, SITE, None),  # webmaster@commentaries.example.org, from SITE_URL (required)
    ],
)
def test_production_needs_an_oai_admin_address(oai_admin_email, site_url, stops):
    env = production_env(OAI_ADMIN_EMAIL=oai_admin_email, SITE_URL=site_url)
    result = run("-m", "config.preflight", env=env)
    if stops:
        assert result.returncode == 1 and f"make serve: {stops}" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
