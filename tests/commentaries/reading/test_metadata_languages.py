"""What a piece's metadata says of its language and of its other editions."""

import pytest
from django.test import RequestFactory

from commentaries.addresses import absolute
from commentaries.reading import metadata
from commentaries.reading.views import editions_of
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """An English original with a DOI and its Japanese translation, both public."""
    original = CommentaryFactory(
        number=9016, title="Ports that share their weather", doi="10.99999/test.9016"
    )
    translation = CommentaryFactory(
        number=9016,
        title="天気を分け合う港",
        slug="minato",
        language="ja",
        original=original,
        doi="10.99999/test.9016.ja",
    )
    return original, translation


def described(commentary):
    """The JSON-LD item and the <meta> tags of the piece, with the editions its page fetches."""
    request = RequestFactory().get("/")
    editions = editions_of(commentary, request)["editions"]
    url = absolute(commentary.get_absolute_url())
    ld = metadata.json_ld(commentary, url=url, absolute=absolute, editions=editions)
    tags = metadata.meta_tags(commentary, url=url, absolute=absolute, editions=editions)
    meta = {}
    for _, name, content in tags:
        meta.setdefault(name, []).append(content)
    return ld, meta


def test_a_translation_names_its_original_by_address_and_doi(pair):
    original, translation = pair
    ld, meta = described(translation)
    assert ld["inLanguage"] == "ja"
    work = ld["translationOfWork"]
    assert work["url"] == absolute(original.get_absolute_url())
    assert work["inLanguage"] == "en"
    assert work["identifier"]["value"] == "10.99999/test.9016"
    assert "workTranslation" not in ld
    assert meta["citation_language"] == meta["DC.language"] == ["ja"]
    assert meta["og:locale"] == ["ja_JP"]
    assert meta["og:locale:alternate"] == ["en_US"]


def test_an_original_names_each_public_translation(pair):
    original, translation = pair
    ld, meta = described(original)
    assert ld["inLanguage"] == "en"
    assert [work["url"] for work in ld["workTranslation"]] == [
        absolute(translation.get_absolute_url())
    ]
    assert ld["workTranslation"][0]["identifier"]["value"] == "10.99999/test.9016.ja"
    assert "translationOfWork" not in ld
    assert meta["citation_language"] == ["en"]
    assert meta["og:locale"] == ["en_US"]
    assert meta["og:locale:alternate"] == ["ja_JP"]


def test_a_translation_not_public_is_not_named(pair):
    original, translation = pair
    translation.status = "draft"
    translation.save()
    ld, meta = described(original)
    assert "workTranslation" not in ld
    assert "og:locale:alternate" not in meta


def test_an_original_not_public_is_not_named(pair):
    original, translation = pair
    original.status = "draft"
    original.save()
    ld, _ = described(translation)
    assert "translationOfWork" not in ld
    assert ld["inLanguage"] == "ja"
