"""The plain-text commentary layout (as in seed/ajiss-commentary-210.txt): parse and save.

Layout, line by line: series name; title; date MM-DD-YYYY; author line(s); share-link bullets
(ignored); "No.N"; for an edition in another language, "Language: ja" and (for a translation,
which keeps its original's number) "Translation of: No.N", right after the number; key-point bullets, the last of which may run straight into the first body
paragraph; body paragraphs; one bio paragraph per author, starting with the author's name;
the disclaimer ("... should not be attributed to <publisher>.").

`parse()` is pure. `save()` takes the models to write through, so the seed's data migration can
pass its historical models and the management command the real ones.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.text import slugify

from commentaries.html import paragraphs_to_html, sanitise_html

BULLET = "\u2022"
SHARE_LINKS = {"twitter", "x", "facebook", "linkedin", "email", "e-mail", "print"}
HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "amb", "ambassador", "sir"}
NUMBER_RE = re.compile(r"^No\.\s*(\d+)$", re.IGNORECASE)
LANGUAGE_RE = re.compile(r"^Language:\s*(\S+)$", re.IGNORECASE)
TRANSLATION_RE = re.compile(r"^Translation of:\s*No\.\s*(\d+)$", re.IGNORECASE)
DATE_RE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
DISCLAIMER_RE = re.compile(r"should not be attributed to (?P<publisher>.+?)\.?$")
POSITION_RE = re.compile(
    r"\bis (?:an? |the )?(?P<position>[^,.]+), (?P<affiliation>[^.]+?)(?: in [^.,]+(?:, [^.,]+)?)?\."
)
SITE_TZ = ZoneInfo("Asia/Tokyo")


class LayoutError(ValueError):
    """The file is not in the commentary layout; `line` is 1-based."""

    def __init__(self, message, line):
        super().__init__(message)
        self.message, self.line = message, line

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ParsedAuthor:
    given_name: str
    family_name: str
    name_order: str  # "given_first" or "family_first", as authors.models.NameOrder
    honorific: str = ""
    bio: str = ""
    byline: str = ""  # the name as the byline gives it (西野純也 in a Japanese edition)

    @property
    def position_and_affiliation(self):
        """From "... is an Associate Professor, Department ..., Keio University in Tokyo, Japan."."""
        found = POSITION_RE.search(self.bio)
        if not found:
            return "", ""
        return found.group("position").strip(), found.group("affiliation").strip()

    @property
    def slug(self):
        return slugify(f"{self.given_name} {self.family_name}")


@dataclass
class ParsedCommentary:
    series: str
    title: str
    published_on: date
    number: int
    authors: list[ParsedAuthor]
    key_points: list[str]
    body: list[str]
    publisher: str
    language: str = "en"
    translation_of: int | None = None  # the original's number (its own)
    edition_line: int = 0  # the line that says so, for errors found on saving

    @property
    def is_translation(self):
        return self.translation_of is not None

    @property
    def slug(self):
        return slugify(self.title)[:200].rstrip("-")

    @property
    def published_at(self):
        """Midnight of the publication date in the publisher's time zone."""
        return datetime.combine(self.published_on, time(), tzinfo=SITE_TZ)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LayoutError("the file is not UTF-8 text", line) from None


def split_author_line(text):
    """'A, B and C' -> ['A', 'B', 'C']."""
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text.strip())
    return [name.strip() for name in names if name.strip()]


def match_bio(paragraph, name):
    """If `paragraph` is this author's bio, the ParsedAuthor it describes; otherwise None.

    "Dr. NISHINO Junya is ..." for the byline "Junya Nishino" gives a family-first author with
    the honorific "Dr.". A bio that starts with the byline's own order gives a given-first author.
    """
    words = name.split()
    if len(words) < 2:
        return None
    given, family = " ".join(words[:-1]), words[-1]
    tokens = paragraph.split()
    honorific = ""
    if tokens and tokens[0].rstrip(".").lower() in HONORIFICS:
        honorific, tokens = tokens[0], tokens[1:]
    head = " ".join(tokens[: len(words)]).lower()
    if head == f"{family} {given}".lower() and family.lower() != given.lower():
        return ParsedAuthor(given, family, "family_first", honorific, paragraph)
    if head == f"{given} {family}".lower():
        return ParsedAuthor(given, family, "given_first", honorific, paragraph)
    return None


def parse(text: str) -> ParsedCommentary:
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise LayoutError("the file is empty", 1)
    # (line number, stripped text) of every non-blank line; None marks the end
    items = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    items.append(None)
    cursor = 0

    def take(what):
        nonlocal cursor
        if items[cursor] is None:
            last = items[cursor - 1][0] if cursor else len(lines)
            raise LayoutError(f"expected {what}, but the file ends", last)
        item = items[cursor]
        cursor += 1
        return item

    series_line, series = take("the series name")
    if series.startswith(BULLET) or NUMBER_RE.match(series) or len(series) > 100:
        raise LayoutError(
            "unknown layout: the first line should be the series name (e.g. AJISS-Commentary)",
            series_line,
        )
    title_line, title = take("the title")
    if DATE_RE.match(title) or NUMBER_RE.match(title) or title.startswith(BULLET):
        raise LayoutError("no title: expected the title after the series name", title_line)
    date_line, date_text = take("the date (MM-DD-YYYY)")
    match = DATE_RE.match(date_text)
    if not match:
        raise LayoutError(f"bad date {date_text!r}: expected MM-DD-YYYY", date_line)
    month, day, year = map(int, match.groups())
    try:
        published_on = date(year, month, day)
    except ValueError as error:
        raise LayoutError(f"bad date {date_text!r}: {error}", date_line) from None

    author_names = []
    while items[cursor] is not None and not items[cursor][1].startswith(BULLET):
        line_no, text_ = items[cursor]
        if NUMBER_RE.match(text_):
            break
        author_names.extend(split_author_line(text_))
        cursor += 1
    if not author_names:
        raise LayoutError("no author: expected the author line after the date", date_line + 1)
    while items[cursor] is not None and items[cursor][1].startswith(BULLET):
        line_no, text_ = items[cursor]
        if text_.lstrip(BULLET).strip().lower() not in SHARE_LINKS:
            break
        cursor += 1
    if items[cursor] is None or not NUMBER_RE.match(items[cursor][1]):
        where = items[cursor][0] if items[cursor] is not None else len(lines)
        raise LayoutError('no number: expected "No.N" after the author and share links', where)
    number = int(NUMBER_RE.match(items[cursor][1]).group(1))
    if number <= 0:
        raise LayoutError("the number must be 1 or more", items[cursor][0])
    cursor += 1
    language, translation_of, edition_line = "en", None, 0
    if items[cursor] is not None and (found := LANGUAGE_RE.match(items[cursor][1])):
        edition_line, language = items[cursor][0], found.group(1)
        codes = [code for code, _ in settings.LANGUAGES]
        if language not in codes:
            raise LayoutError(
                f"unknown language {language!r}: expected one of {', '.join(codes)}", edition_line
            )
        cursor += 1
    if items[cursor] is not None and (found := TRANSLATION_RE.match(items[cursor][1])):
        edition_line, translation_of = items[cursor][0], int(found.group(1))
        if translation_of != number:
            raise LayoutError(
                f"a translation keeps its original's number: No.{number} cannot translate "
                f"No.{translation_of}",
                edition_line,
            )
        cursor += 1

    key_points = []
    while items[cursor] is not None and items[cursor][1].startswith(BULLET):
        key_points.append(items[cursor][1].lstrip(BULLET).strip())
        cursor += 1
    if items[cursor] is None:
        raise LayoutError(
            "no body: expected the commentary's paragraphs after the key points",
            items[cursor - 1][0],
        )
    body_start = items[cursor][0]

    # From here on, paragraphs: runs of non-blank lines, separated by blank lines.
    paragraphs, current = [], []
    for line in lines[body_start - 1 :]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))

    publisher = ""
    if paragraphs and (found := DISCLAIMER_RE.search(paragraphs[-1])):
        # The series prints the disclaimer from its own template; the file gives the publisher.
        paragraphs.pop()
        publisher = found.group("publisher").strip()

    authors = {}
    while paragraphs:
        for name in author_names:
            if name not in authors and (author := match_bio(paragraphs[-1], name)):
                authors[name] = author
                paragraphs.pop()
                break
        else:
            break
    ordered = []
    for name in author_names:
        if name in authors:
            ordered.append(authors[name])
        else:
            words = name.split()
            ordered.append(ParsedAuthor(" ".join(words[:-1]), words[-1], "given_first"))
        ordered[-1].byline = name
    if not paragraphs:
        raise LayoutError(
            "no body: expected the commentary's paragraphs after the number", body_start
        )
    if not publisher:
        raise LayoutError(
            'no disclaimer: expected a last paragraph "... should not be attributed to <publisher>."',
            len(lines),
        )
    return ParsedCommentary(
        series=series,
        title=title,
        published_on=published_on,
        number=number,
        authors=ordered,
        key_points=key_points,
        body=paragraphs,
        publisher=publisher,
        language=language,
        translation_of=translation_of,
        edition_line=edition_line,
    )


def save(parsed: ParsedCommentary, *, models, status="published"):
    """Create or update the commentary in `parsed` through `models` (an object with Series,
    Author, Commentary, KeyPoint and Authorship; AuthorName too for translations). Returns
    ("created" | "updated" | "unchanged", commentary). Writes only what differs, so a second
    import changes nothing. A translation whose original is not there raises LayoutError."""
    if parsed.is_translation:
        return save_translation(parsed, models=models, status=status)
    changed = False

    series = models.Series.objects.filter(name=parsed.series).first()
    if series is None:
        series = models.Series.objects.create(
            name=parsed.series,
            slug=slugify(parsed.series),
            publisher=parsed.publisher,
            is_primary=not models.Series.objects.filter(is_primary=True).exists(),
        )
        changed = True
    elif series.publisher != parsed.publisher:
        series.publisher = parsed.publisher
        series.save(update_fields=["publisher"])
        changed = True

    authors = []
    for parsed_author in parsed.authors:
        position, affiliation = parsed_author.position_and_affiliation
        bio_html = sanitise_html(
            paragraphs_to_html([parsed_author.bio] if parsed_author.bio else [])
        )
        author = models.Author.objects.filter(slug=parsed_author.slug).first()
        names = {
            "given_name": parsed_author.given_name,
            "family_name": parsed_author.family_name,
            "name_order": parsed_author.name_order,
        }
        if author is None:
            author = models.Author.objects.create(
                slug=parsed_author.slug,
                honorific=parsed_author.honorific,
                position=position,
                affiliation=affiliation,
                bio=bio_html,
                **names,
            )
            changed = True
        elif any(getattr(author, key) != value for key, value in names.items()):
            # The profile (position, bio) is the author's current one and is left as edited;
            # only the name parts follow the file.
            for key, value in names.items():
                setattr(author, key, value)
            author.save()
            changed = True
        authors.append((author, position, affiliation, bio_html))
    slug = parsed.slug or f"no-{parsed.number}"  # a title in Japanese makes no ASCII slug
    result, commentary = save_edition(
        parsed, series, authors, models=models, status=status, slug=slug
    )
    return "updated" if result == "unchanged" and changed else result, commentary


def save_translation(parsed, *, models, status):
    """A translation, in its original's series and with its number: the byline's names are
    the original's authors, in order (an author's page is one for every edition); a name the
    original spells otherwise (西野純也 for Junya Nishino) is kept as the author's name in the
    translation's language."""
    original = (
        models.Commentary.objects.filter(
            series__name=parsed.series, number=parsed.number, original__isnull=True
        )
        .exclude(language=parsed.language)
        .first()
    )
    if original is None:
        raise LayoutError(
            f"No.{parsed.number} has no original in {parsed.series} to translate: import the "
            "original first",
            parsed.edition_line,
        )
    theirs = list(original.authorships.order_by("position").select_related("author"))
    if len(parsed.authors) != len(theirs):
        raise LayoutError(
            f"the byline names {len(parsed.authors)} author(s), the original "
            f"{len(theirs)}: a translation keeps its original's authors",
            parsed.edition_line,
        )
    authors = []
    for parsed_author, authorship in zip(parsed.authors, theirs, strict=True):
        author = authorship.author
        name = parsed_author.byline
        if name != author.byline_name and parsed.language != settings.LANGUAGE_CODE:
            models.AuthorName.objects.update_or_create(
                author=author, language=parsed.language, defaults={"name": name}
            )
        position, affiliation = parsed_author.position_and_affiliation
        bio_html = sanitise_html(
            paragraphs_to_html([parsed_author.bio] if parsed_author.bio else [])
        )
        authors.append(
            (
                author,
                position or authorship.position_title,
                affiliation or authorship.affiliation,
                bio_html,
            )
        )
    return save_edition(
        parsed,
        original.series,
        authors,
        models=models,
        status=status,
        slug=parsed.slug or original.slug,  # a title in Japanese makes no ASCII slug
        original=original,
    )


def save_edition(parsed, series, authors, *, models, status, slug, original=None):
    """The piece itself, its key points and its authorships: ("created" | "updated" |
    "unchanged", commentary)."""
    fields = {
        "title": parsed.title,
        "published_at": parsed.published_at,
        "body": sanitise_html(paragraphs_to_html(parsed.body)),
        "language": parsed.language,
    }
    if original is not None:
        fields["original"] = original
    commentary = models.Commentary.objects.filter(
        series=series, number=parsed.number, language=parsed.language
    ).first()
    created = commentary is None
    if created:
        commentary = models.Commentary(
            series=series, number=parsed.number, slug=slug, status=status, **fields
        )
        if status == "published" and hasattr(commentary, "first_published_at"):
            # Public from its date: the record as it stands, not a publishing step (the
            # seed's migration writes through models older than this field).
            commentary.first_published_at = parsed.published_at
        commentary.save()
    dirty = any(getattr(commentary, key) != value for key, value in fields.items())

    key_points = list(commentary.key_points.order_by("position").values_list("text", flat=True))
    if key_points != parsed.key_points:
        commentary.key_points.all().delete()
        models.KeyPoint.objects.bulk_create(
            models.KeyPoint(commentary=commentary, position=i, text=text)
            for i, text in enumerate(parsed.key_points, 1)
        )
        dirty = True

    wanted = [
        (author.pk, position, position_title, affiliation, bio)
        for position, (author, position_title, affiliation, bio) in enumerate(authors, 1)
    ]
    current = list(
        commentary.authorships.order_by("position").values_list(
            "author_id", "position", "position_title", "affiliation", "bio"
        )
    )
    if current != wanted:
        commentary.authorships.all().delete()
        models.Authorship.objects.bulk_create(
            models.Authorship(
                commentary=commentary,
                author_id=author_id,
                position=position,
                position_title=position_title,
                affiliation=affiliation,
                bio=bio,
            )
            for author_id, position, position_title, affiliation, bio in wanted
        )
        dirty = True

    if dirty and not created:
        # Saved even when only key points or authors changed: its modification time is what
        # stale-save checks and feed caches go by.
        for key, value in fields.items():
            setattr(commentary, key, value)
        commentary.save()
    return "created" if created else "updated" if dirty else "unchanged", commentary
