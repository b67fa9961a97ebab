"""A contributor presses every button and follows every link that a published piece's pages
offer them, in the admin and on the site, and nothing in the database changes."""

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Error as PlaywrightError
from reversion.models import Version

from commentaries.models import Commentary
from commentaries.publishing import services
from tests.commentaries.editorial.test_permission_matrix import differences, dump
from tests.factories import CommentaryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ADMIN = "/admin/commentaries/commentary/"
# What a page offers about the piece: its content and object tools, not the site's header.
# A piece's PDF edition is made on its first request: a cache of the page, not a change.
RENDERED = {"scholarly_pdfrendition"}
CLICKABLE = (
    "#content a[href], #content button, #content input[type=submit], main a[href], main button"
)


def staff(username, group):
    user = User.objects.create_user(username, password="a-Pass-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def pages_of(piece):
    with reversion.create_revision():
        piece.save()  # a second version, so compare and restore have two to offer
    first, last = Version.objects.get_for_object(piece).order_by("pk")[:2]
    content_type = ContentType.objects.get_for_model(Commentary).pk
    return [
        f"{ADMIN}{piece.pk}/change/",
        f"{ADMIN}{piece.pk}/history/",
        f"{ADMIN}{piece.pk}/history/{first.pk}/",
        f"{ADMIN}{piece.pk}/history/compare/?from={first.pk}&to={last.pk}",
        f"{ADMIN}{piece.pk}/delete/",
        f"{ADMIN}{piece.pk}/preview-link/",
        f"/admin/r/{content_type}/{piece.pk}/",
        piece.get_absolute_url(),
    ]


def test_a_contributor_pressing_everything_changes_nothing(page, live_server):
    editor = staff("edith", "Editors")
    contributor = staff("carol", "Contributors")
    with reversion.create_revision():
        editors_piece = CommentaryFactory(created_by=editor, title="The editor's piece")
        own = CommentaryFactory(
            created_by=contributor, status=Commentary.Status.IN_REVIEW, title="Carol's piece"
        )
    services.commentary_publish(commentary=own, by=editor)  # hers, published by the editor
    addresses = pages_of(editors_piece) + pages_of(own)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "a-Pass-12345")
    page.click("input[type=submit]")
    page.on("dialog", lambda dialog: dialog.accept())  # confirm whatever a button asks
    before = dump(ignore=RENDERED)
    pressed, followed = 0, set()
    for address in addresses:
        page.goto(live_server.url + address)
        for index in range(page.locator(CLICKABLE).count()):
            page.goto(live_server.url + address)
            target = page.locator(CLICKABLE).nth(index)
            href = target.get_attribute("href")
            if not target.is_visible() or href in followed:
                continue  # a link already followed from another page leads to the same place
            if href:
                followed.add(href)
            try:
                target.click(timeout=5000)
                page.wait_for_load_state()
            except PlaywrightError:
                continue  # a link elsewhere (a download, another site): nothing to press here
            pressed += 1
    assert pressed >= 10  # the contributor's own piece offers links and buttons
    assert differences(before, dump(ignore=RENDERED)) == {}
    own.refresh_from_db()
    editors_piece.refresh_from_db()
    assert own.is_published() and editors_piece.is_published()
