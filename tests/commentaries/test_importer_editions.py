"""The importer's edition lines: `Language: ja` and `Translation of: No.210` after the number."""

import pytest
from django.core.management import CommandError

from authors.models import AuthorName
from commentaries.models import Commentary
from tests.commentaries.test_importer import run, snapshot, write

DISCLAIMER = (
    "The views expressed in this piece are the author's own and should not be attributed to "
    "The Japan Institute of International Affairs."
)
POINTS = ["両国は対話の場を定期的に設けるべきだ。", "地域の安定には協力が欠かせない。"]
BODY = ["近年、両国の関係には冷え込みが見られる。", "それでも協力の余地は小さくない。"]


def edition(byline="Junya Nishino", extra="Language: ja\nTranslation of: No.210\n", number=210):
    """A Japanese edition in the seed's layout (text written for these tests)."""
    bullets = "\n".join(f"  \u2022 {point}" for point in POINTS)
    bio = "NISHINO Junya 大学で国際政治を教える研究者。"
    paragraphs = "\n\n".join([*BODY, bio, DISCLAIMER])
    return (
        f"AJISS-Commentary\n\n関係改善に向けた対話の意義\n\n05-15-2015\n{byline}\n\n"
        f"No.{number}\n{extra}\n{bullets}\n{paragraphs}\n"
    )


def test_a_japanese_edition_is_paired_with_its_original(seed, tmp_path):
    output = run(write(tmp_path, edition()))
    assert "created" in output
    translation = Commentary.objects.get(number=210, language="ja")
    assert translation.original == seed and translation.series == seed.series
    assert translation.title == "関係改善に向けた対話の意義"
    assert translation.slug == seed.slug  # its title makes no ASCII slug
    assert translation.ordered_authors == seed.ordered_authors  # the same Junya Nishino
    assert [k.text for k in translation.ordered_key_points] == POINTS
    assert "大学で国際政治" in translation.ordered_authorships[0].bio
    assert translation.is_published()
    assert set(seed.editions()) == {seed, translation}


def test_importing_an_edition_again_changes_nothing(seed, tmp_path):
    path = write(tmp_path, edition())
    run(path)
    before = snapshot(), list(AuthorName.objects.values())
    assert "unchanged" in run(path)
    assert (snapshot(), list(AuthorName.objects.values())) == before


def test_a_byline_in_japanese_names_the_original_authors(seed, tmp_path):
    """西野純也 is the original's Junya Nishino, and becomes his name in Japanese."""
    run(write(tmp_path, edition(byline="西野純也")))
    translation = Commentary.objects.get(number=210, language="ja")
    [author] = translation.ordered_authors
    assert author == seed.ordered_authors[0]
    assert author.name_in("ja") == "西野純也"
    assert Commentary.objects.get(pk=translation.pk).byline == "西野純也"


def test_an_original_in_japanese_needs_no_translation_line(db, tmp_path):
    run(write(tmp_path, edition(extra="Language: ja\n", number=901)))
    piece = Commentary.objects.get(number=901)
    assert (piece.language, piece.original) == ("ja", None)
    assert piece.slug == "no-901"


BAD_EDITIONS = {
    "unknown language": ({"extra": "Language: fr\n"}, 9, "unknown language 'fr'"),
    "another number": ({"extra": "Language: ja\nTranslation of: No.209\n"}, 10, "keeps its"),
    "no original": ({"number": 902}, 10, "no original"),
    "original's language": (
        {"extra": "Language: en\nTranslation of: No.210\n"},
        10,
        "no original",
    ),
}


@pytest.mark.parametrize("case", BAD_EDITIONS)
def test_a_bad_edition_names_file_and_line_and_writes_nothing(seed, tmp_path, case):
    arguments, line, message = BAD_EDITIONS[case]
    if arguments.get("number"):
        arguments = {
            **arguments,
            "extra": f"Language: ja\nTranslation of: No.{arguments['number']}\n",
        }
    bad = write(tmp_path, edition(**arguments))
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        run(bad)
    assert str(raised.value).startswith(f"{bad}:{line}: ")
    assert message in str(raised.value)
    assert snapshot() == before
