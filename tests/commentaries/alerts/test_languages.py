"""Alerts in the subscriber's chosen languages: each edition goes only to the subscriptions
that want its language, written in that language; the preferences page changes the choice."""

import datetime as dt
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from commentaries.alerts import digests, tasks, tokens
from commentaries.alerts.messages import subscriber_links
from commentaries.alerts.models import Delivery, Frequency, SignupRequest, Subscription
from commentaries.publishing import events
from tests.commentaries.alerts.helpers import links, parsed, subscriber
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
JA_TITLE = "港湾の協力を地域から進めるべきだ"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://commentaries.example.org"
    settings.LANGUAGES = [("en", "English"), ("ja", "日本語")]


def publish(**kwargs):
    kwargs.setdefault("published_at", timezone.now() - dt.timedelta(minutes=1))
    piece = CommentaryFactory(**kwargs)
    events.reconcile(piece.pk)
    return piece


def sent_to(piece):
    return sorted(
        Delivery.objects.filter(commentary=piece, sent_at__isnull=False).values_list(
            "subscriber__email", flat=True
        )
    )


def test_a_piece_goes_only_to_subscriptions_in_its_language(seed):
    subscriber("en@example.org", languages="en")
    subscriber("ja@example.org", languages="ja")
    subscriber("both@example.org", languages="en ja")

    english = publish(title="Ports on both shores should share data", language="en")
    japanese = publish(title=JA_TITLE, language="ja")

    assert sent_to(english) == ["both@example.org", "en@example.org"]
    assert sent_to(japanese) == ["both@example.org", "ja@example.org"]
    assert len(mail.outbox) == 4  # never twice: one delivery row each
    events.reconcile_all()
    assert len(mail.outbox) == 4


def test_a_draft_in_the_subscriber_s_language_sends_nothing(seed):
    subscriber("ja@example.org", languages="ja")
    piece = CommentaryFactory(title=JA_TITLE, language="ja", status="draft")
    events.reconcile(piece.pk)
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_a_language_dropped_after_the_fan_out_stops_the_alert(seed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    subscriber("ja@example.org", languages="ja")
    piece = publish(title=JA_TITLE, language="ja")  # queued in the database, not run
    assert tasks.plan_alerts(piece.pk) == 1
    Subscription.objects.update(languages="en")

    tasks.send_alerts.call([Delivery.objects.get(commentary=piece).pk])
    assert mail.outbox == []
    assert Delivery.objects.get(commentary=piece).skipped == "unsubscribed"


def test_the_alert_is_written_in_the_piece_s_language(seed):
    subscriber("ja@example.org", languages="ja")
    publish(
        title=JA_TITLE,
        language="ja",
        published_at=dt.datetime(2026, 5, 15, 3, 0, tzinfo=dt.UTC),
    )
    (message,) = [parsed(m) for m in mail.outbox]
    assert message["Subject"].startswith(JA_TITLE)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert 'lang="ja"' in html
    # Written under translation.override("ja"): the date, the labels, the unsubscribe text.
    assert "2026年5月15日" in plain and "May" not in plain
    assert "ウェブ版：" in plain and "配信停止：" in plain and "Unsubscribe" not in plain
    assert "配信の変更・停止" in html and "Read the commentary" not in html


def test_confirming_on_another_language_s_page_adds_that_language(client, seed):
    subscriber("reader@example.org", languages="en")
    request = SignupRequest.objects.create(
        email="reader@example.org", client="192.0.2.1", target="all", language="ja", mailed=True
    )
    path = f"/alerts/confirm/{tokens.make_confirm(request.pk)}/"
    assert Client().post(path).status_code == 200
    assert Subscription.objects.get().languages == "en ja"


def test_preferences_change_the_languages(client, seed):
    reader = subscriber("reader@example.org", languages="en")
    row = reader.subscriptions.get()
    path = subscriber_links(reader)["preferences_url"].removeprefix(
        "https://commentaries.example.org"
    )
    page = client.get(path).content.decode()
    assert f'name="languages-{row.pk}" value="ja"' in page

    def change(languages):
        client.post(path, {"action": f"change:{row.pk}", f"languages-{row.pk}": languages})
        row.refresh_from_db()
        return row.languages

    assert change(["ja", "en"]) == "en ja"
    assert change(["ja"]) == "ja"
    assert change([]) == "ja"  # no language is no choice: stopping is the Stop button's
    assert change(["xx", "<b>"]) == "ja"  # values the form never offers change nothing
    publish(title=JA_TITLE, language="ja")
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


def test_a_weekly_digest_lists_the_pieces_in_its_languages(seed):
    due = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # a Monday, 09:00
    with time_machine.travel(due - dt.timedelta(days=10), tick=False):
        subscriber("weekly-ja@example.org", frequency=Frequency.WEEKLY, languages="ja")
    CommentaryFactory(title="An English piece", published_at=due - dt.timedelta(days=2))
    CommentaryFactory(title=JA_TITLE, language="ja", published_at=due - dt.timedelta(days=1))
    with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
        digests.plan()
    (message,) = [parsed(m) for m in mail.outbox]
    plain = message.get_body(("plain",)).get_content()
    assert JA_TITLE in plain and "An English piece" not in plain
    assert "今週の論考" in message["Subject"]  # its one piece's language
    assert 'lang="ja"' in message.get_body(("html",)).get_content()


def test_subscribing_on_a_japanese_page_follows_japanese_pieces(client, seed, settings):
    settings.SITE_URL = "http://testserver"
    page = lxml.html.fromstring(client.get("/ja/").content)
    (form,) = page.xpath("//form[@class='subscribe-form']")
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    fields |= {i.get("name"): i.get("value") for i in form.xpath(".//input[@checked]")}
    assert form.get("action").startswith("/ja/")
    client.post(form.get("action"), {**fields, "email": "reader@example.org"})
    assert SignupRequest.objects.get().language == "ja"
    (confirmation,) = [parsed(m) for m in mail.outbox]
    assert 'lang="ja"' in confirmation.get_body(("html",)).get_content()
    assert "購読の確認" in confirmation["Subject"]
    assert "購読を確定する" in confirmation.get_body(("plain",)).get_content()
    (url,) = [
        u for u in links(confirmation.get_body(("plain",)).get_content()) if "/confirm/" in u
    ]
    assert Client().post(url.removeprefix("http://testserver")).status_code == 200
    assert Subscription.objects.get().languages == "ja"
