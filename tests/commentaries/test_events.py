import datetime as dt

import pytest
from django.utils import timezone

from commentaries.models import Commentary
from commentaries.publishing import events
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db


def test_a_pass_over_recent_changes_finds_what_changed_and_no_older_piece(time_machine):
    """The clock's frequent passes look only at pieces changed lately; the full pass (at start,
    and hourly) catches the rest."""
    time_machine.move_to(timezone.now(), tick=False)
    since = timezone.now() - dt.timedelta(hours=1)
    old = CommentaryFactory(published_at=timezone.now() - dt.timedelta(days=3))
    Commentary.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    scheduled = CommentaryFactory(published_at=timezone.now() + dt.timedelta(minutes=5))
    Commentary.objects.filter(pk=scheduled.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=2)
    )
    assert events.due(changed_since=since) == []  # scheduled: not yet; old: out of the window

    time_machine.shift(dt.timedelta(minutes=5))
    assert events.reconcile_all(changed_since=since) == [("public", scheduled.pk, 1)]
    assert events.reconcile_all() == [("public", old.pk, 1)]
    assert events.reconcile_all() == []
