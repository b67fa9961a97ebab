import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from reversion.models import Version

from commentaries.models import Commentary, Correction
from tests.factories import AuthorFactory, CommentaryFactory, staff_member
from tests.forms import form_data

pytestmark = pytest.mark.django_db
ADMIN = "/admin/commentaries/commentary/"


def change_form(client, commentary):
    response = client.get(f"{ADMIN}{commentary.pk}/change/")
    assert response.status_code == 200
    return form_data(response, "commentary_form")


def add_form(client):
    response = client.get(f"{ADMIN}add/")
    return form_data(response, "commentary_form") if response.status_code == 200 else {}


def new_piece(client, **changes):
    data = add_form(client)
    data.update(
        {
            "title": "Maritime order in the East China Sea",
            "slug": "maritime-order",
            "body": "<p>Body text.</p>",
            "status": "draft",
            **changes,
        }
    )
    return client.post(f"{ADMIN}add/", data)


# The permission matrix: who may do what, enforced on the server.


def do_open_list(client, piece):
    return client.get(ADMIN).status_code == 200


def do_add(client, piece):
    new_piece(client)
    return Commentary.objects.filter(title__startswith="Maritime").exists()


def do_edit_others_draft(client, piece):
    data = (
        change_form(client, piece)
        if client.get(f"{ADMIN}{piece.pk}/change/").status_code == 200
        else {}
    )
    client.post(f"{ADMIN}{piece.pk}/change/", {**data, "title": "Changed"})
    piece.refresh_from_db()
    return piece.title == "Changed"


def do_publish_by_form(client, piece):
    new_piece(client, status="published")
    return Commentary.objects.filter(title__startswith="Maritime", status="published").exists()


def do_publish_action(client, piece):
    client.post(ADMIN, {"action": "publish_selected", "_selected_action": [piece.pk]})
    piece.refresh_from_db()
    return piece.status == Commentary.Status.PUBLISHED


def do_withdraw_action(client, piece):
    piece.status = Commentary.Status.PUBLISHED
    piece.save()
    client.post(
        ADMIN, {"action": "withdraw_selected", "_selected_action": [piece.pk], "reason": "Error"}
    )
    piece.refresh_from_db()
    return piece.status == Commentary.Status.WITHDRAWN


def do_delete_published(client, seed):
    client.post(f"{ADMIN}{seed.pk}/delete/", {"post": "yes"})
    return not Commentary.objects.filter(pk=seed.pk).exists()


def do_preview_draft(client, piece):
    response = client.get(piece.get_absolute_url())
    return response.status_code == 200 and b"Preview, not published" in response.content


def do_make_preview_link(client, piece):
    return client.get(f"{ADMIN}{piece.pk}/preview-link/").status_code == 200


def do_view_history(client, piece):
    return client.get(f"{ADMIN}{piece.pk}/history/").status_code == 200


MATRIX = {
    # action: (anonymous, contributor, editor)
    do_open_list: (False, True, True),
    do_add: (False, True, True),
    do_edit_others_draft: (False, False, True),
    do_publish_by_form: (False, False, True),
    do_publish_action: (False, False, True),
    do_withdraw_action: (False, False, True),
    do_delete_published: (False, False, False),
    do_preview_draft: (False, False, True),
    do_make_preview_link: (False, False, True),
    do_view_history: (False, False, True),
}


@pytest.mark.parametrize("role", ["anonymous", "contributor", "editor"])
@pytest.mark.parametrize("action", MATRIX, ids=lambda f: f.__name__.removeprefix("do_"))
def test_permission_matrix(client, seed, role, action):
    """Each role may do exactly what its column says; nothing is decided by hidden buttons."""
    owner = User.objects.create_superuser("owner", "owner@example.org", "a-Pass-12345")
    piece = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=owner)
    if role != "anonymous":
        client.force_login(
            staff_member(role, {"editor": "Editors", "contributor": "Contributors"}[role])
        )
    target = seed if action is do_delete_published else piece
    expected = MATRIX[action][["anonymous", "contributor", "editor"].index(role)]
    assert action(client, target) is expected


def test_contributor_works_on_own_drafts_only_until_published(client, contributor, editor, seed):
    client.force_login(contributor)
    assert new_piece(client, status="review").status_code == 302
    piece = Commentary.objects.get(title__startswith="Maritime")
    assert piece.created_by == contributor and piece.status == Commentary.Status.IN_REVIEW
    assert do_preview_draft(client, piece)  # their own piece
    data = change_form(client, piece)
    assert client.post(f"{ADMIN}{piece.pk}/change/", {**data, "title": "Mine"}).status_code == 302

    piece.refresh_from_db()
    piece.status = Commentary.Status.PUBLISHED
    piece.save()
    response = client.post(f"{ADMIN}{piece.pk}/change/", {**data, "title": "After publication"})
    assert response.status_code == 403
    piece.refresh_from_db()
    assert piece.title == "Mine"
    # others' pieces are not even listed
    assert seed.title.encode() not in client.get(ADMIN).content


def test_contributor_status_choices(client, contributor):
    client.force_login(contributor)
    page = client.get(f"{ADMIN}add/").content.decode()
    choices = re.findall(r'<option value="(\w+)"', page[page.find('name="status"') :][:600])
    assert choices == ["draft", "review"]


# Scheduling


def test_scheduled_piece_appears_at_its_time(client, seed):
    """No cron: a published piece with a future time is public from that time on, everywhere."""
    start = timezone.now()
    piece = CommentaryFactory(
        title="Quokka scheduled", published_at=start + dt.timedelta(minutes=10), topics=["quokka"]
    )
    with time_machine.travel(start + dt.timedelta(minutes=9, seconds=59), tick=False):
        assert client.get(piece.get_absolute_url()).status_code == 404
        assert b"Quokka scheduled" not in client.get("/").content
        assert b"Quokka scheduled" not in client.get("/feeds/rss/").content
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert client.get(piece.get_absolute_url()).status_code == 200
        for path in ("/", "/commentaries/", "/feeds/rss/", "/topics/quokka/"):
            assert b"Quokka scheduled" in client.get(path).content, path


def test_admin_marks_scheduled_pieces_in_tokyo_and_utc(client, editor, seed):
    client.force_login(editor)
    CommentaryFactory(
        title="Wombat scheduled", published_at=dt.datetime(2030, 1, 2, 0, 30, tzinfo=dt.UTC)
    )
    page = client.get(ADMIN, {"state": "scheduled"}).content.decode()
    assert "Wombat scheduled" in page and seed.title not in page
    assert "Scheduled" in page
    assert "2030-01-02 09:30 JST" in page and "2030-01-02 00:30 UTC" in page


# Withdrawal


def test_withdrawn_piece_answers_410_with_notice(client, editor, seed):
    client.force_login(editor)
    client.post(
        ADMIN,
        {"action": "withdraw_selected", "_selected_action": [seed.pk], "reason": "Superseded."},
    )
    client.logout()
    response = client.get(f"/commentaries/210/{seed.slug}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "No.210" in page and seed.title in page and "Superseded." in page
    assert timezone.localdate().strftime("%-d %B %Y") in page
    assert client.get("/commentaries/210/").status_code == 410


def test_withdrawal_through_the_form_dates_the_notice(client, editor, seed):
    client.force_login(editor)
    data = change_form(client, seed)
    response = client.post(f"{ADMIN}{seed.pk}/change/", {**data, "_action": "withdraw"})
    assert response.status_code == 200  # a reason is required
    data["reason"] = "Withdrawn at the author's request."
    assert (
        client.post(f"{ADMIN}{seed.pk}/change/", {**data, "_action": "withdraw"}).status_code
        == 302
    )
    seed.refresh_from_db()
    assert seed.withdrawn_at is not None
    page = client.get("/commentaries/210/").content.decode()
    assert "Withdrawn at the author&#x27;s request." in page
    assert f'datetime="{timezone.localtime(seed.withdrawn_at).isoformat()}"' in page


def test_withdrawal_needs_a_reason(client, editor, seed):
    client.force_login(editor)
    client.post(ADMIN, {"action": "withdraw_selected", "_selected_action": [seed.pk]})
    seed.refresh_from_db()
    assert seed.status == Commentary.Status.PUBLISHED


# Numbers


def test_add_form_proposes_next_free_number(client, editor, seed):
    CommentaryFactory(number=230, status=Commentary.Status.DRAFT)
    client.force_login(editor)
    assert add_form(client)["number"] == "231"


def test_published_number_cannot_change_or_be_reused(client, editor, seed):
    client.force_login(editor)
    data = change_form(client, seed)
    assert "number" not in data  # read-only once public
    client.post(f"{ADMIN}{seed.pk}/change/", {**data, "number": "999"})
    seed.refresh_from_db()
    assert seed.number == 210
    response = new_piece(client, number="210")
    assert response.status_code == 200
    assert "No.210 is already taken" in response.content.decode()


# Preview


def test_staff_preview_is_marked_and_not_cached(client, editor):
    piece = CommentaryFactory(status=Commentary.Status.DRAFT)
    client.force_login(editor)
    response = client.get(piece.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview, not published" in response.content
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_signed_preview_link_works_without_login_and_expires(client, editor):
    piece = CommentaryFactory(status=Commentary.Status.IN_REVIEW, title="Under review")
    client.force_login(editor)
    assert "/preview/" not in client.get(f"{ADMIN}{piece.pk}/preview-link/").content.decode()
    page = client.post(f"{ADMIN}{piece.pk}/preview-link/").content.decode()
    link = re.search(r'value="http://testserver(/preview/[^"]+)"', page).group(1)
    client.logout()
    response = client.get(link)
    assert response.status_code == 200 and b"Preview, not published" in response.content
    assert client.get(link[:-3] + "xyz/").status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404


# Rich text and escaping


def test_rich_text_is_sanitised_whatever_the_browser_sends(client, editor, seed):
    client.force_login(editor)
    author = AuthorFactory()
    data = add_form(client)
    data.update(
        {
            "title": "<script>alert('title')</script> Title",
            "slug": "xss",
            "status": "published",
            "body": '<h2>Heading</h2><p onclick="evil()">Text <a href="javascript:evil()">x</a>'
            '<img src=x onerror="evil()"><script>evil()</script></p><blockquote>q</blockquote>',
            "authorships-TOTAL_FORMS": "1",
            "authorships-0-position": "1",
            "authorships-0-author": str(author.pk),
            "authorships-0-bio": '<p><a href="https://example.org" onmouseover="evil()">Bio</a></p>',
        }
    )
    assert client.post(f"{ADMIN}add/", data).status_code == 302
    piece = Commentary.objects.get(slug="xss")
    assert (
        piece.body
        == '<h2>Heading</h2><p>Text <a rel="noopener noreferrer">x</a></p><blockquote>q</blockquote>'
    )
    assert piece.authorships.get().bio == (
        '<p><a href="https://example.org" rel="noopener noreferrer">Bio</a></p>'
    )
    page = client.get(piece.get_absolute_url()).content.decode()
    assert "evil" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Title" in page


def test_topics_need_a_letter_or_digit(client, editor):
    """A topic with no letter or digit would have no address."""
    client.force_login(editor)
    response = new_piece(client, tags="Security, !!!")
    assert response.status_code == 200
    assert "A topic needs at least one letter or digit: !!!" in response.content.decode()
    assert new_piece(client, tags="Security, 日本").status_code == 302


# Revisions


def test_every_piece_has_a_first_version(seed):
    assert Version.objects.get_for_object(seed).count() == 1


def test_restore_brings_back_key_points_and_author_order(client, editor, seed):
    first, second = AuthorFactory(), AuthorFactory()
    client.force_login(editor)
    data = add_form(client)
    data.update(
        {
            "title": "Versioned",
            "slug": "versioned",
            "body": "<p>One.</p>",
            "tags": "alpha, beta",
            "key_points-TOTAL_FORMS": "2",
            "key_points-0-position": "1",
            "key_points-0-text": "First point",
            "key_points-1-position": "2",
            "key_points-1-text": "Second point",
            "authorships-TOTAL_FORMS": "2",
            "authorships-0-position": "1",
            "authorships-0-author": str(first.pk),
            "authorships-1-position": "2",
            "authorships-1-author": str(second.pk),
        }
    )
    assert client.post(f"{ADMIN}add/", data).status_code == 302
    piece = Commentary.objects.get(slug="versioned")

    data = change_form(client, piece)
    data["key_points-0-DELETE"] = "on"
    data["authorships-0-position"], data["authorships-1-position"] = "2", "1"
    data["tags"] = "gamma"
    data["body"] = "<p>Two.</p>"
    assert client.post(f"{ADMIN}{piece.pk}/change/", data).status_code == 302
    piece.refresh_from_db()
    assert piece.ordered_authors == [second, first]

    history = client.get(f"{ADMIN}{piece.pk}/history/").content.decode()
    versions = re.findall(rf"{ADMIN}{piece.pk}/history/(\d+)/", history)
    assert len(versions) == 2
    older, newer = sorted(versions, key=int)
    compare = client.get(f"{ADMIN}{piece.pk}/history/compare/", {"from": older, "to": newer})
    diff = compare.content.decode()
    assert "<del>One.</del>" in diff and "<ins>Two.</ins>" in diff
    assert "<del>First point</del>" in diff

    for bad in ({}, {"from": older, "to": "x"}, {"from": "1e3", "to": newer}):
        assert client.get(f"{ADMIN}{piece.pk}/history/compare/", bad).status_code == 404
    for page in ("history/compare/", "preview-link/"):
        assert (
            client.get(f"{ADMIN}x{piece.pk}/{page}", {"from": older, "to": newer}).status_code
            == 404
        )

    revision = client.get(f"{ADMIN}{piece.pk}/history/{older}/")
    assert (
        client.post(revision.request["PATH_INFO"], form_data(revision, "restore_form")).status_code
        == 302
    )
    piece.refresh_from_db()
    assert [k.text for k in piece.ordered_key_points] == ["First point", "Second point"]
    assert piece.ordered_authors == [first, second]
    assert sorted(piece.tags.names()) == ["alpha", "beta"]
    assert piece.body == "<p>One.</p>"
    assert Version.objects.get_for_object(piece).count() == 3


# No lost edits


def test_stale_save_is_refused_and_the_text_kept(client, editor, seed):
    other = staff_member("colleague", "Editors")
    client.force_login(editor)
    mine = change_form(client, seed)
    colleague = type(client)()
    colleague.force_login(other)
    theirs = change_form(colleague, seed)
    assert (
        colleague.post(f"{ADMIN}{seed.pk}/change/", {**theirs, "title": "Theirs"}).status_code
        == 302
    )

    response = client.post(f"{ADMIN}{seed.pk}/change/", {**mine, "title": "Mine, carefully"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague saved this commentary at" in page
    assert 'value="Mine, carefully"' in page
    seed.refresh_from_db()
    assert seed.title == "Theirs"


# Corrections


def test_major_correction_is_shown_and_moves_modified_date(client, editor, seed):
    client.force_login(editor)
    data = change_form(client, seed)
    client.post(f"{ADMIN}{seed.pk}/change/", {**data, "summary": "typo fixed"})
    seed.refresh_from_db()
    assert seed.modified_at is None and not seed.corrections.exists()

    data = change_form(client, seed)
    response = client.post(
        f"{ADMIN}{seed.pk}/change/",
        {**data, "major_correction": "on", "correction_note": "The poll figures were corrected."},
    )
    assert response.status_code == 302
    seed.refresh_from_db()
    correction = Correction.objects.get(commentary=seed)
    assert seed.modified_at == correction.made_at
    page = client.get(seed.get_absolute_url()).content.decode()
    today = timezone.localdate().strftime("%-d %B %Y")
    assert re.search(rf"Updated <time[^>]*>{today}</time>", page)
    assert re.search(
        rf"Correction, <time[^>]*>{today}</time></p>\s*<p>The poll figures were corrected.</p>",
        page,
    )


def test_major_correction_needs_a_note(client, editor, seed):
    client.force_login(editor)
    data = change_form(client, seed)
    response = client.post(f"{ADMIN}{seed.pk}/change/", {**data, "major_correction": "on"})
    assert response.status_code == 200
    assert not seed.corrections.exists()


def test_number_zero_is_a_form_error(client, editor):
    client.force_login(editor)
    response = new_piece(client, number="0")
    assert response.status_code == 200
    assert "The number must be 1 or more." in response.content.decode()
