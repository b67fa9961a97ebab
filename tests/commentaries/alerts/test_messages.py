"""What a subscriber receives: headers, both parts, links that work."""

import datetime as dt
import email.policy
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core import mail
from django.utils import timezone

from commentaries.alerts.models import Delivery, Subscription
from commentaries.publishing import events
from tests.commentaries.alerts.helpers import links, parsed, subscriber
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db
SITE = "https://commentaries.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_FROM = "AJISS alerts <alerts@example.org>"


@pytest.fixture
def alert(seed):
    subscriber("reader@example.org")
    piece = CommentaryFactory(
        title="Shipping lanes & the Strait",
        published_at=timezone.now() - dt.timedelta(minutes=1),
        authors=[AuthorFactory(given_name="Keiko", family_name="Tanaka")],
        key_points=["The first key point.", "The second key point."],
        body='<p>Body <a href="/commentaries/210/">an earlier piece</a>.</p>'
        '<p><img src="https://tracker.example.net/pixel.gif" alt=""></p>',
    )
    events.reconcile(piece.pk)
    (message,) = mail.outbox
    return piece, parsed(message)


def test_headers(alert):
    piece, message = alert
    assert message["From"] == "AJISS alerts <alerts@example.org>"
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == f"Shipping lanes & the Strait (AJISS-Commentary {piece.label})"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/alerts/unsubscribe/")
    assert message["List-Id"] == "AJISS-Commentary alerts <alerts.commentaries.example.org>"
    assert message["Message-ID"].endswith("@commentaries.example.org>")


def test_both_parts_carry_the_piece_in_full(alert):
    piece, message = alert
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    canonical = SITE + piece.get_absolute_url()
    disclaimer = piece.disclaimer
    for text in (plain, lxml.html.fromstring(html).text_content()):
        for expected in (
            "AJISS-Commentary",
            piece.label,
            "Shipping lanes & the Strait",
            timezone.localtime(piece.published_at).strftime("%-d %B %Y"),
            "Keiko Tanaka",
            "The first key point.",
            "The second key point.",
            "an earlier piece",
            "The bio as published.",
            disclaimer,
            canonical,
        ):
            assert expected in " ".join(text.split()), expected


def test_html_links_are_absolute_and_nothing_loads_from_elsewhere(alert):
    piece, message = alert
    doc = lxml.html.fromstring(message.get_body(("html",)).get_content())
    hrefs = doc.xpath("//a/@href")
    assert hrefs and all(h.startswith(SITE + "/") for h in hrefs)
    assert f"{SITE}/commentaries/210/" in hrefs
    assert not doc.xpath("//img|//script|//link[@rel='stylesheet']|//iframe")
    plain = message.get_body(("plain",)).get_content()
    assert f"{SITE}/commentaries/210/" in links(plain)


def test_the_unsubscribe_header_works_in_one_click(alert, client):
    piece, message = alert
    url = message["List-Unsubscribe"].strip("<>").split(">")[0]
    response = client.post(
        urlsplit(url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_plain_part_links_to_preferences_and_unsubscribing(alert, client):
    piece, message = alert
    plain = message.get_body(("plain",)).get_content()
    paths = [urlsplit(u).path for u in links(plain)]
    assert any(p.startswith("/alerts/preferences/") for p in paths)
    assert any(p.startswith("/alerts/unsubscribe/") for p in paths)
    for path in paths:
        if path.startswith("/alerts/"):
            assert client.get(path).status_code == 200


def test_key_points_and_a_link_when_the_site_sends_no_full_text(settings, seed):
    settings.ALERTS_FULL_TEXT = False
    subscriber("reader@example.org")
    piece = CommentaryFactory(key_points=["Only this."], body="<p>The whole body.</p>")
    events.reconcile(piece.pk)
    message = parsed(mail.outbox[0])
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Only this." in plain and "Only this." in html
    assert "The whole body." not in plain and "The whole body." not in html
    assert "Read the commentary" in html


def test_every_message_has_its_own_message_id(seed):
    for n in range(3):
        subscriber(f"reader{n}@example.org")
    CommentaryFactory()
    events.reconcile_all()
    ids = [parsed(m)["Message-ID"] for m in mail.outbox]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_a_long_unsubscribe_url_stays_a_plain_url_on_the_wire(settings, seed):
    settings.SITE_URL = "https://commentaries.a-rather-long-institute-name.example.org"
    subscriber("reader@example.org")
    events.reconcile(CommentaryFactory().pk)
    raw = mail.outbox[0].message(policy=email.policy.SMTP).as_bytes()
    (line,) = [line for line in raw.split(b"\r\n") if line.startswith(b"List-Unsubscribe:")]
    assert line.startswith(b"List-Unsubscribe: <https://commentaries.a-rather-long-institute")
    assert b"=?" not in line


@pytest.mark.parametrize(
    "title",
    [
        "Line one\nline two",
        "Carriage\r\nreturn",
        "Tab\tbell\x07escape\x1b[31m",
        "Separators\u2028and\u2029next\x85line",
    ],
)
def test_control_characters_in_a_title_never_reach_a_header_and_the_alert_goes(seed, title):
    """A title set by an import or a script may hold them; the subject is one line without
    them, and the alert is sent rather than refused."""
    subscriber("reader@example.org")
    piece = CommentaryFactory(title=title, published_at=timezone.now() - dt.timedelta(minutes=1))
    events.reconcile(piece.pk)
    (sent,) = mail.outbox
    raw = sent.message(policy=email.policy.SMTP).as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0].decode()
    subject = parsed(sent)["Subject"]
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in subject)
    assert "\u2028" not in subject and "\u2029" not in subject
    assert " ".join(title.split()).split()[0] in subject
    assert "\x07" not in headers and "\x1b" not in headers
    assert all(line[:1] in (" ", "\t") or ":" in line for line in headers.split("\r\n"))
    assert Delivery.objects.get(commentary=piece).sent_at is not None
