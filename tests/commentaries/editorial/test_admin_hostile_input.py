"""No admin address answers 500, whatever the query string or form values, as any role.

The addresses come from the admin's own URL patterns (tests/admin_urls.py), so a view added
later is drawn too. HYPOTHESIS_EXAMPLES raises the number of examples for a deeper run.
"""

import os
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from commentaries.models import Commentary
from tests.admin_urls import ROOT, admin_patterns, parameters, url

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "staff", "contributor", "editor", "superuser"]
PATTERNS = list(admin_patterns())
examples = hypothesis_settings(
    max_examples=3 * int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,  # speed is measured elsewhere
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The names admin pages read (filters, paging, ordering, search, forms) and any other.
NAMES = [
    "q", "p", "o", "e", "all", "year", "state", "topic", "series__id__exact", "series",
    "published_at__year", "published_at__month", "published_at__day", "_changelist_filters",
    "_popup", "_to_field", "from", "to", "number", "title", "slug", "status", "body",
    "published_at_0", "published_at_1", "published_at_set_by_hand", "tags", "language",
    "seen_version", "withdrawal_reason", "major_correction", "correction_note", "action",
    "_selected_action", "index", "select_across", "post", "reason", "revoke", "issue",
    "term", "app_label", "model_name", "field_name", "new_tag_name", "key_points-TOTAL_FORMS",
    "key_points-INITIAL_FORMS", "key_points-0-text", "key_points-0-position",
    "authorships-TOTAL_FORMS", "authorships-INITIAL_FORMS", "authorships-0-author",
    "username", "password", "old_password", "new_password1", "new_password2", "next",
]  # fmt: skip
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
hostile = st.one_of(
    text,
    st.sampled_from(["", "0", "-1", "²", "٣", "1e3", "99999999", "99999999999999999999",
                     "abc", "210", "1", "published", "withdrawn", "publish_selected",
                     "delete_selected", "2026-13-45", "25:61:00", "../..", "<b>x</b>",
                     "' OR 1=1 --", "𝕏" * 50, "a" * 3000, "on", "yes", "-number", "9.x"]),
)  # fmt: skip
fields = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), text), st.one_of(hostile, st.lists(hostile, max_size=3)),
    max_size=6,
)  # fmt: skip
SEGMENTS = ["0", "x", "²", "99999999999999999999", "-1", "1.5", "a b", "%00", "..", "𝕏"]


@pytest.fixture
def clients(seed):
    users = {
        "staff": User.objects.create_user("staffer", password="x", is_staff=True),
        "contributor": User.objects.create_user("carol", password="x", is_staff=True),
        "editor": User.objects.create_user("edith", password="x", is_staff=True),
        "superuser": User.objects.create_superuser("root", password="x"),
    }
    users["contributor"].groups.add(Group.objects.get(name="Contributors"))
    users["editor"].groups.add(Group.objects.get(name="Editors"))
    Commentary.objects.filter(pk=seed.pk).update(created_by=users["contributor"])
    return {"anonymous": None, **users}


def client_as(users, role):
    client = Client(raise_request_exception=False)
    if users[role] is not None:
        client.force_login(users[role])
    return client


def real_values(seed):
    """Ids that exist, so the views get past their lookups and into their forms."""
    version = Version.objects.get_for_object(seed).first()
    return {
        "object_id": [str(seed.pk)],
        "content_type_id": [str(ContentType.objects.get_for_model(Commentary).pk)],
        "id": ["1"],
        "app_label": ["commentaries", "auth", "taggit"],
        "url": ["nowhere/", ""],
        0: [str(seed.pk), str(version.pk)],
        1: [str(version.pk)],
    }


@examples
@given(
    role=st.sampled_from(ROLES),
    chosen=st.sampled_from(PATTERNS),
    segments=st.lists(st.one_of(st.none(), st.sampled_from(SEGMENTS)), min_size=3, max_size=3),
    method=st.sampled_from(["GET", "POST"]),
    query=fields,
    data=fields,
)
def test_no_admin_address_answers_500(clients, seed, role, chosen, segments, method, query, data):
    prefix, entry = chosen
    known = real_values(seed)
    values = {}
    for position, name in enumerate(parameters(entry.pattern)):
        hostile_segment = segments[position % 3]
        values[name] = hostile_segment if hostile_segment else known.get(name, ["1"])[0]
    path = url(prefix, entry, values)
    # Each example starts from the same rows: one that deletes a user or the seed is undone
    # before the next signs in as them.
    with transaction.atomic():
        client = client_as(clients, role)  # afresh: an example may have logged out
        if method == "GET":
            response = client.get(path, query)
        else:
            response = client.post(path, data, QUERY_STRING=urlencode(query, doseq=True))
        transaction.set_rollback(True)
    assert response.status_code < 500, (role, method, path, query, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "address",
    [
        "commentaries/commentary/?year=²",
        "commentaries/commentary/?year=99999999",
        "commentaries/commentary/?year=0",
        "commentaries/commentary/?published_at__year=abc",
        "commentaries/commentary/?published_at__year=99999999&published_at__month=13",
        "commentaries/commentary/?p=abc",
        "commentaries/commentary/?p=99999999999999999999",
        "commentaries/commentary/?o=abc.-9",
        "commentaries/commentary/?q=%00abc",
        "commentaries/commentary/?q=99999999999999999999",
        "commentaries/commentary/?unknown=filter",
        "commentaries/commentary/?topic=nope&state=nope&series__id__exact=abc",
        "commentaries/commentary/add/?series=abc",
        "commentaries/commentary/add/?series=99999999999999999999&number=x",
        "commentaries/commentary/1/history/compare/?from=²&to=1",
        "commentaries/commentary/1/history/compare/?from=99999999999999999999&to=1",
        "commentaries/commentary/1/history/99999999999999999999/",
        "commentaries/commentary/recover/99999999999999999999/",
        "r/99999999999999999999/1/",
        "autocomplete/?app_label=commentaries&model_name=authorship&field_name=author&term=x",
        "autocomplete/?app_label=x&model_name=y&field_name=z",
        "taggit/tag/merge-tags/",
        "auth/group/1/delete/?_to_field=",
        "commentaries/commentary/1/change/?_to_field=",
    ],
)
def test_known_troublemakers_are_not_a_500(clients, role, address):
    client = client_as(clients, role)
    posts = {"x": "²"}, {"_to_field": ""}
    responses = [client.get(ROOT + address), *(client.post(ROOT + address, d) for d in posts)]
    for response in responses:
        assert response.status_code < 500, (role, address, response.status_code)
