"""Restore brings back content only; every editorial action is on the record; a piece is dated
when it is published; preview links can be revoked; the admin's inherited views obey the rules."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from commentaries.caching.freshness import content_state, last_change
from commentaries.models import Commentary
from commentaries.publishing import services
from tests.factories import AuthorFactory, CommentaryFactory
from tests.forms import form_data, press

pytestmark = pytest.mark.django_db
ADMIN = "/admin/commentaries/commentary/"
TOKYO = dt.timezone(dt.timedelta(hours=9))


def staff(username, group):
    user = User.objects.create_user(username, password="a-Pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(client):
    user = staff("editor", "Editors")
    client.force_login(user)
    return user


def change_form(client, piece):
    response = client.get(f"{ADMIN}{piece.pk}/change/")
    assert response.status_code == 200
    return form_data(response, "commentary_form")


def versions_of(piece):
    return list(Version.objects.get_for_object(piece).order_by("pk"))


def record_of(piece):
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commentary), object_id=str(piece.pk)
        )
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def history_text(client, piece):
    return client.get(f"{ADMIN}{piece.pk}/history/").content.decode()


# Restore: content only, a new version, on the record


WORKFLOW = [
    "status",
    "published_at",
    "first_published_at",
    "modified_at",
    "withdrawn_at",
    "withdrawal_reason",
    "release",
    "number",
    "series_id",
]


def test_restoring_a_draft_version_of_a_published_piece_keeps_it_published(client, editor):
    author, coauthor = AuthorFactory(), AuthorFactory()
    data = form_data(client.get(f"{ADMIN}add/"), "commentary_form")
    data.update(
        {
            "title": "First title",
            "slug": "first-title",
            "body": "<p>First body.</p>",
            "tags": "Alliances",
            "key_points-TOTAL_FORMS": "1",
            "key_points-0-position": "1",
            "key_points-0-text": "The first point",
            "authorships-TOTAL_FORMS": "2",
            "authorships-0-position": "1",
            "authorships-0-author": str(author.pk),
            "authorships-0-bio": "<p>Bio then.</p>",
            "authorships-1-position": "2",
            "authorships-1-author": str(coauthor.pk),
        }
    )
    assert client.post(f"{ADMIN}add/", data).status_code == 302  # a draft
    piece = Commentary.objects.get(slug="first-title")
    [draft_version] = versions_of(piece)
    other = CommentaryFactory(topics=["Alliances"])  # another piece shares the topic

    piece.refresh_from_db()
    services.commentary_publish(commentary=piece, by=editor)
    data = change_form(client, piece)
    data.update({"title": "Second title", "tags": "Trade", "authorships-0-bio": "<p>Now.</p>"})
    data["authorships-0-position"], data["authorships-1-position"] = "2", "1"
    assert client.post(f"{ADMIN}{piece.pk}/change/", data).status_code == 302
    Tag.objects.filter(name="Alliances").update(name="Alliances and partners", slug="alliances-p")
    piece.refresh_from_db()
    services.commentary_correct(commentary=piece, by=editor, note="A figure corrected.")
    piece.refresh_from_db()
    before = {name: getattr(piece, name) for name in WORKFLOW}
    tags_before = sorted(Tag.objects.values_list("pk", "name", "slug"))
    feeds_before = last_change(content_state())

    page = client.get(f"{ADMIN}{piece.pk}/history/{draft_version.pk}/")
    assert page.status_code == 200 and "First title" in page.content.decode()
    response = client.post(page.request["PATH_INFO"], form_data(page, "restore_form"))
    assert response.status_code == 302

    piece.refresh_from_db()
    assert piece.title == "First title" and piece.body == "<p>First body.</p>"
    assert [k.text for k in piece.ordered_key_points] == ["The first point"]
    assert piece.ordered_authors == [author, coauthor]
    assert piece.ordered_authorships[0].bio == "<p>Bio then.</p>"
    # The topic comes back as the row it is now; no topic is renamed, re-slugged or deleted.
    assert list(piece.tags.names()) == ["Alliances and partners"]
    assert sorted(Tag.objects.values_list("pk", "name", "slug")) == tags_before
    assert list(other.tags.names()) == ["Alliances and partners"]
    # Nothing of the workflow moves: still published, number fixed, undeletable.
    assert {name: getattr(piece, name) for name in WORKFLOW} == before
    assert piece.is_published() and piece.number_is_fixed
    assert client.get(f"{ADMIN}{piece.pk}/delete/").status_code == 403
    assert last_change(content_state()) >= feeds_before  # never backwards

    newest = versions_of(piece)[-1]
    assert newest.revision.get_comment().startswith("Restored the version of ")
    assert newest.revision.user == editor
    assert record_of(piece)[-1].startswith("Restored the version of ")
    assert "Restored the version of " in history_text(client, piece)


def test_restoring_needs_the_right_to_edit_the_piece_as_it_is(client):
    contributor = staff("carol", "Contributors")
    client.force_login(contributor)
    piece = CommentaryFactory(created_by=contributor, status=Commentary.Status.DRAFT)
    services.commentary_submit(commentary=piece, by=contributor)
    [version] = versions_of(piece)
    services.commentary_publish(commentary=piece, by=staff("edith", "Editors"))
    count = len(versions_of(piece))
    page = client.get(f"{ADMIN}{piece.pk}/history/{version.pk}/")
    assert page.status_code == 200 and b"Restore this version" not in page.content
    assert client.post(page.request["PATH_INFO"]).status_code == 403
    assert len(versions_of(piece)) == count


# Everything on the record


def test_every_editorial_action_is_in_the_history(client, editor):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, title="Recorded")
    admin_list = client.get(ADMIN)
    assert admin_list.status_code == 200

    def act(action, **extra):
        data = {"action": action, "_selected_action": [piece.pk], "index": "0", **extra}
        assert client.post(ADMIN, data).status_code == 302

    assert client.post(f"{ADMIN}{piece.pk}/preview-link/").status_code == 200
    assert client.post(f"{ADMIN}{piece.pk}/preview-link/", {"revoke": "1"}).status_code == 302
    act("publish_selected")
    piece.refresh_from_db()
    services.commentary_correct(commentary=piece, by=editor, note="Numbers fixed.")
    act("withdraw_selected", reason="Superseded by No.5.")
    act("unpublish_selected")
    record = record_of(piece)
    assert record[0] == "Preview link handed out"
    assert record[1] == "Preview links revoked"
    assert record[2] == "Published"
    assert record[3] == "Correction added: Numbers fixed."
    assert record[4] == "Withdrawn: Superseded by No.5."
    assert record[5] == "Unpublished"
    history = history_text(client, piece)
    for line in record:
        assert line in history
    comments = [v.revision.get_comment() for v in versions_of(piece)]
    assert "Published" in comments
    assert "Withdrawn: Superseded by No.5." in comments
    assert all(v.revision.user == editor for v in versions_of(piece))


def test_publishing_through_the_form_is_recorded_in_words(client, editor):
    """Publish with an edit: the edit and the step, each said plainly, no field names."""
    piece = CommentaryFactory(status=Commentary.Status.IN_REVIEW)
    data = change_form(client, piece)
    data["title"] = "A better title"
    response = press(client, f"{ADMIN}{piece.pk}/change/", data, "publish")
    assert response.status_code == 302
    comment = versions_of(piece)[-1].revision.get_comment()
    assert comment == "Edited the title\nPublished"
    assert record_of(piece)[-2:] == ["Published", "Edited the title"]


def test_a_command_acting_without_a_user_is_on_the_record_too(seed):
    services.commentary_withdraw(commentary=seed, by=None, reason="Retracted.")
    assert versions_of(seed)[-1].revision.get_comment() == (
        "Withdrawn: Retracted. (by a command, no user)"
    )


# Publication time


def test_a_piece_is_dated_the_moment_it_is_published(client, editor):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=TOKYO), tick=False) as clock:
        data = form_data(client.get(f"{ADMIN}add/"), "commentary_form")
        assert b"the moment it is published" in client.get(f"{ADMIN}add/").content
        data.update({"title": "Started in March", "slug": "march", "body": "<p>x</p>"})
        assert client.post(f"{ADMIN}add/", data).status_code == 302
        by_form = Commentary.objects.get(slug="march")
        by_action = CommentaryFactory(
            status=Commentary.Status.DRAFT,
            published_at=timezone.now(),
            published_at_set_by_hand=False,
        )
        clock.move_to(dt.datetime(2026, 3, 15, 9, 30, tzinfo=TOKYO))
        data = change_form(client, by_form)
        press(client, f"{ADMIN}{by_form.pk}/change/", data, "publish")
        client.post(ADMIN, {"action": "publish_selected", "_selected_action": [by_action.pk]})
        for piece in (by_form, by_action):
            piece.refresh_from_db()
            assert piece.published_at == dt.datetime(2026, 3, 15, 9, 30, tzinfo=TOKYO)
            assert piece.first_published_at == piece.published_at and piece.is_published()


def test_a_time_set_by_hand_is_kept(client, editor):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=TOKYO), tick=False) as clock:
        data = form_data(client.get(f"{ADMIN}add/"), "commentary_form")
        data.update(
            {
                "title": "Dated on purpose",
                "slug": "on-purpose",
                "body": "<p>x</p>",
                "published_at_0": "2026-02-20",
                "published_at_1": "08:00:00",
            }
        )
        assert client.post(f"{ADMIN}add/", data).status_code == 302
        piece = Commentary.objects.get(slug="on-purpose")
        assert piece.published_at_set_by_hand
        assert "set by hand" in client.get(f"{ADMIN}{piece.pk}/change/").content.decode()
        clock.move_to(dt.datetime(2026, 3, 15, 9, 30, tzinfo=TOKYO))
        services.commentary_publish(commentary=piece, by=editor)
        piece.refresh_from_db()
        assert piece.published_at == dt.datetime(2026, 2, 20, 8, 0, tzinfo=TOKYO)


# Preview links


def preview_link(client, piece):
    page = client.post(f"{ADMIN}{piece.pk}/preview-link/").content.decode()
    return re.search(r'value="http://testserver(/preview/[^"]+)"', page).group(1)


def test_preview_links_can_be_revoked_and_publishing_revokes_them(client, editor):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, published_at=timezone.now())
    first, second = preview_link(client, piece), preview_link(client, piece)
    assert client.get(first).status_code == 200
    client.post(f"{ADMIN}{piece.pk}/preview-link/", {"revoke": "1"})
    assert client.get(first).status_code == 404 and client.get(second).status_code == 404
    third = preview_link(client, piece)
    assert client.get(third).status_code == 200
    piece.refresh_from_db()
    services.commentary_publish(commentary=piece, by=editor)
    services.commentary_unpublish(commentary=piece, by=editor)
    assert client.get(third).status_code == 404


def test_preview_link_page_writes_nothing_on_get_and_is_for_editors(client, editor):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT)
    assert client.get(f"{ADMIN}{piece.pk}/preview-link/").status_code == 200
    assert record_of(piece) == []
    contributor = staff("carol", "Contributors")
    mine = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    assert client.post(f"{ADMIN}{mine.pk}/preview-link/").status_code == 403
    assert client.post(f"{ADMIN}{piece.pk}/preview-link/").status_code == 404


# What contributors see


def test_contributors_filters_and_proposals_show_only_their_own_or_public_pieces(client):
    contributor = staff("carol", "Contributors")
    secret_author = AuthorFactory(given_name="Secretive")
    CommentaryFactory(
        status=Commentary.Status.DRAFT,
        number=4000,
        topics=["Unannounced topic"],
        published_at=dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
        authors=[secret_author],
    )
    CommentaryFactory(created_by=contributor, status=Commentary.Status.DRAFT)
    client.force_login(contributor)
    page = client.get(ADMIN).content.decode()
    assert "Unannounced topic" not in page and "2031" not in page
    add = client.get(f"{ADMIN}add/").content.decode()
    assert 'value="4001"' not in add
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "commentaries", "model_name": "authorship", "field_name": "author",
         "term": "Secretive"},
    )  # fmt: skip
    assert found.status_code == 200 and found.json()["results"] == []


def test_staff_without_a_group_see_no_commentary(client, seed):
    client.force_login(User.objects.create_user("nobody", password="x", is_staff=True))
    assert client.get(ADMIN).status_code == 403
    assert client.get(f"{ADMIN}{seed.pk}/change/").status_code in (403, 404)
    ct = ContentType.objects.get_for_model(Commentary).pk
    assert client.get(f"/admin/r/{ct}/{seed.pk}/").status_code == 404


def test_the_view_on_site_shortcut_is_a_404_for_pieces_one_may_not_see(client):
    contributor = staff("carol", "Contributors")
    hidden = CommentaryFactory(status=Commentary.Status.DRAFT, slug="secret-plans")
    mine = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    ct = ContentType.objects.get_for_model(Commentary).pk
    assert client.get(f"/admin/r/{ct}/{hidden.pk}/").status_code == 404
    assert client.get(f"/admin/r/{ct}/{mine.pk}/").status_code == 302
    for bad in ("x", "99999999999999999999", "²"):
        assert client.get(f"/admin/r/{bad}/{mine.pk}/").status_code == 404
        assert client.get(f"/admin/r/{ct}/{bad}/").status_code == 404


def test_merging_topics_needs_the_right_to_change_them(client):
    Tag.objects.create(name="Keep", slug="keep")
    client.force_login(staff("carol", "Contributors"))
    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Hijacked"})
    assert response.status_code == 403
    assert not Tag.objects.filter(name="Hijacked").exists()
    client.force_login(staff("edith", "Editors"))
    response = client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "Hijacked"})
    assert response.status_code == 302  # nothing chosen to merge: back to the list
    assert not Tag.objects.filter(name="Hijacked").exists()


def test_comparing_across_a_major_correction_shows_it(client, editor):
    """Two versions either side of a correction do not read the same: the note is the change."""
    client.force_login(editor)
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, title="Corrected later")
    services.commentary_publish(commentary=piece, by=editor)
    services.commentary_correct(commentary=piece, by=editor, note="The 2014 figure was 2015.")
    before, after = versions_of(piece)[-2:]
    page = client.get(f"{ADMIN}{piece.pk}/history/compare/", {"from": before.pk, "to": after.pk})
    assert page.status_code == 200
    diff = page.content.decode()
    assert "Corrections" in diff and "<ins>" in diff and "The 2014 figure was 2015." in diff
