"""The review loop: a contributor submits, the editors are told by e-mail once; an editor
returns the piece with a note, its author is told; both notes are on the piece's record."""

import pytest
from django.core import mail

from commentaries.models import Commentary
from commentaries.publishing import services, tasks
from commentaries.publishing.models import ReviewNote
from tests.factories import CommentaryFactory, staff_member
from tests.forms import form_data

ADMIN = "/admin/commentaries/commentary/"


@pytest.fixture
def people(db):
    contributor = staff_member("carol", "Contributors")
    contributor.email = "carol@example.org"
    contributor.save()
    editors = [staff_member(name, "Editors") for name in ("edith", "eddie")]
    for editor in editors:
        editor.email = f"{editor.username}@example.org"
        editor.save()
    return contributor, editors


def test_submitting_tells_every_editor_once_and_returning_tells_the_author(client, people):
    contributor, (edith, eddie) = people
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    url = f"{ADMIN}{piece.pk}/change/"
    response = client.post(
        url, {**form_data(client.get(url), "commentary_form"), "_action": "submit"}
    )
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.status == Commentary.Status.IN_REVIEW and piece.submitted_at is not None
    [message] = mail.outbox
    assert sorted(message.to) == ["eddie@example.org", "edith@example.org"]
    assert f"No.{piece.number}" in message.subject and piece.title in message.subject
    assert f"{ADMIN}{piece.pk}/change/" in message.body

    [note] = ReviewNote.objects.filter(commentary=piece)
    assert tasks.send_review_note.call(note.pk) == "already sent"  # a retry sends nothing
    assert len(mail.outbox) == 1

    services.commentary_return(commentary=piece, by=edith, note="Cut the second half.")
    piece.refresh_from_db()
    assert piece.status == Commentary.Status.DRAFT and piece.submitted_at is None
    returned = mail.outbox[-1]
    assert returned.to == ["carol@example.org"] and "Cut the second half." in returned.body

    history = client.get(f"{url.removesuffix('change/')}history/").content.decode()
    assert "Submitted for review" in history
    assert "Returned to author: Cut the second half." in history


def test_returning_needs_a_note_and_an_editor(client, people):
    contributor, (edith, _) = people
    piece = CommentaryFactory(status=Commentary.Status.IN_REVIEW, created_by=contributor)
    url = f"{ADMIN}{piece.pk}/change/"
    client.force_login(edith)
    data = form_data(client.get(url), "commentary_form")
    response = client.post(url, {**data, "_action": "return", "return_note": " "})
    assert response.status_code == 200
    assert "Say what the author should change" in response.content.decode()
    client.force_login(contributor)
    data = form_data(client.get(url), "commentary_form")
    response = client.post(url, {**data, "_action": "return", "return_note": "Mine."})
    assert response.status_code == 200
    piece.refresh_from_db()
    assert piece.status == Commentary.Status.IN_REVIEW
    assert not ReviewNote.objects.exists() and not mail.outbox


def test_the_submit_row_offers_what_the_role_may_do(client, people):
    contributor, (edith, _) = people
    draft = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    url = f"{ADMIN}{draft.pk}/change/"

    def buttons():
        page = client.get(url).content.decode()
        return {
            value
            for value in (
                "save",
                "submit",
                "publish",
                "schedule",
                "return",
                "unpublish",
                "withdraw",
            )
            if f'name="_action" value="{value}"' in page
        }

    client.force_login(contributor)
    assert buttons() == {"save", "submit"}
    client.force_login(edith)
    assert buttons() == {"save", "submit", "publish", "schedule"}
    services.commentary_submit(commentary=draft, by=contributor)
    assert buttons() == {"save", "publish", "schedule", "return"}
    services.commentary_publish(commentary=draft, by=edith)
    assert buttons() == {"save", "unpublish", "withdraw"}
