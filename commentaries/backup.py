"""The site's content as one JSON document, for backups and moves between databases.

Rows are keyed by natural keys, never database ids: series and authors by slug, commentaries by
(series slug, number, language); a translation names its original by the original's language
(the same series and number). Key points, authorships (with the bio as published), topics and
corrections travel inside their commentary, authors' and topics' names in other languages inside
the author and the topic. Every stored field of a model is carried, so a field
added later is carried too; row bookkeeping (created/updated times, the users who made changes)
stays behind.

An import updates what the database already holds in place and adds the rest; within each
commentary it carries, the file's key points, authorships and topics replace the old ones, and
corrections are matched by their time. All or nothing: the first problem stops it, unwritten.
"""

import datetime as dt

import reversion
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils.text import slugify
from taggit.models import Tag

from authors.models import Author, AuthorName
from commentaries.models import (
    Authorship,
    Commentary,
    Correction,
    KeyPoint,
    Series,
    TopicName,
)
from commentaries.publishing import events

FORMAT = "commentary-site/content"
VERSION = 1


class ContentFileError(ValueError):
    """The file cannot be imported; the message says where and why."""


# Bookkeeping of this database's publication events (commentaries.publishing.events), not content.
NOT_CARRIED = {"release"}


def carried_fields(model, *keys):
    """The model's own stored fields: no id, no links to other rows, no row bookkeeping."""
    return [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key or field.is_relation or field.name in keys)
        and field.name not in NOT_CARRIED
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    ]


def plain(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def record(obj, *keys):
    fields = carried_fields(type(obj), *keys)
    return {field.name: plain(field.value_from_object(obj)) for field in fields}


# --- export -------------------------------------------------------------------------------


def export_content():
    """Everything, drafts included, as one consistent snapshot."""
    outermost = not connection.in_atomic_block  # else the snapshot is the caller's business
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return snapshot()


def snapshot():
    commentaries = (
        Commentary.objects.select_related("series", "original")
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
            "key_points",
            "tags__names",
            "corrections",
        )
        # An original before its translations, which name it.
        .order_by("series__slug", "number", F("original").asc(nulls_first=True), "language")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "series": [{"slug": s.slug, **record(s, "slug")} for s in Series.objects.order_by("slug")],
        "authors": [
            {"slug": a.slug, **record(a, "slug"), "names": [record(n) for n in a.names.all()]}
            for a in Author.objects.prefetch_related("names").order_by("slug")
        ],
        "commentaries": [export_commentary(c) for c in commentaries],
    }


def export_commentary(commentary):
    return {
        "series": commentary.series.slug,
        "number": commentary.number,
        **record(commentary, "number"),
        "original": commentary.original.language if commentary.original else None,
        # In the order the pages show them: the order they were added in.
        "topics": [
            {"name": t.name, "slug": t.slug, "names": [record(n) for n in t.names.all()]}
            for t in commentary.ordered_topics
        ],
        "key_points": [record(k) for k in commentary.ordered_key_points],
        "authorships": [
            {"author": a.author.slug, **record(a)} for a in commentary.ordered_authorships
        ],
        "corrections": [record(c) for c in commentary.corrections.all()],
    }


# --- import -------------------------------------------------------------------------------


def import_content(data):
    """Write an export_content() document into the database; return what it wrote."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentFileError(f'not a content export: no "format": "{FORMAT}"')
    if data.get("version") != VERSION:
        raise ContentFileError(f"version {data.get('version')!r} is not {VERSION}")
    unknown = sorted(set(data) - {"format", "version", "series", "authors", "commentaries"})
    if unknown:
        raise ContentFileError(f"unknown section(s): {', '.join(unknown)}")
    with transaction.atomic():
        for i, item in enumerate(items(data, "series", "the file")):
            slug = require(item, "slug", f"series[{i}]")
            upsert(Series, f"series[{i}] ({slug})", {"slug": slug}, item)
        for i, item in enumerate(items(data, "authors", "the file")):
            slug = require(item, "slug", f"authors[{i}]")
            here = f"authors[{i}] ({slug})"
            author = upsert(Author, here, {"slug": slug}, item, "names")
            replace_names(author.names, AuthorName, item, here)
        new, seen = 0, {}
        commentaries = enumerate(items(data, "commentaries", "the file"))
        # Originals first: a translation is linked to its original as it is written.
        for i, item in sorted(commentaries, key=lambda pair: pair[1].get("original") is not None):
            numbered = (item.get("series"), item.get("number"), item.get("language", "en"))
            if not all(isinstance(part, str | int) for part in numbered):
                numbered = i  # not a series and number: import_commentary says what is wrong
            if numbered in seen:
                raise ContentFileError(
                    f"commentaries[{i}]: {numbered[0]} No.{numbered[1]} is in the file twice "
                    f"(also commentaries[{seen[numbered]}]), both in {numbered[2]}"
                )
            seen[numbered] = i
            # One revision per piece, so restoring one piece's version restores only that piece.
            with reversion.create_revision():
                reversion.set_comment("Imported from a content export")
                new += import_commentary(item, f"commentaries[{i}]")
    counts = {name: len(data.get(name, [])) for name in ("series", "authors", "commentaries")}
    return {**counts, "new commentaries": new}


NESTED = ("topics", "key_points", "authorships", "corrections", "original")


def import_commentary(item, where):
    """Import one commentary with its parts; return 1 when it is new, else 0."""
    series_slug = require(item, "series", where)
    number = require(item, "number", where, int)
    language = require(item, "language", where)
    where = f"{where} ({series_slug} No.{number}, {language})"
    series = Series.objects.filter(slug=series_slug).first()
    if series is None:
        raise ContentFileError(f"{where}: no series {series_slug!r} in the file or the database")
    lookup = {"series": series, "number": number, "language": language}
    is_new = not Commentary.objects.filter(**lookup).exists()
    original = item.get("original")
    if original is not None:
        if not isinstance(original, str):
            raise ContentFileError(f"{where}: original: {original!r} is not a str")
        original = Commentary.objects.filter(
            series=series, number=number, language=original, original__isnull=True
        ).first()
        if original is None:
            raise ContentFileError(
                f"{where}: original: no original No.{number} in {item['original']!r} in the "
                "file or the database"
            )
    commentary = Commentary.objects.filter(**lookup).first() or Commentary(**lookup)
    commentary.original = original  # before it is validated: clean() checks the pair
    commentary = upsert(Commentary, where, lookup, item, "series", *NESTED, obj=commentary)

    topics = [
        topic(t, f"{where}, topics[{j}]") for j, t in enumerate(items(item, "topics", where))
    ]
    commentary.tags.clear()
    for tag in topics:  # one at a time, so they keep the file's order
        commentary.tags.add(tag)

    commentary.key_points.all().delete()
    for j, point in enumerate(items(item, "key_points", where)):
        upsert(KeyPoint, f"{where}, key_points[{j}]", {"commentary": commentary}, point, new=True)

    kept = []
    for j, authorship in enumerate(items(item, "authorships", where)):
        here = f"{where}, authorships[{j}]"
        slug = require(authorship, "author", here)
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise ContentFileError(f"{here}: no author {slug!r} in the file or the database")
        lookup = {"commentary": commentary, "author": author}
        kept.append(upsert(Authorship, here, lookup, authorship, "author").pk)
    commentary.authorships.exclude(pk__in=kept).delete()

    for j, correction in enumerate(items(item, "corrections", where)):
        here = f"{where}, corrections[{j}]"
        made_at = value(Correction, "made_at", require(correction, "made_at", here), here)
        upsert(Correction, here, {"commentary": commentary, "made_at": made_at}, correction)
    # What a backup brings back was announced when it was first published: no e-mails again.
    events.mark_announced(commentary.pk)
    return int(is_new)


def topic(item, where):
    """The tag named in item: the one already there (names ignore case), else a new one that
    keeps the exported slug when it is free."""
    name = require(item, "name", where)
    if "\x00" in name or not slugify(name, allow_unicode=True):
        raise ContentFileError(f"{where}: name: a topic needs at least one letter or digit")
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        slug = item.get("slug") or ""
        tag = Tag(name=name, slug="" if Tag.objects.filter(slug=slug).exists() else slug)
        validate(tag, where, exclude=["slug"])
        tag.save()  # taggit makes a unique slug when it has none
    replace_names(tag.names, TopicName, item, where)
    return tag


def replace_names(names, model, item, where):
    """The names in other languages of an author or topic (`names`, its related manager)
    become the file's, when it carries them."""
    if "names" not in item:
        return
    wanted = items(item, "names", where)
    owner = {names.field.name: names.instance}
    kept = []
    for j, name in enumerate(wanted):
        here = f"{where}, names[{j}]"
        lookup = {**owner, "language": require(name, "language", here)}
        kept.append(upsert(model, here, lookup, name).pk)
    names.exclude(pk__in=kept).delete()


def upsert(model, where, lookup, item, *keys, new=False, obj=None):
    """Update the row lookup finds (or `obj`) with item's fields, or make one; validated, then
    saved."""
    if obj is None:
        obj = None if new else model.objects.filter(**lookup).first()
        obj = obj or model(**lookup)
    fields = {field.name: field for field in carried_fields(model, *lookup, *keys)}
    unknown = sorted(set(item) - set(fields) - set(lookup) - set(keys))
    if unknown:
        raise ContentFileError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for name in fields.keys() & item.keys():
        setattr(obj, name, value(model, name, item[name], where))
    validate(obj, where)
    obj.save()
    return obj


# The JSON type each kind of field is written as (export_content writes times as strings).
JSON_TYPES = {
    "BooleanField": bool,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
}


def value(model, name, raw, where):
    """raw, as read from JSON, converted to the field's Python value; refused, as the admin
    refuses it, when it is of the wrong JSON type or holds a NUL character."""
    field = model._meta.get_field(name)
    expected = JSON_TYPES.get(field.get_internal_type(), str)
    right_type = isinstance(raw, expected) and (expected is bool or not isinstance(raw, bool))
    if not right_type and not (raw is None and field.null):
        raise ContentFileError(f"{where}: {name}: {raw!r} is not a {expected.__name__}")
    if isinstance(raw, str) and "\x00" in raw:
        raise ContentFileError(f"{where}: {name}: contains a NUL character")
    try:
        result = field.to_python(raw)
    except ValidationError as error:
        raise ContentFileError(f"{where}: {name}: {' '.join(error.messages)}") from None
    if isinstance(result, dt.datetime) and result.tzinfo is None:
        raise ContentFileError(f"{where}: {name}: {raw!r} has no time zone offset")
    return result


def validate(obj, where, exclude=None):
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = [
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        ]
        raise ContentFileError(f"{where}: {'; '.join(problems)}") from None


def items(container, name, where):
    """The list of records under name (none when it is missing), each of them a JSON object."""
    records = container.get(name, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ContentFileError(f"{where}: {name} must be a list of objects")
    return records


def require(item, name, where, kind=str):
    if name not in item:
        raise ContentFileError(f"{where}: {name} is missing")
    if not isinstance(item[name], kind) or isinstance(item[name], bool):
        raise ContentFileError(f"{where}: {name}: {item[name]!r} is not a {kind.__name__}")
    return item[name]
