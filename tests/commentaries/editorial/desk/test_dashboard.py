"""The admin's home page as editors and contributors meet it: what waits for whom, under which
heading, and what other staff get instead."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commentaries.alerts.models import Delivery
from commentaries.editorial.desk import dashboard, providers
from commentaries.models import Commentary
from commentaries.publishing.models import ReviewNote
from commentaries.scholarly import pdf
from commentaries.scholarly.models import CrossrefDeposit, PdfRendition
from tests.commentaries.alerts.helpers import subscriber
from tests.commentaries.editorial.desk.helpers import (
    Status,
    count,
    note,
    parse,
    piece,
    sections,
    titles,
    words,
)
from tests.factories import PASSWORD, AuthorFactory, staff_member

pytestmark = pytest.mark.django_db
HOME = "/admin/"


@pytest.fixture
def desk(editor, contributor):
    """Pieces in every state, by the editor, the contributor and another contributor."""
    now = timezone.now()
    other = staff_member("other", "Contributors")
    author = AuthorFactory(given_name="Hana", family_name="Sato")
    made = {
        "old review": piece("Old review", Status.IN_REVIEW, contributor, submitted_at=now - dt.timedelta(days=3), authors=[author]),
        "new review": piece("New review", Status.IN_REVIEW, other, submitted_at=now - dt.timedelta(hours=2)),
        "soon": piece("Soon", Status.PUBLISHED, editor, published_at=now + dt.timedelta(days=3)),
        "later": piece("Later", Status.PUBLISHED, editor, published_at=now + dt.timedelta(days=20)),
        "public": piece("Public", Status.PUBLISHED, editor, published_at=now - dt.timedelta(hours=5)),
        "withdrawn": piece("Withdrawn", Status.WITHDRAWN, editor),
        "editor draft": piece("Editor draft", Status.DRAFT, editor, planned_at=now + dt.timedelta(days=9)),
        "own draft": piece("Own draft", Status.DRAFT, contributor),
        "returned": piece("Returned draft", Status.DRAFT, contributor),
        "resubmitted": piece("Resubmitted", Status.IN_REVIEW, contributor, submitted_at=now),
        "other draft": piece("Other draft", Status.DRAFT, other),
    }  # fmt: skip
    note(made["returned"], ReviewNote.Kind.SUBMITTED, contributor, ago=dt.timedelta(days=2))
    note(
        made["returned"],
        ReviewNote.Kind.RETURNED,
        editor,
        "Shorten the summary, please.",
        ago=dt.timedelta(days=1),
    )
    note(
        made["resubmitted"],
        ReviewNote.Kind.RETURNED,
        editor,
        "Fix the title.",
        ago=dt.timedelta(days=1),
    )
    note(made["resubmitted"], ReviewNote.Kind.SUBMITTED, contributor)
    return made  # fmt: skip


def test_editors_see_each_list_under_its_heading(client, editor, desk):
    client.force_login(editor)
    response = client.get(HOME)
    assert response.status_code == 200
    found = sections(response)
    assert list(found) == [
        "In review",
        "Scheduled",
        "My drafts",
        "Recently published",
        "Without a translation",
        "Stale translations",
        "Needs attention",
    ]
    # Oldest first, with the byline and how long it has waited.
    assert titles(response, "In review") == ["Old review", "New review", "Resubmitted"]
    _, words, link = found["In review"][0]
    assert "Hana Sato" in words and "waiting 3 days" in words and "sent by contributor" in words
    assert link == reverse("admin:commentaries_commentary_change", args=[desk["old review"].pk])
    assert count(response, "In review") == "3"
    # The next fourteen days only: not later, not what is already public.
    assert titles(response, "Scheduled") == ["Soon"]
    assert "(in 3 days)" in found["Scheduled"][0][1] or "(in 2 days" in found["Scheduled"][0][1]
    assert titles(response, "My drafts") == ["Editor draft"]
    assert "planned for" in found["My drafts"][0][1]
    assert titles(response, "Recently published")[0] == "Public"  # then the seed, No.210
    assert "Withdrawn" not in response.content.decode()
    links = parse(response).xpath("//a[normalize-space()='Calendar']/@href")
    assert links == [reverse("admin:calendar")]


def test_contributors_see_their_own_pieces_and_the_notes_returned_to_them(
    client, contributor, desk
):
    client.force_login(contributor)
    response = client.get(HOME)
    assert response.status_code == 200
    found = sections(response)
    assert list(found) == [
        "Returned to you",
        "In review",
        "Scheduled",
        "My drafts",
        "Recently published",
    ]
    [(title, words, link)] = found["Returned to you"]
    assert title == "Returned draft"
    assert "Shorten the summary, please." in words and "returned by editor" in words
    assert link == reverse("admin:commentaries_commentary_change", args=[desk["returned"].pk])
    # Resubmitted since its return: in review, with no note shown.
    assert titles(response, "In review") == ["Old review", "Resubmitted"]
    assert "Fix the title." not in response.content.decode()
    assert titles(response, "My drafts") == ["Own draft"]
    assert count(response, "My drafts") == "1"
    page = response.content.decode()
    for theirs in ("New review", "Other draft", "Editor draft", "Soon", "Public", "Political"):
        assert theirs not in page
    assert "Calendar" not in parse(response).text_content()


def test_a_piece_returned_twice_shows_its_latest_note(client, contributor, editor):
    draft = piece("Twice returned", Status.DRAFT, contributor)
    note(draft, ReviewNote.Kind.RETURNED, editor, "First note.", ago=dt.timedelta(days=3))
    note(draft, ReviewNote.Kind.SUBMITTED, contributor, ago=dt.timedelta(days=2))
    note(draft, ReviewNote.Kind.RETURNED, editor, "Second note.", ago=dt.timedelta(days=1))
    client.force_login(contributor)
    [(_, words, _)] = sections(client.get(HOME))["Returned to you"]
    assert "Second note." in words and "First note." not in words


def test_staff_in_no_group_get_the_list_of_everything(client):
    client.force_login(User.objects.create_user("staffer", password=PASSWORD, is_staff=True))
    response = client.get(HOME)
    assert response.status_code == 200
    assert sections(response) == {}
    assert b"desk-section" not in response.content


def test_the_home_says_topics_never_taggit(client, editor, seed):
    client.force_login(editor)
    text = parse(client.get(HOME)).text_content()
    assert "Topics" in text and "taggit" not in text.lower() and "Tags" not in text
    listing = client.get("/admin/taggit/tag/")
    page = parse(listing)
    assert words(page.xpath("//ol[@class='breadcrumbs']")[0]) == "Home Topics Topics"
    assert "Select topic to change" in page.xpath("string(//title)")
    tag = seed.tags.first()
    change = parse(client.get(f"/admin/taggit/tag/{tag.pk}/change/"))
    assert "Change topic" in change.xpath("string(//title)")


def test_providers_add_alerts_and_the_pdf_to_recently_published(client, editor, settings):
    settings.CROSSREF_DEPOSIT_URL = ""
    now = timezone.now()
    done = piece(
        "With everything", Status.PUBLISHED, editor, published_at=now - dt.timedelta(hours=2)
    )
    piece("Just out", Status.PUBLISHED, editor, published_at=now - dt.timedelta(minutes=2))
    for address in ("a@example.org", "b@example.org"):
        Delivery.objects.create(subscriber=subscriber(address), commentary=done, sent_at=now)
    PdfRendition.objects.create(
        commentary=done,
        edition=pdf.edition(done),
        file="pdf/x.pdf",
        etag="x",
        size=1,
        render_seconds=1,
    )
    client.force_login(editor)
    rows = {title: words for title, words, _ in sections(client.get(HOME))["Recently published"]}
    assert "Alerts 2 sent" in rows["With everything"] and "PDF ready" in rows["With everything"]
    assert "Alerts none" in rows["Just out"] and "PDF being made" in rows["Just out"]


def test_needs_attention_lists_failed_renders_deposits_and_sends(client, editor, settings):
    settings.CROSSREF_DEPOSIT_URL = "http://127.0.0.1:9/deposit"
    now = timezone.now()
    piece("No PDF", Status.PUBLISHED, editor, published_at=now - dt.timedelta(hours=1))
    refused = piece(
        "Refused",
        Status.PUBLISHED,
        editor,
        published_at=now - dt.timedelta(hours=3),
        doi="10.99999/ajiss.9001",
    )
    unsent = piece("Unsent", Status.PUBLISHED, editor, published_at=now - dt.timedelta(days=2))
    for ready in (refused, unsent):
        PdfRendition.objects.create(
            commentary=ready,
            edition=pdf.edition(ready),
            file="pdf/x.pdf",
            etag="x",
            size=1,
            render_seconds=1,
        )
    CrossrefDeposit.objects.create(
        commentary=refused,
        edition=pdf.edition(refused),
        doi=refused.doi,
        batch_id="b1",
        status_code=401,
    )
    late = Delivery.objects.create(subscriber=subscriber("late@example.org"), commentary=unsent)
    Delivery.objects.filter(pk=late.pk).update(created_at=now - dt.timedelta(hours=2))
    Delivery.objects.create(
        subscriber=subscriber("soon@example.org"), commentary=unsent
    )  # still in time
    client.force_login(editor)
    response = client.get(HOME)
    rows = {
        (title, words.split(" No.")[0])
        for title, words, _ in sections(response)["Needs attention"]
    }
    assert rows == {
        ("No PDF", "No PDF PDF edition not made"),
        ("Refused", "Refused Not deposited at Crossref"),
        ("Unsent", "Unsent 1 e-mail alert not sent"),
    }
    assert count(response, "Needs attention") == "3"  # fmt: skip


def test_contributors_never_see_what_providers_add(client, contributor, editor):
    mine = piece("Mine and public", Status.PUBLISHED, contributor)
    Delivery.objects.create(
        subscriber=subscriber("x@example.org"), commentary=mine, sent_at=timezone.now()
    )
    client.force_login(contributor)
    response = client.get(HOME)
    assert titles(response, "Recently published") == ["Mine and public"]
    assert b"desk-cells" not in response.content and b"Needs attention" not in response.content


def test_a_provider_asks_for_its_permission(client, editor, db):
    """An editor without the subscribers' permission sees no alert figures."""
    assert {type(p).__name__ for p in providers.providers()} == {"AlertsSent", "ScholarlyRecord"}
    publisher = User.objects.create_user("publisher", password=PASSWORD, is_staff=True)
    publisher.user_permissions.add(
        *Permission.objects.filter(codename__in=["publish_commentary", "view_commentary"])
    )
    piece("Out", Status.PUBLISHED, editor)
    client.force_login(publisher)
    [(_, words, _), _seed] = sections(client.get(HOME))["Recently published"]
    assert "PDF not made" in words and "Alerts" not in words


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def fill(user, editor, start, stop):
    """Pieces in every list of the dashboard, each with two authors; alerts and PDFs too."""
    now = timezone.now()
    for n in range(start, stop):
        authors = AuthorFactory.create_batch(2)
        piece(f"Review {n}", Status.IN_REVIEW, user, submitted_at=now, authors=authors)
        piece(f"Draft {n}", Status.DRAFT, user, planned_at=now, authors=authors)
        returned = piece(f"Returned {n}", Status.DRAFT, user, authors=authors)
        note(returned, ReviewNote.Kind.RETURNED, editor, "Again.")
        soon = now + dt.timedelta(days=1)
        piece(f"Soon {n}", Status.PUBLISHED, user, published_at=soon, authors=authors)
        out = piece(
            f"Out {n}",
            Status.PUBLISHED,
            user,
            published_at=now - dt.timedelta(hours=1),
            authors=authors,
        )
        # A translation of it the original changed after (stale), and a piece without one.
        behind = now - dt.timedelta(hours=2)
        translation = piece(
            f"Translated {n}",
            Status.PUBLISHED,
            user,
            published_at=behind,
            number=out.number,
            language="ja",
            original=out,
            authors=authors,
        )
        Commentary.objects.filter(pk=translation.pk).update(updated_at=behind)
        piece(f"Alone {n}", Status.PUBLISHED, user, authors=authors)
        Delivery.objects.create(
            subscriber=subscriber(f"r{n}@example.org"), commentary=out, sent_at=now
        )
        late = Delivery.objects.create(subscriber=subscriber(f"l{n}@example.org"), commentary=out)
        Delivery.objects.filter(pk=late.pk).update(created_at=now - dt.timedelta(hours=2))


@pytest.mark.parametrize("role", ["editor", "contributor"])
def test_the_dashboard_costs_the_same_however_many_pieces(client, role, request, editor):
    """Guards against a query per piece or per row: a full page of every list costs what one
    piece in each does."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    fill(user, editor, 0, 2)
    dashboard_queries(client)  # content types and the like, cached from now on
    one = dashboard_queries(client)
    fill(user, editor, 2, 12)
    assert dashboard_queries(client) == one
    # Editors' two more: pieces without a translation, stale translations.
    assert one <= {"editor": 21, "contributor": 12}[role]  # the two-step check included


def test_each_list_reads_no_more_pieces_than_it_shows(client, editor):
    """The same number of queries is not enough: a list read whole and cut in Python costs a
    row per piece in the archive (the untranslated list once did: 2.6 s at 100,000 pieces)."""
    for n in range(dashboard.LIMIT + 3):
        piece(f"Alone {n}", Status.PUBLISHED, editor)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        untranslated = sections(client.get(HOME))["Without a translation"]
    assert len(untranslated) == dashboard.LIMIT
    pieces = [
        q["sql"]
        for q in queries
        if q["sql"].split(" FROM ")[1].startswith('"commentaries_commentary"')
    ]
    unbounded = [sql for sql in pieces if not re.search(r" LIMIT \d+$", sql)]
    # Counts aside, and reads of the pieces shown, by their ids.
    named = '"commentaries_commentary"."id" IN ('
    assert [sql for sql in unbounded if "COUNT(" not in sql and named not in sql] == []
