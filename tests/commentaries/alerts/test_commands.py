"""export_subscribers, disable_bounced, and export_content leaving subscribers out."""

import json

import pytest
from django.core.management import CommandError, call_command

from commentaries.alerts.models import Subscriber
from tests.commentaries.alerts.helpers import subscriber

pytestmark = pytest.mark.django_db


def test_export_subscribers_writes_their_consent_records(seed, tmp_path):
    subscriber("one@example.org")
    out = tmp_path / "subscribers.json"
    call_command("export_subscribers", str(out))
    (row,) = json.loads(out.read_text())["subscribers"]
    assert row["email"] == "one@example.org" and row["consented_at"]
    (subscription,) = row["subscriptions"]
    assert subscription["follows"] == "Everything" and subscription["confirmed_at"]


def test_export_content_leaves_subscribers_out(seed, tmp_path):
    subscriber("private@example.org")
    out = tmp_path / "content.json"
    call_command("export_content", str(out))
    assert "private@example.org" not in out.read_text()


def test_hard_bounces_are_disabled(seed, tmp_path):
    subscriber("gone@example.org")
    subscriber("fine@example.org")
    bounces = tmp_path / "bounces.txt"
    bounces.write_text("# from the mail server\n<Gone@Example.org> 550 5.1.1 no such user\n\n")
    call_command("disable_bounced", str(bounces))
    assert list(Subscriber.objects.active().values_list("email", flat=True)) == [
        "fine@example.org"
    ]
    assert Subscriber.objects.get(email="gone@example.org").disabled_reason == "hard bounce"


def test_a_bad_bounce_list_changes_nothing(seed, tmp_path):
    subscriber("gone@example.org")
    bounces = tmp_path / "bounces.txt"
    bounces.write_text("gone@example.org\nnot-an-address\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("disable_bounced", str(bounces))
    with pytest.raises(CommandError, match="missing.txt"):
        call_command("disable_bounced", str(tmp_path / "missing.txt"))
    assert Subscriber.objects.active().count() == 1
