"""Pages editors write (About, Privacy, Contact): served at /<slug>/ after every other address,
sanitised, kept in the page cache until edited, with revisions, and the Editors' alone."""

import datetime as dt

import lxml.html
import pytest
import reversion
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone
from reversion.models import Version

from commentaries.alerts.models import SignupRequest
from commentaries.pages.models import Page
from commentaries.publishing import events
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
STATE_QUERIES = 1  # caching.freshness.content_state(): the generation, by primary key


def page_text(response):
    return " ".join(
        lxml.html.fromstring(response.content).xpath("//main")[0].text_content().split()
    )


@pytest.mark.parametrize("slug", ["about", "privacy", "contact"])
def test_the_migrations_write_about_privacy_and_contact(client, slug):
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//h1/text()") == [Page.objects.get(slug=slug).title]
    assert "The Association of Japanese Institutes of Strategic Studies" in page_text(response)


def test_the_privacy_notice_says_what_is_held_how_long_and_how_to_delete_it(client):
    text = page_text(client.get("/privacy/"))
    for held in (
        "e-mail address",
        "what you follow",
        "when you confirmed",
        "network (IP) address",
    ):
        assert held in text
    assert "three days" in text and "as long as you are subscribed" in text
    assert "unsubscribe link" in text and "Delete everything about me" in text
    assert "write to us" in text


def test_an_unknown_slug_is_the_sites_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert lxml.html.fromstring(response.content).xpath("//h1/text()") == ["Page not found"]


def test_the_catch_all_comes_last_and_shadows_no_address(client):
    """Every other address still answers as before, and the pages' route is the last one."""
    readers = get_resolver().url_patterns[-1]  # the readers' addresses, in each language
    assert isinstance(readers.pattern, LocalePrefixPattern)
    assert readers.url_patterns[-1].namespace == "pages"
    Page.objects.create(title="Search", slug="search", body="<p>Shadow</p>")
    Page.objects.create(title="Archive", slug="archive", body="<p>Shadow</p>")
    for path in ("/search/", "/archive/", "/commentaries/", "/authors/", "/subscribe/"):
        assert b"Shadow" not in client.get(path).content, path


def test_a_slug_another_address_answers_is_refused():
    for slug in ("search", "archive", "commentaries", "subscribe", "admin"):
        with pytest.raises(ValidationError) as refused:
            Page(title="x", slug=slug, body="<p>x</p>").full_clean()
        assert "slug" in refused.value.message_dict
    Page(title="Our funders", slug="funders", body="<p>x</p>").full_clean()


def test_the_body_is_sanitised_on_save(client):
    Page.objects.create(
        title="Team",
        slug="team",
        body='<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x">x</a></p>',
    )
    body = Page.objects.get(slug="team").body
    assert "script" not in body and "onclick" not in body and "javascript:" not in body
    assert client.get("/team/").status_code == 200


def test_a_page_is_cached_until_an_editor_changes_it(client, settings, django_assert_num_queries):
    settings.DEBUG = False
    first = client.get("/about/")
    with django_assert_num_queries(STATE_QUERIES):
        assert client.get("/about/").content == first.content
    about = Page.objects.get(slug="about")
    about.body = "<p>Founded to publish commentaries.</p>"
    about.save()
    assert b"Founded to publish commentaries." in client.get("/about/").content


def test_a_page_costs_few_queries(client, django_assert_max_num_queries):
    """The generation, the page, and the publisher the masthead and footer name (once for
    both): nothing per link."""
    with django_assert_max_num_queries(STATE_QUERIES + 2):
        assert client.get("/contact/").status_code == 200


def edit(client, page, **changes):
    data = {"title": page.title, "slug": page.slug, "body": page.body, **changes}
    return client.post(f"/admin/pages/page/{page.pk}/change/", data)


def test_editors_change_pages_with_revisions(client, editor):
    client.force_login(editor)
    about = Page.objects.get(slug="about")
    assert client.get("/admin/pages/page/").status_code == 200
    response = edit(client, about, body="<p>New text.</p>")
    assert response.status_code == 302
    assert edit(client, about, body="<p>Newer text.</p>").status_code == 302
    versions = Version.objects.get_for_object(about)
    assert [v.field_dict["body"] for v in versions] == ["<p>Newer text.</p>", "<p>New text.</p>"]
    history = client.get(f"/admin/pages/page/{about.pk}/history/")
    assert history.status_code == 200
    older = versions[1]
    revert = client.post(
        f"/admin/pages/page/{about.pk}/history/{older.pk}/",
        {"title": "About", "slug": "about", "body": "<p>New text.</p>"},
    )
    assert revert.status_code == 302
    assert Page.objects.get(slug="about").body == "<p>New text.</p>"


def test_the_admin_refuses_a_slug_another_address_answers(client, editor):
    client.force_login(editor)
    response = edit(client, Page.objects.get(slug="about"), slug="search")
    assert response.status_code == 200
    assert "/search/ is another part of the site" in response.content.decode()
    assert Page.objects.filter(slug="about").exists()


def test_contributors_and_staff_without_a_group_get_no_pages(
    client, contributor, django_user_model
):
    about = Page.objects.get(slug="about")
    before = about.body
    for username in ("contributor", "nobody"):
        if username == "nobody":
            django_user_model.objects.create_user("nobody", password=PASSWORD, is_staff=True)
        client.force_login(django_user_model.objects.get(username=username))
        assert client.get("/admin/pages/page/").status_code == 403
        assert client.get(f"/admin/pages/page/{about.pk}/change/").status_code == 403
        assert edit(client, about, body="<p>Defaced</p>").status_code == 403
    assert Page.objects.get(slug="about").body == before
    assert not contributor.has_perm("pages.change_page")


def test_a_version_of_another_model_is_not_reverted_through_pages(client, editor, seed):
    """django-reversion finds a version by id alone; the pages' admin asks for a page's."""
    with reversion.create_revision():
        seed.title = "Renamed"
        seed.save()
    version = Version.objects.get_for_object(seed).first()
    seed.title = "Current"
    seed.save()
    client.force_login(editor)
    for path in (
        f"/admin/pages/page/{seed.pk}/history/{version.pk}/",
        f"/admin/pages/page/recover/{version.pk}/",
        "/admin/pages/page/1/history/99999999999999999999/",
    ):
        assert client.post(path, {"title": "x", "slug": "x", "body": "x"}).status_code == 404
    seed.refresh_from_db()
    assert seed.title == "Current"


def test_editors_hold_the_page_permissions_and_contributors_none():
    codenames = {"add_page", "change_page", "delete_page", "view_page"}
    editors = Permission.objects.filter(group__name="Editors", content_type__app_label="pages")
    assert set(editors.values_list("codename", flat=True)) == codenames
    assert not Permission.objects.filter(
        group__name="Contributors", content_type__app_label="pages"
    ).exists()


@pytest.mark.parametrize("path", ["/", "/commentaries/", "/archive/", "/subscribe/", "/privacy/"])
def test_reading_sets_no_cookie_as_the_privacy_notice_says(client, seed, path):
    assert client.get(path, follow=True).cookies == {}


def test_requests_to_subscribe_go_after_three_days_as_the_privacy_notice_says(settings):
    """The worker's clock forgets them (with their client addresses) with no new request."""
    settings.ALERTS_CONFIRM_DAYS = 3
    now = timezone.now()
    for days in (2, 4):
        SignupRequest.objects.create(
            email=f"reader{days}@example.org",
            client="192.0.2.7",
            target="all",
            requested_at=now - dt.timedelta(days=days),
        )
    events.clock.send(sender=None)
    assert list(SignupRequest.objects.values_list("email", flat=True)) == ["reader2@example.org"]
