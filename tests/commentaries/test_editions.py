"""Editions: a piece's original and its translations, which share series and number."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override as translation_override
from lxml import html
from taggit.models import Tag

from authors.models import AuthorName
from commentaries.models import Commentary, TopicName
from commentaries.reading import views
from tests.factories import AuthorFactory, AuthorshipFactory, CommentaryFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """An English original and its Japanese translation."""
    original = CommentaryFactory(number=500, slug="cooperation", language="en")
    translation = CommentaryFactory(
        number=500,
        slug="kyoryoku",
        title="協力の重要性",
        language="ja",
        original=original,
        translator="山田花子",
    )
    return original, translation


def test_editions_are_the_original_and_its_translations_from_either_side(pair):
    """editions() is the same set from the original and from a translation, itself included."""
    original, translation = pair
    CommentaryFactory(number=501)  # another work
    assert set(original.editions()) == {original, translation}
    assert set(translation.editions()) == {original, translation}


def test_editions_are_not_filtered_by_status(pair):
    """A draft translation is an edition; callers narrow to the public ones."""
    original, translation = pair
    Commentary.objects.filter(pk=translation.pk).update(status=Commentary.Status.DRAFT)
    assert set(original.editions()) == {original, translation}
    assert list(original.editions().published()) == [original]


def test_in_language(pair):
    original, translation = pair
    assert list(Commentary.objects.in_language("ja")) == [translation]
    assert original in Commentary.objects.in_language("en")


def test_one_edition_per_language_and_number(pair):
    """Unique (series, number, language): a second English No.500 is refused."""
    with pytest.raises(IntegrityError):
        CommentaryFactory(number=500, slug="again", language="en")


def test_each_edition_has_its_address_in_its_own_language(pair):
    original, translation = pair
    assert original.get_absolute_url() == "/commentaries/500/cooperation/"
    assert translation.get_absolute_url().endswith("/commentaries/500/kyoryoku/")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"language": "en"}, "original"),  # the original's language
        ({"number": 502}, "original"),
        ({"series": "other"}, "original"),
    ],
)
def test_clean_refuses_a_translation_that_does_not_match_its_original(pair, change, field):
    _, translation = pair
    if change.get("series"):
        change["series"] = SeriesFactory(name="Other Series")
    for name, value in change.items():
        setattr(translation, name, value)
    with pytest.raises(ValidationError) as raised:
        translation.clean()
    assert field in raised.value.message_dict


def test_clean_refuses_a_translation_of_a_translation(pair):
    original, translation = pair
    third = Commentary(
        series=original.series, number=500, language="en", original=translation, title="x"
    )
    with pytest.raises(ValidationError) as raised:
        third.clean()
    assert "original" in raised.value.message_dict


def test_clean_accepts_a_matching_translation(pair):
    _, translation = pair
    translation.clean()


def test_english_pages_list_english_editions_only(client, pair):
    """The home page, the list and the archive show the pieces of the request's language."""
    original, translation = pair
    for path in ["/", "/commentaries/", f"/archive/{original.published_at.year}/"]:
        page = client.get(path).content.decode()
        assert original.title in page, path
        assert translation.title not in page, path


def test_the_number_resolves_the_edition_in_the_request_language(client, pair, rf):
    """/commentaries/500/ is the English edition; under Japanese, the Japanese one."""
    original, translation = pair
    assert client.get("/commentaries/500/").url == original.get_absolute_url()
    request = rf.get("/ja/commentaries/500/")
    request.user = AnonymousUser()
    with translation_override("ja"):
        response = views.commentary_detail(request, number=500)
    assert response.url == translation.get_absolute_url()


def test_a_number_without_an_edition_in_the_language_is_not_found(client):
    """A Japanese piece has no English address."""
    CommentaryFactory(number=600, slug="nihongo", language="ja")
    assert client.get("/commentaries/600/").status_code == 404
    assert client.get("/commentaries/600/nihongo/").status_code == 404


def test_a_translation_answers_404_until_public(rf, pair):
    _, translation = pair
    Commentary.objects.filter(pk=translation.pk).update(status=Commentary.Status.DRAFT)
    request = rf.get("/ja/commentaries/500/kyoryoku/")
    request.user = AnonymousUser()
    with translation_override("ja"), pytest.raises(Http404):
        views.commentary_detail(request, number=500, slug="kyoryoku")


@pytest.fixture
def tanaka(pair):
    """The pair's author, with his name in Japanese; the translation's topic named in Japanese."""
    original, translation = pair
    author = AuthorFactory(given_name="Kenta", family_name="Tanaka", slug="kenta-tanaka")
    AuthorName.objects.create(author=author, language="ja", name="田中健太")
    for piece in pair:
        AuthorshipFactory(commentary=piece, author=author)
        piece.tags.add("Security")
    TopicName.objects.create(tag=Tag.objects.get(name="Security"), language="ja", name="安全保障")
    return author


def test_names_are_printed_in_the_edition_language(pair, tanaka):
    """The Japanese edition prints 田中健太 and 安全保障; the English one the names as entered."""
    original, translation = pair
    english = html.fromstring(client_page(original))
    assert names_shown(english) == ["Kenta Tanaka", "Kenta Tanaka", "Security"]
    with translation_override("ja"):
        japanese = html.fromstring(client_page(translation))
    assert names_shown(japanese) == ["田中健太", "田中健太", "安全保障"]
    assert Commentary.objects.get(pk=translation.pk).byline == "田中健太"


def test_a_piece_page_costs_the_same_whatever_its_names(pair, tanaka, django_assert_num_queries):
    """Names in other languages come in one query for the page, not one per author or topic."""
    _, translation = pair
    with translation_override("ja"):
        with CaptureQueriesContext(connection) as before:
            client_page(translation)
        for n in range(3):
            author = AuthorFactory()
            AuthorName.objects.create(author=author, language="ja", name=f"著者{n}")
            AuthorshipFactory(commentary=translation, author=author, position=n + 2)
            translation.tags.add(f"Topic {n}")
        with django_assert_num_queries(len(before)):
            client_page(translation)


def names_shown(page):
    """The names in the byline and the bio's heading, then the topics."""
    return page.xpath(
        "//a[@class='byline-name']/text() | //h3[@class='bio-name']/a/text()"
        " | //a[contains(@href, '/topics/security')]/text()"
    )


def client_page(piece):
    """The piece's page rendered in the active language (the view, as the URL would call it)."""
    request = RequestFactory().get(piece.get_absolute_url())
    request.user = AnonymousUser()
    response = views.commentary_detail(request, number=piece.number, slug=piece.slug)
    assert response.status_code == 200
    return response.content.decode()
