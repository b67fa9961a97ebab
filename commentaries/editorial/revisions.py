"""Revisions of a commentary (django-reversion): what changed between two, and first versions."""

import difflib
from itertools import zip_longest

import reversion
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.models import Authorship, Commentary, Correction, KeyPoint

AUTHORSHIP_FIELDS = ["author_id", "position", "position_title", "affiliation", "bio"]


def related(version):
    """The key points, authorships, tagged items and tags saved with a version, by model,
    each as field dicts in byline (position) order where there is one."""
    found = {KeyPoint: [], Authorship: [], TaggedItem: [], Tag: []}
    for other in version.revision.version_set.all():
        model = other._model
        if model in found:
            fields = other.field_dict
            belongs = model is Tag or fields.get("commentary_id", fields.get("object_id")) == int(
                version.object_id
            )
            if belongs:
                found[model].append(fields)
    for model in (KeyPoint, Authorship):
        found[model].sort(key=lambda fields: fields["position"])
    return found


def note(text):
    """Add a line to the comment of the revision being made, if one is."""
    if text and reversion.is_active():
        reversion.set_comment("\n".join(filter(None, [reversion.get_comment(), text])))


def snapshot(version):
    """What readers see of one version of a commentary, as comparable text."""
    fields = version.field_dict
    parts = related(version)
    authors = Author.objects.in_bulk([a["author_id"] for a in parts[Authorship]])
    tags = Tag.objects.in_bulk([t["tag_id"] for t in parts[TaggedItem]])
    return {
        "Title": fields["title"],
        "Slug": fields["slug"],
        "Status": Commentary.Status(fields["status"]).label,
        "Publication time": f"{fields['published_at']:%Y-%m-%d %H:%M %Z}",
        "Key points": [k["text"] for k in parts[KeyPoint]],
        "Authors": [
            str(authors.get(a["author_id"], f"author #{a['author_id']}"))
            for a in parts[Authorship]
        ],
        "Topics": sorted(str(tags.get(t["tag_id"], "?")) for t in parts[TaggedItem]),
        "Body": [strip_tags(p) for p in fields["body"].split("</p>") if strip_tags(p).strip()],
        "Summary": fields["summary"],
        # Corrections are kept as their own rows, never edited: those made by then.
        "Corrections": [
            f"{timezone.localtime(made_at):%d %b %Y}: {note}"
            for made_at, note in Correction.objects.filter(
                commentary_id=int(version.object_id), made_at__lte=version.revision.date_created
            )
            .order_by("made_at", "pk")
            .values_list("made_at", "note")
        ],
    }


def word_diff(old, new):
    """Words removed in <del>, added in <ins>."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", " ".join(old_words[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2])))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def list_diff(old, new):
    """Items removed, added or changed, in order, as list items."""
    items = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            items.extend(format_html("{}", item) for item in old[i1:i2])
        else:
            pairs = zip_longest(old[i1:i2], new[j1:j2], fillvalue="")
            items.extend(word_diff(a, b) for a, b in pairs)
    return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


def compare(older, newer):
    """[(what, diff)] for every part that differs between two versions."""
    before, after = snapshot(older), snapshot(newer)
    changes = []
    for label, old in before.items():
        new = after[label]
        if old != new:
            diff = list_diff(old, new) if isinstance(old, list) else word_diff(old, new)
            changes.append((label, diff))
    return changes


def create_first_versions(**kwargs):
    """Give every commentary without a version its first one (after migrate)."""
    versioned = Version.objects.get_for_model(Commentary).values_list("object_id", flat=True)
    missing = Commentary.objects.exclude(pk__in=[int(pk) for pk in versioned])
    for commentary in missing:
        with reversion.create_revision():
            reversion.add_to_revision(commentary)
            reversion.set_comment("First version")
