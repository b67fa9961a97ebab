import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from authors.models import Author, AuthorName
from commentaries.models import Authorship, Commentary, Correction, KeyPoint, Series, TopicName
from tests.factories import AuthorFactory, CommentaryFactory, SeriesFactory, full_commentary

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def content(seed):
    """The seed, and pieces that use every part of the format."""
    full_commentary(authors=2, key_points=3, topics=3, number=211)
    corrected = full_commentary(authors=1, key_points=2, topics=2, number=212)
    corrected.modified_at = timezone.now()
    corrected.save()
    Correction.objects.create(commentary=corrected, note="A date was wrong.")
    CommentaryFactory(number=213, status=Commentary.Status.DRAFT, title="Not yet public")
    other = SeriesFactory(name="Policy Brief", slug="policy-brief")
    full_commentary(series=other, number=1, key_points=1, topics=1)
    AuthorFactory(slug="without-pieces")


def public_pages(client):
    """Every public page the content makes, by address."""
    published = Commentary.objects.published().select_related("series")
    addresses = {"/", "/commentaries/", "/authors/", "/feeds/rss/"}
    for commentary in published:
        addresses.add(commentary.get_absolute_url())
        addresses.add(commentary.series.get_absolute_url())
        addresses.update(author.get_absolute_url() for author in commentary.authors.all())
        addresses.update(
            reverse("commentaries:topic", args=[t.slug]) for t in commentary.tags.all()
        )
    pages = {address: client.get(address) for address in sorted(addresses)}
    assert all(page.status_code == 200 for page in pages.values()), pages
    return {address: page.content.decode() for address, page in pages.items()}


def export(tmp_path, name="export.json"):
    path = tmp_path / name
    call_command("export_content", str(path))
    return path


def counts():
    models = [Series, Author, Commentary, KeyPoint, Authorship, Correction, Tag]
    return {model.__name__: model.objects.count() for model in models}


def delete_everything():
    Commentary.objects.exclude(original=None).delete()  # translations protect their originals
    Commentary.objects.all().delete()
    Author.objects.all().delete()
    Series.objects.all().delete()
    Tag.objects.all().delete()


def test_round_trip_into_an_empty_database_reads_the_same(client, content, tmp_path):
    before, before_counts = public_pages(client), counts()
    path = export(tmp_path)
    delete_everything()
    assert client.get("/commentaries/210/").status_code == 404
    call_command("import_content", str(path))
    assert counts() == before_counts
    assert public_pages(client) == before
    assert Commentary.objects.get(number=213).status == Commentary.Status.DRAFT
    assert export(tmp_path, "again.json").read_text() == path.read_text()
    # every imported piece has its own first version, with its key points
    for commentary in Commentary.objects.all():
        [version] = Version.objects.get_for_object(commentary)
        assert version.revision.get_comment() == "Imported from a content export"
        key_points = version.revision.version_set.get_for_model(KeyPoint)
        assert {v.object_id for v in key_points} == {
            str(pk) for pk in commentary.key_points.values_list("pk", flat=True)
        }


def test_import_updates_in_place_without_duplicates(client, content, tmp_path, seed):
    before, before_counts = public_pages(client), counts()
    path = export(tmp_path)
    original_title = seed.title
    seed.title = "A changed title"
    seed.save()
    seed.key_points.create(position=9, text="A point added after the export.")
    seed.authorships.update(bio="<p>A changed bio.</p>")
    call_command("import_content", str(path))
    call_command("import_content", str(path))
    assert counts() == before_counts
    assert Commentary.objects.get(pk=seed.pk).title == original_title
    assert public_pages(client) == before


def test_import_leaves_what_the_file_does_not_carry(content, tmp_path, seed):
    path = export(tmp_path)
    data = json.loads(path.read_text())
    data["commentaries"] = [c for c in data["commentaries"] if c["number"] == 210]
    path.write_text(json.dumps(data))
    before = counts()
    call_command("import_content", str(path))
    assert counts() == before


def broken(data):
    """Ways a file can be wrong, each with what the error must say."""
    seed = next(c for c in data["commentaries"] if c["number"] == 210)
    yield "status", lambda: seed.update(status="lost"), "status: Value 'lost' is not a valid"
    yield "author", lambda: seed["authorships"][0].update(author="nobody"), "no author 'nobody'"
    yield "number", lambda: seed.update(number="210"), "number: '210' is not a int"
    yield "field", lambda: seed.update(colour="red"), "unknown field(s) colour"
    yield "date", lambda: seed.update(published_at="soon"), "published_at:"
    yield "naive", lambda: seed.update(published_at="2015-05-15T09:00:00"), "no time zone"
    yield "title", lambda: seed.update(title=""), "title: This field cannot be blank"
    yield "list", lambda: seed.update(key_points="one"), "key_points must be a list"
    yield "format", lambda: data.update(format="other"), "not a content export"
    yield "type", lambda: seed.update(body=["<p>x</p>"]), "body: ['<p>x</p>'] is not a str"
    yield (
        "bool",
        lambda: data["series"][0].update(is_primary="yes"),
        "is_primary: 'yes' is not a bool",
    )
    yield "nul", lambda: seed.update(title="A\x00B"), "title: contains a NUL character"
    yield (
        "topic",
        lambda: seed.update(topics=[{"name": "--"}]),
        "a topic needs at least one letter",
    )
    yield (
        "twice",
        lambda: data["commentaries"].append(dict(seed)),
        "No.210 is in the file twice (also commentaries[",
    )


@pytest.mark.parametrize(
    "case",
    [
        "status",
        "author",
        "number",
        "field",
        "date",
        "naive",
        "title",
        "list",
        "format",
        "type",
        "bool",
        "nul",
        "topic",
        "twice",
    ],  # fmt: skip
)
def test_a_bad_file_is_refused_whole_with_what_is_wrong(content, tmp_path, case):
    data = json.loads(export(tmp_path).read_text())
    data["commentaries"].insert(0, dict(data["commentaries"][0], number=999, slug="new-one"))
    problems = {name: (spoil, message) for name, spoil, message in broken(data)}
    spoil, message = problems[case]
    spoil()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    before = counts()
    with pytest.raises(CommandError, match="nothing was imported") as error:
        call_command("import_content", str(path))
    assert message in str(error.value)
    assert counts() == before  # not even the valid new piece ahead of the bad one
    assert not Commentary.objects.filter(number=999).exists()


def test_not_json_exits_1_with_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": ')
    result = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{path}: not a JSON file: Expecting value: line 1 column 12" in result.stderr


def test_editions_and_names_in_other_languages_make_the_round_trip(content, tmp_path):
    """A translation (its original, its translator) and the names of authors and topics in
    another language come back as they were, and the file reads the same again."""
    original = Commentary.objects.get(number=211)
    translation = full_commentary(
        authors=0,
        key_points=2,
        topics=0,
        number=211,
        language="ja",
        original=original,
        title="往復の試験",
        translator="山田花子",
    )
    translation.tags.add(*original.tags.all())
    author = original.ordered_authors[0]
    AuthorName.objects.create(author=author, language="ja", name="試験太郎", sort_name="しけん")
    TopicName.objects.create(tag=original.tags.first(), language="ja", name="試験の話題")
    path = export(tmp_path)
    delete_everything()
    call_command("import_content", str(path))
    translation = Commentary.objects.get(number=211, language="ja")
    assert translation.original == Commentary.objects.get(number=211, language="en")
    assert translation.translator == "山田花子"
    author = Author.objects.get(slug=author.slug)
    assert author.name_in("ja") == "試験太郎"
    assert TopicName.objects.get().name == "試験の話題"
    assert export(tmp_path, "again.json").read_text() == path.read_text()


def test_a_translation_whose_original_is_missing_is_refused(content, tmp_path):
    original = Commentary.objects.get(number=211)
    full_commentary(
        authors=0, key_points=1, topics=0, number=211, language="ja", original=original
    )
    path = export(tmp_path)
    data = json.loads(path.read_text())
    data["commentaries"] = [
        c for c in data["commentaries"] if not (c["number"] == 211 and c["language"] == "en")
    ]
    path.write_text(json.dumps(data))
    delete_everything()
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path))
    assert "original: no original No.211 in 'en'" in str(raised.value)
    assert not Commentary.objects.exists()
