"""What a piece's metadata says of its language and of its other editions."""

import json

import lxml.html
import pytest
from django.test import RequestFactory
from django.utils.translation import override as translation_override

from authors.models import AuthorName
from commentaries.addresses import absolute
from commentaries.models import TopicName
from commentaries.reading import metadata
from commentaries.reading.views import editions_of
from tests.factories import AuthorFactory, CommentaryFactory

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


def test_each_page_carries_its_editions_relation(client, pair):
    """As a crawler reads the pages: the Japanese one names its original, the English one its
    translation, each in its own language."""
    original, translation = pair

    def ld(commentary):
        page = lxml.html.fromstring(client.get(commentary.get_absolute_url()).content)
        (script,) = page.xpath("//script[@type='application/ld+json']")
        return json.loads(script.text)

    japanese, english = ld(translation), ld(original)
    assert japanese["inLanguage"] == "ja"
    assert japanese["translationOfWork"]["@id"] == english["@id"]
    assert english["inLanguage"] == "en"
    assert [work["@id"] for work in english["workTranslation"]] == [japanese["@id"]]


def test_a_japanese_edition_names_authors_and_topics_in_japanese(client):
    author = AuthorFactory(given_name="Aiko", family_name="Tanabe")
    AuthorName.objects.create(author=author, language="ja", name="田辺愛子")
    piece = CommentaryFactory(slug="minato", language="ja", authors=[author], topics=["ports"])
    TopicName.objects.create(tag=piece.tags.get(), language="ja", name="港湾")
    page = lxml.html.fromstring(client.get(piece.get_absolute_url()).content)
    (script,) = page.xpath("//script[@type='application/ld+json']")
    ld = json.loads(script.text)
    assert [person["name"] for person in ld["author"]] == ["田辺愛子"]
    assert ld["keywords"] == ["港湾"]
    assert page.xpath("//meta[@name='citation_keywords']/@content") == ["港湾"]


def test_an_editions_pdf_and_citation_files_are_at_its_own_languages_addresses(pair):
    """Whatever language is active (a feed, an e-mail or a page in the other language)."""
    original, translation = pair
    assert metadata.pdf_path(translation) == "/ja/commentaries/9016/pdf/"
    assert metadata.citation_url(translation, "ris") == "/ja/commentaries/9016/cite.ris"
    with translation_override("ja"):
        assert metadata.pdf_path(original) == "/commentaries/9016/pdf/"
