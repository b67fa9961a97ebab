"""The dashboard: what waits for whom, each under its heading.

Editors see what is in review (oldest first), scheduled in the next SCHEDULED_DAYS days, their
own drafts, what was recently published (with what the providers add: alerts sent, the PDF's
state), public pieces without a translation, translations whose original changed since
(stale) and what needs attention (what the providers report as failed). Contributors see their
own pieces only: what was returned to them with the note, their drafts, and their pieces in
review, scheduled or published. Every list is a query on an index (review_queue, the status and
publication time, the author's pieces, review notes by piece), the counts one query over the
same indexes, so the page costs the same at any size of archive.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.timesince import timesince, timeuntil

from commentaries.editorial import permissions
from commentaries.editorial.desk import providers
from commentaries.models import Commentary, fetch_bylines
from commentaries.publishing.models import ReviewNote

Status = Commentary.Status
LIMIT = 8  # pieces a section lists; its count and a link to the full list say the rest
SCHEDULED_DAYS = 14
ATTENTION_LIMIT = 10
RETURNED_LIMIT = 50  # all of them: each asks for the contributor's work
# What a row of the dashboard reads of a piece: not its text.
LISTED = ["body", "summary", "withdrawal_reason"]


@dataclass
class Row:
    piece: Commentary
    facts: list = field(default_factory=list)  # short phrases under the title
    note: ReviewNote | None = None
    cells: list = field(default_factory=list)  # (heading, text, tone) from providers
    problem: str = ""


@dataclass
class Section:
    key: str
    heading: str
    rows: list
    empty: str
    count: int | str | None = None
    more: tuple | None = None  # (words, address) of the full list

    @property
    def has_more(self):
        """Whether the full list holds more than this section shows."""
        return not isinstance(self.count, int) or self.count > len(self.rows)


def has_desk(user):
    """Editors, and contributors: staff who may see commentaries at all."""
    return permissions.is_editor(user) or (
        user.is_active and user.is_staff and user.has_perm("commentaries.view_commentary")
    )


def changelist(**query):
    address = reverse("admin:commentaries_commentary_changelist")
    return address + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else address


def person(user):
    return (user.get_full_name() or user.get_username()) if user else "someone"


def local(moment, now):
    """A time as the editors read it, in the site's zone: "Fri 11 Dec, 09:00"."""
    moment = timezone.localtime(moment)
    same_year = moment.year == timezone.localtime(now).year
    return dateformat.format(moment, "D j M, H:i" if same_year else "j M Y, H:i")


def day(moment, now):
    moment = timezone.localtime(moment)
    same_year = moment.year == timezone.localtime(now).year
    return dateformat.format(moment, "D j M" if same_year else "j M Y")


def ago(moment, now):
    """ "3 days ago", "just now"."""
    if now - moment < dt.timedelta(minutes=1):
        return "just now"
    return timesince(moment, now, depth=1) + " ago"


def sections(user, now):
    """The dashboard's sections for `user`, in the order the page shows them."""
    editor = permissions.is_editor(user)
    pieces = permissions.visible(user).select_related("series").defer(*LISTED)
    horizon = now + dt.timedelta(days=SCHEDULED_DAYS)
    in_review = Q(status=Status.IN_REVIEW)
    scheduled = Q(status=Status.PUBLISHED, published_at__gt=now, published_at__lte=horizon)
    mine = Q(status=Status.DRAFT, created_by=user.pk)
    # One query, each part on its index (PostgreSQL ORs three bitmap scans).
    counts = (
        permissions.visible(user)
        .filter(in_review | scheduled | mine)
        .aggregate(
            review=Count("pk", filter=in_review),
            scheduled=Count("pk", filter=scheduled),
            drafts=Count("pk", filter=mine),
        )
    )

    returned = returned_drafts(pieces.filter(mine), now)
    review_rows = list(pieces.filter(in_review).select_related("created_by").order_by(
        F("submitted_at").asc(nulls_last=True), "pk"
    )[:LIMIT])  # fmt: skip
    scheduled_rows = list(pieces.filter(scheduled).order_by("published_at", "pk")[:LIMIT])
    draft_rows = list(
        pieces.filter(mine)
        .exclude(pk__in=[r.piece.pk for r in returned])
        .order_by("-updated_at", "-pk")[:LIMIT]
    )
    published_rows = list(pieces.published().order_by("-published_at", "-pk")[:LIMIT])
    untranslated_rows = stale_rows = []
    if editor:  # one more than shown, to tell whether there are more
        newest = ("-published_at", "-pk")
        alone = pieces.published().without_translation().order_by(*newest)
        untranslated_rows = list(alone[: LIMIT + 1])
        stale = pieces.stale_translations().select_related("original")
        stale = stale.defer(*(f"original__{name}" for name in LISTED)).order_by(*newest)
        stale_rows = list(stale[: LIMIT + 1])
    fetch_bylines(
        [r.piece for r in returned]
        + review_rows
        + scheduled_rows
        + draft_rows
        + published_rows
        + untranslated_rows[:LIMIT]
    )

    found = []
    if returned:
        found.append(Section("returned", "Returned to you", returned, "", count=len(returned)))
    found.append(
        Section(
            "review",
            "In review",
            [waiting(piece, now, editor) for piece in review_rows],
            "Nothing is waiting for review." if editor else "None of your pieces is in review.",
            count=counts["review"],
            more=("All pieces in review", changelist(state="review")),
        )
    )
    found.append(
        Section(
            "scheduled",
            "Scheduled",
            [coming(piece, now) for piece in scheduled_rows],
            f"Nothing is scheduled for the next {SCHEDULED_DAYS} days."
            if editor
            else f"None of your pieces is scheduled for the next {SCHEDULED_DAYS} days.",
            count=counts["scheduled"],
            more=("Everything scheduled", changelist(state="scheduled")),
        )
    )
    found.append(
        Section(
            "drafts",
            "My drafts",
            [draft(piece, now) for piece in draft_rows],
            "You have no drafts." if not returned else "No other drafts.",
            count=counts["drafts"] - len(returned),
            more=("All drafts", changelist(state="draft")),
        )
    )
    recent = Section(
        "published",
        "Recently published",
        [published(piece, now) for piece in published_rows],
        "Nothing has been published yet." if editor else "None of your pieces is published yet.",
        more=("Everything published", changelist(state="public")),
    )
    found.append(recent)
    if editor:
        add_columns(user, recent.rows)
        found.append(
            Section(
                "untranslated",
                "Without a translation",
                [untranslated(piece, now) for piece in untranslated_rows[:LIMIT]],
                "Every public piece has a translation.",
                count=up_to(untranslated_rows),
            )
        )
        found.append(
            Section(
                "stale",
                "Stale translations",
                [stale_translation(piece, now) for piece in stale_rows[:LIMIT]],
                "No translation is behind its original.",
                count=up_to(stale_rows),
            )
        )
        found.append(needs_attention(user, pieces, now))
    return found


def up_to(rows):
    """How many rows a section has, fetched one beyond LIMIT: "8+" when there are more."""
    return len(rows) if len(rows) <= LIMIT else f"{LIMIT}+"


def returned_drafts(drafts, now):
    """The user's drafts whose last review note is a return, with that note: one query, on the
    notes' (piece, newest first) index."""
    latest = ReviewNote.objects.filter(commentary=OuterRef("commentary")).order_by(
        "-made_at", "-pk"
    )
    notes = (
        ReviewNote.objects.filter(
            commentary__in=drafts.values("pk"), kind=ReviewNote.Kind.RETURNED
        )
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("commentary__series", "made_by")
        .defer(*(f"commentary__{name}" for name in LISTED))
        .order_by("-made_at", "-pk")[:RETURNED_LIMIT]
    )
    return [
        Row(
            note.commentary,
            [
                note.commentary.label,
                f"returned by {person(note.made_by)} {ago(note.made_at, now)}",
            ],
            note,
        )
        for note in notes
    ]


def waiting(piece, now, editor):
    facts = [piece.label, piece.byline or "no author yet"]
    if editor and piece.created_by:
        facts.append(f"sent by {person(piece.created_by)}")
    facts.append(f"waiting {timesince(piece.submitted_at or piece.updated_at, now, depth=1)}")
    return Row(piece, facts)


def coming(piece, now):
    when = f"{local(piece.published_at, now)} (in {timeuntil(piece.published_at, now, depth=1)})"
    return Row(piece, [piece.label, piece.byline or "no author yet", when])


def draft(piece, now):
    facts = [piece.label]
    if piece.planned_at:
        facts.append(f"planned for {day(piece.planned_at, now)}")
    facts.append(f"edited {ago(piece.updated_at, now)}")
    return Row(piece, facts)


def language_name(piece):
    return dict(settings.LANGUAGES).get(piece.language, piece.language)


def published(piece, now):
    # An edition in another language than the site's says so: two editions share a number.
    other = [language_name(piece)] if piece.language != settings.LANGUAGE_CODE else []
    when = f"published {local(piece.published_at, now)}"
    return Row(piece, [piece.label, *other, piece.byline, when])


def untranslated(piece, now):
    return Row(
        piece, [piece.label, language_name(piece), f"published {local(piece.published_at, now)}"]
    )


def stale_translation(piece, now):
    changed = local(piece.original.changed_at, now)
    return Row(piece, [piece.label, language_name(piece), f"original changed {changed}"])


def add_columns(user, rows):
    pieces = [row.piece for row in rows]
    for provider in providers.columns(user):
        cells = provider.column(pieces) if pieces else {}
        for row in rows:
            text, tone = cells.get(row.piece.pk, ("", ""))
            row.cells.append((provider.heading, text, tone))


def needs_attention(user, pieces, now):
    """What the providers report as failed, for the pieces this user may see, newest first."""
    reports = []
    for provider in providers.attention(user):
        reports += provider.attention(now, ATTENTION_LIMIT)
    reports.sort(key=lambda report: report[2], reverse=True)
    shown = {p.pk: p for p in pieces.filter(pk__in={pk for pk, _, _ in reports})}
    rows = [
        Row(shown[pk], [shown[pk].label, f"since {local(since, now)}"], problem=problem)
        for pk, problem, since in reports
        if pk in shown
    ]
    return Section(
        "attention",
        "Needs attention",
        rows[:ATTENTION_LIMIT],
        "Nothing has failed.",
        count=len(rows) if len(rows) <= ATTENTION_LIMIT else f"{ATTENTION_LIMIT}+",
    )
