import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

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


def test_on_topic_is_the_topic_s_pieces_once_each(db):
    sea = CommentaryFactory(topics=["Sea lanes", "Fisheries"])
    both = CommentaryFactory(topics=["Sea lanes"])
    CommentaryFactory(topics=["Fisheries"])
    topic = Tag.objects.get(name="Sea lanes")
    # A tagging of another model with the same object id is not one of our pieces'.
    other = TaggedItem.objects.create(
        tag=Tag.objects.get(name="Fisheries"),
        content_type=ContentType.objects.get_for_model(Tag),
        object_id=both.pk,
    )
    assert list(Commentary.objects.on_topic(topic).order_by("pk")) == [sea, both]
    assert not Commentary.objects.on_topic(other.tag).filter(pk=both.pk).exists()
    assert not Commentary.objects.on_topic(None).exists()


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
