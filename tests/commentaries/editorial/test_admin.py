import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentaries.models import Commentary
from tests.factories import AuthorFactory, full_commentary

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, superuser):
    client.force_login(superuser)
    return superuser


def inline_management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_admin_post_with_inlines_creates_commentary(client, superuser, seed):
    first, second = AuthorFactory(), AuthorFactory()
    data = {
        "series": seed.series.pk,
        "number": "211",
        "title": "A new commentary",
        "slug": "a-new-commentary",
        "status": "published",
        "published_at_0": "2026-01-05",
        "published_at_1": "09:00:00",
        "body": "<p>Body text.</p>",
        "summary": "",
        "language": "en",
        "tags": "Japan-ROK relations, Maritime security",
        **inline_management("key_points", 2),
        "key_points-0-position": "1",
        "key_points-0-text": "First point.",
        "key_points-1-position": "2",
        "key_points-1-text": "Second point.",
        **inline_management("authorships", 2),
        "authorships-0-position": "1",
        "authorships-0-author": str(second.pk),
        "authorships-0-bio": "<p>Second's bio.</p>",
        "authorships-1-position": "2",
        "authorships-1-author": str(first.pk),
        "authorships-1-bio": "<p>First's bio.</p>",
    }
    response = client.post("/admin/commentaries/commentary/add/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    commentary = Commentary.objects.get(number=211)
    assert commentary.created_by == superuser
    assert [k.text for k in commentary.ordered_key_points] == ["First point.", "Second point."]
    assert commentary.ordered_authors == [second, first]
    assert set(commentary.tags.names()) == {"Japan-ROK relations", "Maritime security"}
    assert commentary.is_published()


def test_admin_rejects_duplicate_number(client, superuser, seed):
    data = {
        "series": seed.series.pk,
        "number": "210",
        "title": "Duplicate",
        "slug": "duplicate",
        "status": "draft",
        "published_at_0": "2026-01-05",
        "published_at_1": "09:00:00",
        "body": "<p>x</p>",
        "language": "en",
        **inline_management("key_points", 0),
        **inline_management("authorships", 0),
    }
    response = client.post("/admin/commentaries/commentary/add/", data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Commentary.objects.filter(number=210).count() == 1


def test_change_list_has_no_n_plus_one(client, superuser, django_assert_max_num_queries):
    full_commentary(authors=1)
    with CaptureQueriesContext(connection) as baseline:
        assert client.get("/admin/commentaries/commentary/").status_code == 200
    for _ in range(10):
        full_commentary(authors=5)
    with django_assert_max_num_queries(len(baseline)):
        assert client.get("/admin/commentaries/commentary/").status_code == 200


def test_author_autocomplete(client, superuser, seed):
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Nish",
            "app_label": "commentaries",
            "model_name": "authorship",
            "field_name": "author",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Junya Nishino"]
