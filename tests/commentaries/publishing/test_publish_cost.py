"""What one Publish click costs: one write of the piece's row, one move of the content
generation, one durable task to record its events, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from commentaries.models import Commentary
from tests.factories import AuthorFactory, CommentaryFactory
from tests.forms import form_data

ADMIN = "/admin/commentaries/commentary/"
# Queries of the POST with its on-commit work, savepoints aside (a real request adds reversion's
# SAVEPOINT and RELEASE: 29 statements), on PostgreSQL with tasks queued in the database.
PUBLISH_QUERIES = 27


@pytest.fixture
def draft(db):
    return CommentaryFactory(
        status=Commentary.Status.DRAFT,
        summary="A summary.",
        key_points=["One.", "Two.", "Three."],
        authors=[AuthorFactory(), AuthorFactory(), AuthorFactory()],
        topics=["First topic", "Second topic", "Third topic"],
    )


@pytest.mark.postgres
def test_publishing_a_draft_writes_its_row_once_in_a_fixed_number_of_queries(
    client, editor, draft, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(editor)
    url = f"{ADMIN}{draft.pk}/change/"
    data = form_data(client.get(url), "commentary_form")
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {**data, "_action": "publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published()
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if not re.match(r"(RELEASE )?SAVEPOINT", q["sql"])
    ]
    assert len([q for q in sql if re.match(r'UPDATE "commentaries_commentary"', q)]) == 1
    assert len([q for q in sql if re.match(r'UPDATE "\w*contentgeneration"', q)]) == 1
    assert [t.task_path.rsplit(".", 1)[1] for t in DBTaskResult.objects.all()] == ["record_events"]
    assert len(sql) <= PUBLISH_QUERIES, "\n".join(sql)
