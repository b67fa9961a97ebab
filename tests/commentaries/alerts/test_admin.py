"""What editors see of subscribers, and what contributors and other staff do not."""

import csv
import io

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from commentaries.alerts.models import Frequency, Subscriber
from commentaries.publishing import events
from tests.commentaries.alerts.helpers import parsed, subscriber
from tests.factories import PASSWORD, CommentaryFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/alerts/subscriber/"


@pytest.fixture
def staff_without_group(db):
    return User.objects.create_user("nobody", "nobody@example.org", PASSWORD, is_staff=True)


@pytest.fixture
def readers(seed):
    subscriber("one@example.org")
    subscriber("two@example.org", target=f"series:{seed.series_id}", frequency=Frequency.WEEKLY)
    subscriber("pending@example.org", confirmed=False)


def test_editors_see_counts_and_search_by_address(client, readers, editor):
    client.force_login(editor)
    page = client.get(LIST)
    assert page.status_code == 200
    counts = lxml.html.fromstring(page.content).xpath("//*[@class='module subscriber-counts']")[0]
    assert counts.xpath("string(h2)") == "2 confirmed subscribers"
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in counts.xpath(".//tbody/tr")]
    assert rows == [["Everything", "1", "0"], ["Series: AJISS-Commentary", "0", "1"]]
    found = client.get(LIST, {"q": "two@"})
    assert b"two@example.org" in found.content and b"one@example.org" not in found.content


def test_editors_export_csv_and_remove(client, readers, editor):
    client.force_login(editor)
    pks = list(Subscriber.objects.values_list("pk", flat=True))
    response = client.post(LIST, {"action": "export_csv", "_selected_action": pks, "index": 0})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["email"] for r in rows} == {
        "one@example.org",
        "two@example.org",
        "pending@example.org",
    }
    assert next(r for r in rows if r["email"] == "two@example.org")["follows"] == (
        "Series: AJISS-Commentary (a weekly digest)"
    )
    one = Subscriber.objects.get(email="one@example.org")
    response = client.post(f"{LIST}{one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Subscriber.objects.filter(pk=one.pk).exists()


@pytest.mark.parametrize("user", ["contributor", "staff_without_group"])
def test_contributors_and_staff_without_a_group_see_no_subscriber(
    client, seed, readers, user, request
):
    client.force_login(request.getfixturevalue(user))
    assert client.get(LIST).status_code == 403
    pk = Subscriber.objects.first().pk
    assert client.get(f"{LIST}{pk}/change/").status_code == 403
    assert b"Subscriber" not in client.get("/admin/").content
    change = client.get(reverse("admin:commentaries_commentary_change", args=[seed.pk]))
    assert b"alert-summary" not in change.content  # not even how many alerts went out


def test_nobody_adds_an_address_by_hand(client, readers, editor, superuser):
    client.force_login(editor)
    assert client.get(f"{LIST}add/").status_code == 403
    client.force_login(superuser)
    assert client.get(f"{LIST}add/").status_code == 403


def test_the_change_page_sends_a_test_email_and_counts_alerts(client, readers, editor):
    client.force_login(editor)
    piece = CommentaryFactory(key_points=["A key point."])
    events.reconcile(piece.pk)  # one alert to one@ (two@ is weekly)
    mail.outbox.clear()
    change = reverse("admin:commentaries_commentary_change", args=[piece.pk])
    page = lxml.html.fromstring(client.get(change).content)
    assert "Alerts: 1 sent" in page.xpath("string(//*[@class='alert-summary'])")
    (form,) = page.xpath("//form[@class='alert-test-email']")

    response = client.post(form.get("action"), {"csrfmiddlewaretoken": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == change
    (message,) = mail.outbox
    assert message.to == [editor.email]
    message = parsed(message)
    assert message["Subject"].startswith("[Test]")
    assert "A key point." in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"] is None  # no subscriber behind it


def test_the_test_email_is_for_staff_who_may_see_the_piece(client, seed, staff_without_group):
    piece = CommentaryFactory()
    url = reverse("alerts:test-email", args=[piece.pk])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(staff_without_group)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (403, 404, 405)
    assert mail.outbox == []
