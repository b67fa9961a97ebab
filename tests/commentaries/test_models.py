import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from commentaries.models import Commentary
from tests.factories import CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_future_and_other_states(seed):
    """published() is the one rule: status published and the publication time has come."""
    now = timezone.now()
    visible = CommentaryFactory(published_at=now - dt.timedelta(minutes=1))
    CommentaryFactory(status=Commentary.Status.DRAFT, published_at=now - dt.timedelta(days=1))
    CommentaryFactory(status=Commentary.Status.IN_REVIEW, published_at=now - dt.timedelta(days=1))
    CommentaryFactory(status=Commentary.Status.WITHDRAWN, published_at=now - dt.timedelta(days=1))
    CommentaryFactory(published_at=now + dt.timedelta(minutes=1))
    assert set(Commentary.objects.published()) == {seed, visible}


def test_number_unique_within_series(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentaryFactory(series=seed.series, number=210)
    other = SeriesFactory()
    assert CommentaryFactory(series=other, number=210).number == 210


@pytest.mark.parametrize("number", [0])
def test_number_must_be_positive(seed, number):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentaryFactory(number=number)


def test_body_is_sanitised_on_save(db):
    commentary = CommentaryFactory(
        body='<p onclick="steal()">Text<script>alert(1)</script> <a href="javascript:x()">l</a></p>'
    )
    assert commentary.body == '<p>Text <a rel="noopener noreferrer">l</a></p>'
