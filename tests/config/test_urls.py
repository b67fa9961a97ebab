"""Hostile and malformed requests to every public address: never a 500, oversize refused.

The URL patterns are read from the resolver, so addresses added later are covered too.
"""

import os
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# The query parameters public pages read, and ones they do not; any other name is drawn too.
PARAMETERS = ["q", "page", "format", "tag", "author", "year", "month", "sort", "order", "type"]
examples = hypothesis_settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,  # speed is measured by query counts, not clocks
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # GET requests write nothing
)


def public_patterns(resolver=None, namespace=""):
    """(name, pattern) for every named URL pattern outside the admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from public_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


PATTERNS = dict(public_patterns())

text = st.text(st.characters(codec="utf-8"), max_size=60)
hostile_text = st.one_of(
    text,
    st.sampled_from(["", "0", "-1", "1e9", "99999999999999999999", "%00", "\x00", "../..",
                     "<script>alert(1)</script>", "' OR 1=1 --", "𝕏" * 200, "a" * 5000]),
)  # fmt: skip
query = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), text),
    st.one_of(hostile_text, st.lists(hostile_text)),
    max_size=4,
)


# Path segments that have broken sites; each is used where the converter accepts it.
SEGMENTS = ["\x00", "a\x00b", "0", "99999999999999999999", "-", "_", "..", "%00", "𝕏", "a" * 500]


def arguments(pattern):
    """Values for the pattern's converters: known troublemakers and draws from its regex."""

    def values(regex):
        known = [value for value in SEGMENTS if re.fullmatch(regex, value)]
        drawn = st.from_regex(regex, fullmatch=True)
        return st.one_of(st.sampled_from(known), drawn) if known else drawn

    converters = getattr(pattern, "converters", {})
    return st.fixed_dictionaries(
        {name: values(converter.regex) for name, converter in converters.items()}
    )


def assert_not_a_server_error(response):
    assert response.status_code < 500, (response.request, response.status_code)


def test_the_public_addresses_are_all_found():
    assert {"commentaries:home", "commentaries:detail", "authors:detail", "healthz"} <= set(
        PATTERNS
    )
    assert not any(name.startswith("admin:") for name in PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
@examples
@given(data=st.data())
def test_no_public_address_answers_500(client, seed, name, data):
    kwargs = data.draw(arguments(PATTERNS[name]), label="kwargs")
    address = reverse(name, kwargs=kwargs)
    assert_not_a_server_error(client.get(address, data.draw(query, label="query")))
    assert_not_a_server_error(client.head(address))
    assert_not_a_server_error(client.post(address, data.draw(query, label="form")))


@examples
@given(path=text)
def test_arbitrary_paths_never_answer_500(client, seed, path):
    assert_not_a_server_error(client.get("/" + path))


@pytest.mark.parametrize("address", ["/", "/admin/login/", "/commentaries/"])
def test_a_body_over_the_upload_limit_is_refused(seed, address):
    client = Client(enforce_csrf_checks=True)  # as the site meets browsers
    client.cookies["csrftoken"] = "a" * 32  # so the CSRF check reads the body, to find a token
    body = "x=" + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic("POST", address, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_too_many_query_fields_are_refused(client, seed):
    response = client.get("/commentaries/", {f"f{i}": "1" for i in range(2000)})
    assert response.status_code == 400


def test_nul_characters_in_paths_are_refused_and_in_queries_are_not_found(client, seed):
    assert client.get("/topics/%00/").status_code == 400
    assert client.get("/commentaries/", {"older": "1\x00"}).status_code == 302


def test_a_very_long_address_is_a_clean_404(client, seed):
    assert client.get("/commentaries/" + "9" * 10_000 + "/").status_code == 404
    assert client.get("/topics/" + "x" * 10_000 + "/").status_code == 404


def test_favicon_ico_points_at_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
