import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from authors.models import Author, NameOrder
from commentaries import importer
from commentaries.models import Authorship, Commentary, KeyPoint, Series

SEED = Path(importer.__file__).parent / "seed" / "ajiss-commentary-210.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
TOKYO = dt.timezone(dt.timedelta(hours=9))


def run(*args):
    """call_command, returning what it printed."""
    out = io.StringIO()
    call_command("import_commentary", *map(str, args), stdout=out)
    return out.getvalue()


def write(tmp_path, text, name="piece.txt"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def renumbered(number, title="A second commentary for the importer tests"):
    lines = SEED_TEXT.splitlines()
    lines[2] = title
    return "\n".join(lines).replace("No.210", f"No.{number}") + "\n"


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Series, Author, Commentary, KeyPoint, Authorship)
    ]


def test_parse_seed():
    """The seed parses into its parts: 3 key points, 9 paragraphs, names, date, publisher, bio."""
    parsed = importer.parse(SEED_TEXT)
    assert parsed.series == "AJISS-Commentary"
    assert parsed.number == 210
    assert parsed.title.startswith("Political leaders in Japan and the ROK")
    assert parsed.published_on == dt.date(2015, 5, 15)
    assert len(parsed.key_points) == 3
    assert parsed.key_points[2].endswith("adversely impact Japan-ROK relations overall.")
    assert len(parsed.body) == 9
    # the last bullet runs into the first paragraph without a blank line
    assert parsed.body[0].startswith("Excessive pessimism")
    assert parsed.body[-1].endswith("future peace and prosperity.")
    assert parsed.publisher == "The Association of Japanese Institutes of Strategic Studies"
    [author] = parsed.authors
    assert (author.given_name, author.family_name) == ("Junya", "Nishino")
    assert author.name_order == NameOrder.FAMILY_FIRST
    assert author.honorific == "Dr."
    assert author.bio.startswith("Dr. NISHINO Junya is an Associate Professor")
    assert author.position_and_affiliation == (
        "Associate Professor",
        "Department of Political Science, Faculty of Law and Politics, Keio University",
    )


def test_seed_migration_left_210_published(seed):
    """migrate on an empty database leaves No.210 published, whole and tagged."""
    assert seed in Commentary.objects.published()
    assert seed.published_at == dt.datetime(2015, 5, 15, tzinfo=TOKYO)
    assert seed.key_points.count() == 3
    assert seed.body.count("<p>") == 9
    assert seed.series.publisher == "The Association of Japanese Institutes of Strategic Studies"
    [authorship] = seed.authorships.all()
    assert authorship.bio.startswith("<p>Dr. NISHINO Junya is an Associate Professor")
    assert authorship.position_title == "Associate Professor"
    assert authorship.affiliation == (
        "Department of Political Science, Faculty of Law and Politics, Keio University"
    )
    assert set(seed.tags.names()) >= {"Japan-ROK relations", "East Asian security"}


def test_import_is_idempotent(seed, tmp_path):
    """Importing the seed over itself changes nothing, not even timestamps."""
    before = snapshot()
    assert run(SEED) == f"{SEED}: unchanged {seed}\n"
    assert snapshot() == before


def test_import_reports_one_line_per_file(db, tmp_path):
    first, second = (
        write(tmp_path, renumbered(301), "a.txt"),
        write(tmp_path, renumbered(302), "b.txt"),
    )
    lines = run(first, second).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{first}: created") and "No.301" in lines[0]
    assert Commentary.objects.filter(number__in=[301, 302]).count() == 2
    assert run(first).startswith(f"{first}: unchanged")


def test_import_updates_changed_text(seed, tmp_path):
    path = write(tmp_path, SEED_TEXT.replace("Excessive pessimism", "Undue pessimism"))
    assert "updated" in run(path)
    seed.refresh_from_db()
    assert "<p>Undue pessimism" in seed.body
    assert seed.key_points.count() == 3


def test_dry_run_writes_nothing(db, tmp_path):
    path = write(tmp_path, renumbered(303))
    before = snapshot()
    assert "would create" in run(path, "--dry-run")
    assert snapshot() == before


def test_bio_as_published_survives_profile_update(seed, tmp_path):
    """The author's profile may change; No.210 keeps printing the bio it was published with."""
    author = seed.authors.get()
    author.position = "Professor"
    author.bio = "<p>Dr. NISHINO Junya is a Professor at Keio University.</p>"
    author.save()
    run(SEED)
    author.refresh_from_db()
    assert author.position == "Professor"
    assert "Associate Professor" in seed.authorships.get().bio


def test_co_authors_given_first(db, tmp_path):
    """Co-authors split on commas and "and"; a bio in given-first order sets that order."""
    text = renumbered(304).replace("Junya Nishino", "Jane Smith, Ken Tanaka and Li Wei")
    text = text.replace(
        importer.parse(SEED_TEXT).authors[0].bio,
        "Dr. Jane Smith is a Senior Fellow, The Test Institute.\n\n"
        "TANAKA Ken is a Professor, Osaka University.",
    )
    run(write(tmp_path, text))
    commentary = Commentary.objects.get(number=304)
    assert [a.byline_name for a in commentary.ordered_authors] == [
        "Jane Smith",
        "Ken Tanaka",
        "Li Wei",
    ]
    smith, tanaka, li = commentary.ordered_authors
    assert smith.formal_name == "Dr. Jane Smith"
    assert tanaka.formal_name == "TANAKA Ken"
    assert li.name_order == NameOrder.GIVEN_FIRST
    assert commentary.body.count("<p>") == 9


BAD_INPUTS = {
    "empty": (b"", 1, "empty"),
    "blank lines only": (b"\n\n  \n", 1, "empty"),
    "not UTF-8": (SEED_TEXT.encode("utf-8").replace(b"No.210", b"No.210\xff"), 10, "UTF-8"),
    "no number": (SEED_TEXT.replace("No.210", "").encode(), 13, "no number"),
    "bad date": (SEED_TEXT.replace("05-15-2015", "15-05-2015").encode(), 5, "bad date"),
    "bad date format": (SEED_TEXT.replace("05-15-2015", "May 15, 2015").encode(), 5, "bad date"),
    "no title": (SEED_TEXT.replace(importer.parse(SEED_TEXT).title, "").encode(), 5, "no title"),
    "no body": (SEED_TEXT.split("Excessive pessimism")[0].encode(), 15, "no body"),
    "unknown layout": (b"\xe2\x80\xa2 just a list\n\xe2\x80\xa2 of things\n", 1, "unknown layout"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_names_file_and_line_and_writes_nothing(db, tmp_path, case):
    data, line, message = BAD_INPUTS[case]
    good = write(tmp_path, renumbered(305), "good.txt")
    bad = write(tmp_path, data, "bad.txt")
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("import_commentary", str(good), str(bad))
    assert str(raised.value).startswith(f"{bad}:{line}: ")
    assert message in str(raised.value)
    assert raised.value.returncode == 1
    assert snapshot() == before


def test_command_exits_1_on_bad_input(tmp_path):
    """From the shell: status 1 and the error on stderr."""
    bad = write(tmp_path, b"", "empty.txt")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_commentary", str(bad)],
        capture_output=True,
        text=True,
        cwd=Path(importer.__file__).parent.parent,
    )
    assert result.returncode == 1
    assert f"{bad}:1: the file is empty" in result.stderr


def test_a_changed_key_point_alone_marks_the_piece_changed(seed, tmp_path):
    """Stale-save checks and feed caches go by the piece's modification time."""
    before = seed.updated_at
    path = write(tmp_path, SEED_TEXT.replace("restore mutual trust", "rebuild mutual trust"))
    assert "updated" in run(path)
    seed.refresh_from_db()
    assert seed.updated_at > before
    assert "rebuild mutual trust" in seed.key_points.get(position=1).text
