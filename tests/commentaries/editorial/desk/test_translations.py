"""The desk's translation sections, and what makes a translation stale."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from commentaries.models import Commentary
from commentaries.publishing import services
from tests.commentaries.editorial.desk.helpers import piece, sections
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
Status = Commentary.Status
HOME = "/admin/"


@pytest.fixture
def pair():
    """An English original and its Japanese translation, published after it."""
    now = timezone.now()
    original = CommentaryFactory(number=800, slug="trade", title="Trade rules")
    translation = CommentaryFactory(
        number=800, slug="boeki", title="貿易のルール", language="ja", original=original
    )
    earlier = now - dt.timedelta(days=2)
    Commentary.objects.filter(pk=original.pk).update(updated_at=earlier, published_at=earlier)
    Commentary.objects.filter(pk=translation.pk).update(
        updated_at=now - dt.timedelta(days=1), published_at=now - dt.timedelta(days=1)
    )
    return Commentary.objects.get(pk=original.pk), Commentary.objects.get(pk=translation.pk)


def stale():
    return list(Commentary.objects.stale_translations())


def test_a_translation_is_current_until_its_original_changes(pair):
    _, translation = pair
    assert not translation.is_stale_translation and stale() == []


def test_a_content_change_to_the_original_makes_it_stale(pair):
    original, translation = pair
    original.title = "Trade rules, revised"
    original.save()
    translation.refresh_from_db()
    assert translation.is_stale_translation and stale() == [translation]


def test_a_major_correction_to_the_original_makes_it_stale(pair, editor):
    original, translation = pair
    services.commentary_correct(commentary=original, by=editor, note="A date was wrong.")
    translation = Commentary.objects.select_related("original").get(pk=translation.pk)
    assert translation.is_stale_translation and stale() == [translation]


def test_saving_the_translation_brings_it_up_to_date(pair):
    original, translation = pair
    original.save()
    translation.save()  # the translator's update, public as soon as saved
    translation.refresh_from_db()
    assert not translation.is_stale_translation and stale() == []


def test_drafts_are_never_stale(pair):
    original, translation = pair
    Commentary.objects.filter(pk=translation.pk).update(status=Status.DRAFT)
    original.save()
    assert stale() == []


def test_readers_of_a_stale_translation_are_told_and_linked_to_the_original(client, pair):
    original, translation = pair
    original.save()
    page = client.get(translation.get_absolute_url()).content.decode()
    notice = "The original has been corrected since this translation was published."
    with override("ja"):
        japanese = gettext(notice)
    assert japanese != notice and japanese in page  # the notice, in Japanese
    assert f'href="{original.get_absolute_url()}"' in page
    # Its original's own page says nothing of the kind.
    english = client.get(original.get_absolute_url()).content.decode()
    assert "corrected since this translation" not in english
    assert "この翻訳" not in english


def test_the_desk_lists_pieces_without_a_translation_and_stale_ones(client, editor, pair):
    original, translation = pair
    alone = piece("Alone", Status.PUBLISHED, editor)
    piece("A draft", Status.DRAFT, editor)  # not public: not listed
    original.save()
    client.force_login(editor)
    found = sections(client.get(HOME))
    untranslated = [title for title, _, _ in found["Without a translation"]]
    assert alone.title in untranslated and original.title not in untranslated
    assert "A draft" not in untranslated
    [(title, words, link)] = found["Stale translations"]
    assert title == translation.title and "original changed" in words
    assert link.endswith(f"/{translation.pk}/change/")


def test_contributors_have_no_translation_sections(client, contributor, pair):
    client.force_login(contributor)
    found = sections(client.get(HOME))
    assert "Without a translation" not in found and "Stale translations" not in found


def test_recently_published_names_the_language_of_an_edition_in_another(client, editor, pair):
    """Two editions share a number: the one not in the site's language says which it is."""
    original, translation = pair
    client.force_login(editor)
    rows = {title: words for title, words, _ in sections(client.get(HOME))["Recently published"]}
    assert "日本語" in rows[translation.title]
    assert "English" not in rows[original.title] and "日本語" not in rows[original.title]
