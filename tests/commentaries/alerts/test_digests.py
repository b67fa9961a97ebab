"""Weekly digests: one per subscriber and week, listing the week's matching pieces."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from commentaries.alerts import digests
from commentaries.alerts.models import Digest, Frequency
from commentaries.publishing import events
from tests.commentaries.alerts.helpers import parsed, subscriber
from tests.factories import CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
DUE = dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO)  # a Monday, 09:00 site time


@pytest.fixture
def week(seed):
    with time_machine.travel(DUE - dt.timedelta(days=10), tick=False):
        subscriber("weekly@example.org", frequency=Frequency.WEEKLY)
        subscriber(
            "series-weekly@example.org",
            target=f"series:{SeriesFactory().pk}",
            frequency=Frequency.WEEKLY,
        )
        subscriber("each@example.org")
    for days, title in [(8, "Too early"), (6, "In the week"), (1, "Late in the week")]:
        CommentaryFactory(title=title, published_at=DUE - dt.timedelta(days=days))
    CommentaryFactory(title="Draft", status="draft", published_at=DUE - dt.timedelta(days=2))


def test_the_digest_lists_the_week_once_and_only_when_due(week):
    with time_machine.travel(DUE - dt.timedelta(minutes=1), tick=False):
        events.clock.send(sender=None)  # the worker clock's pass
    assert not Digest.objects.exists()
    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        events.clock.send(sender=None)  # the worker clock's pass
        events.clock.send(sender=None)  # the worker clock's pass
    with time_machine.travel(DUE + dt.timedelta(hours=5), tick=False):
        digests.plan()

    (message,) = [parsed(m) for m in mail.outbox if m.to == ["weekly@example.org"]]
    plain = message.get_body(("plain",)).get_content()
    assert plain.index("In the week") < plain.index("Late in the week")
    assert "Too early" not in plain and "Draft" not in plain
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Nothing in the week from the series followed: that subscriber gets no e-mail.
    assert [m.to for m in mail.outbox] == [["weekly@example.org"]]
    assert Digest.objects.count() == 2
    assert Digest.objects.get(subscriber__email="series-weekly@example.org").skipped


def test_who_subscribed_after_the_digest_time_waits_for_the_next(week):
    with time_machine.travel(DUE + dt.timedelta(hours=1), tick=False):
        subscriber("newcomer@example.org", frequency=Frequency.WEEKLY)
        digests.plan()
    assert not any(m.to == ["newcomer@example.org"] for m in mail.outbox)


def test_a_digest_left_a_day_late_is_skipped(week):
    with time_machine.travel(DUE + dt.timedelta(days=1, minutes=1), tick=False):
        assert digests.plan() == 0
    assert mail.outbox == []
