"""Add translation: another edition of an original, started as a draft with its structure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commentaries.models import Commentary
from commentaries.publishing import services
from tests.factories import AuthorFactory, CommentaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(editor):
    return CommentaryFactory(
        number=700,
        authors=AuthorFactory.create_batch(2),
        key_points=["First point.", "Second point.", "Third point."],
        topics=["Alliances", "Trade"],
        created_by=editor,
    )


def test_translate_starts_a_draft_with_the_original_structure(original, editor):
    translation = services.commentary_translate(commentary=original, language="ja", by=editor)
    translation = Commentary.objects.get(pk=translation.pk)
    assert translation.status == Commentary.Status.DRAFT
    assert (translation.original, translation.series, translation.number) == (
        original,
        original.series,
        700,
    )
    assert translation.language == "ja" and translation.created_by == editor
    assert [a.author for a in translation.ordered_authorships] == original.ordered_authors
    assert [a.affiliation for a in translation.ordered_authorships] == [
        a.affiliation for a in original.ordered_authorships
    ]
    assert sorted(t.name for t in translation.tags.all()) == ["Alliances", "Trade"]
    assert [k.text for k in translation.ordered_key_points] == ["", "", ""]
    assert set(original.editions()) == {original, translation}


def test_a_language_is_translated_once(original, editor):
    services.commentary_translate(commentary=original, language="ja", by=editor)
    with pytest.raises(ValidationError):
        services.commentary_translate(commentary=original, language="ja", by=editor)
    with pytest.raises(ValidationError):
        services.commentary_translate(commentary=original, language="en", by=editor)


def test_a_contributor_translates_only_what_they_may_edit(original, contributor):
    """Someone else's piece, or their own once published, is not theirs to translate."""
    with pytest.raises(PermissionDenied):
        services.commentary_translate(commentary=original, language="ja", by=contributor)
    own = CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor)
    assert services.commentary_translate(commentary=own, language="ja", by=contributor).pk
    published = CommentaryFactory(created_by=contributor)
    with pytest.raises(PermissionDenied):
        services.commentary_translate(commentary=published, language="ja", by=contributor)


def test_a_translation_is_not_translated_again(original, editor):
    translation = services.commentary_translate(commentary=original, language="ja", by=editor)
    with pytest.raises(PermissionDenied):
        services.commentary_translate(commentary=translation, language="en", by=editor)


def test_the_admin_asks_then_starts_the_translation(client, original, editor):
    client.force_login(editor)
    change = client.get(f"/admin/commentaries/commentary/{original.pk}/change/")
    url = f"/admin/commentaries/commentary/{original.pk}/translate/"
    assert url in change.content.decode()  # the "Add translation" object tool
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert not Commentary.objects.filter(original=original).exists()  # GET writes nothing
    response = client.post(url, {"language": "ja"})
    translation = Commentary.objects.get(original=original)
    assert response.url == f"/admin/commentaries/commentary/{translation.pk}/change/"
    # Asked again, there is nothing left to translate into.
    assert "every language" in client.get(url).content.decode()
    assert client.post(url, {"language": "ja"}).status_code == 200


@pytest.mark.parametrize("language", ["fr", "", "<b>", "ja\x00"])
def test_the_admin_refuses_other_languages_without_a_500(client, original, editor, language):
    client.force_login(editor)
    url = f"/admin/commentaries/commentary/{original.pk}/translate/"
    assert client.post(url, {"language": language}).status_code == 200
    assert not Commentary.objects.filter(original=original).exists()


def test_each_edition_form_links_the_others_and_keeps_the_number(client, original, editor):
    translation = services.commentary_translate(commentary=original, language="ja", by=editor)
    client.force_login(editor)
    page = client.get(f"/admin/commentaries/commentary/{translation.pk}/change/").content.decode()
    assert f'href="/admin/commentaries/commentary/{original.pk}/change/"' in page
    assert "English (the original)" in page
    assert 'name="number"' not in page  # a translation keeps its original's number
    page = client.get(f"/admin/commentaries/commentary/{original.pk}/change/").content.decode()
    assert f'href="/admin/commentaries/commentary/{translation.pk}/change/"' in page
