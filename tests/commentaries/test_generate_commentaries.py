import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max, Min
from taggit.models import TaggedItem

from commentaries.models import Authorship, Commentary, SearchDocument
from commentaries.publishing import events
from commentaries.publishing.models import PublicationEvent
from commentaries.search.index import index_commentaries
from commentaries.search.query import search
from commentaries.words import WORD_BREAK, has_japanese, text_of


@pytest.mark.django_db
def test_generated_pieces_are_public_announced_and_searchable(seed):
    call_command("generate_commentaries", count=30, seed=3, without_pdfs=True, verbosity=0)

    generated = Commentary.objects.published().exclude(pk=seed.pk)
    assert generated.count() == 30
    piece = generated.order_by("number").first()
    assert piece.number == seed.number + 1
    assert len(piece.body.split()) > 700
    assert piece.key_points.count() == 3
    assert 1 <= piece.authorships.count() <= 3
    assert piece.tags.count() == 3
    assert piece.release == 1 and piece.first_published_at == piece.published_at
    # Already announced, as a bulk-loaded archive must be: the event clock finds nothing due.
    assert PublicationEvent.objects.filter(commentary__in=generated, kind="public").count() == 30
    assert events.reconcile_all() == []
    documents = SearchDocument.objects.filter(commentary__in=generated)
    assert documents.count() == 30
    if connection.vendor == "postgresql":
        assert not documents.filter(vector=None).exists()


@pytest.mark.django_db
def test_some_topics_are_far_commoner_than_others(seed):
    """As in real archives, so that the bench meets topics on a third of the archive as well as
    rare ones."""
    call_command(
        "generate_commentaries", count=300, topics=30, seed=5, without_pdfs=True, verbosity=0
    )
    taggings = TaggedItem.objects.exclude(object_id=seed.pk)
    sizes = sorted(Counter(taggings.values_list("tag", flat=True)).values())
    assert len(sizes) == 30 and sum(sizes) == 3 * 300
    assert sizes[-1] > 100 and sizes[-1] > 5 * sizes[15]  # the commonest, the median


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_archive():
    call_command("generate_commentaries", count=5, seed=7, without_pdfs=True, verbosity=0)
    first = list(Commentary.objects.order_by("number").values_list("title", flat=True))
    Commentary.objects.exclude(number=210).delete()  # authors and topics stay: runs share them
    call_command("generate_commentaries", count=5, seed=7, without_pdfs=True, verbosity=0)
    assert list(Commentary.objects.order_by("number").values_list("title", flat=True)) == first


@pytest.mark.django_db
def test_a_page_shaped_archive_one_author_three_topics_one_month(seed):
    call_command(
        "generate_commentaries",
        count=19,
        authors=1,
        topics=3,
        days=30,
        seed=2,
        without_pdfs=True,
        verbosity=0,
    )
    generated = Commentary.objects.exclude(pk=seed.pk)
    assert generated.count() == 19
    assert (
        Authorship.objects.filter(commentary__in=generated).values("author").distinct().count()
        == 1
    )
    topics = {tag.name for piece in generated for tag in piece.tags.all()}
    assert len(topics) == 3
    assert all(piece.tags.count() == 3 for piece in generated)
    span = generated.aggregate(first=Min("published_at"), last=Max("published_at"))
    assert span["last"] - span["first"] < dt.timedelta(days=30)


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["authors", "topics", "days"])
def test_a_pool_of_nothing_is_refused(option):
    with pytest.raises(CommandError, match=f"--{option} must be 1 or more"):
        call_command(
            "generate_commentaries", count=3, without_pdfs=True, verbosity=0, **{option: 0}
        )
    assert not Commentary.objects.exclude(number=210).exists()


@pytest.mark.django_db
def test_a_third_of_the_pieces_are_japanese_and_searchable_by_their_words(seed):
    """Japanese sentences of the generator's own vocabulary, indexed as search.index does."""
    call_command("generate_commentaries", count=30, seed=3, without_pdfs=True, verbosity=0)
    japanese = Commentary.objects.filter(language="ja")
    assert japanese.count() == 10
    piece = japanese.first()
    assert has_japanese(piece.title) and len(piece.body) > 2000
    assert all(has_japanese(point.text) for point in piece.key_points.all())
    found = search(Commentary.objects.published(), "安全保障")
    assert found and set(found) <= set(japanese.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        generated = SearchDocument.objects.get(commentary=piece)
        assert WORD_BREAK in generated.text
        # the same text and vector as the index makes when the piece is next saved
        index_commentaries([piece.pk])
        indexed = SearchDocument.objects.get(commentary=piece)
        assert indexed.text == generated.text
        assert indexed.names == generated.names
        assert indexed.vector == generated.vector
        assert "安全保障" in text_of(indexed.text)


@pytest.mark.django_db
def test_a_third_is_in_japanese_and_some_pieces_have_both_editions(seed):
    call_command("generate_commentaries", count=60, seed=4, without_pdfs=True, verbosity=0)
    generated = Commentary.objects.exclude(pk=seed.pk)
    assert generated.filter(language="ja").count() == 20
    translations = generated.exclude(original=None).select_related("original")
    assert translations.count() == 10
    for translation in translations:
        original = translation.original
        assert (original.language, translation.language) == ("en", "ja")
        assert original.number == translation.number and translation.translator
        assert original.published_at < translation.published_at
        assert translation.ordered_authors == original.ordered_authors
        assert set(translation.tags.all()) == set(original.tags.all())
    # Numbers run on without gaps: a translation takes its original's.
    numbers = sorted(set(generated.values_list("number", flat=True)))
    assert numbers == list(range(seed.number + 1, seed.number + 51))
