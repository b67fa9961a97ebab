"""The one write path for a piece's editorial state.

Each action (save a draft, submit for review, return to the author, publish now, schedule,
unpublish, withdraw) is a step: `prepare()` asks commentaries.editorial.permissions about the
piece as stored, and sets the state fields on it; the caller saves the row once, content and
state together; `conclude()` puts the step on the record (a LogEntry and a revision note, both
in the piece's History), writes the review note and queues its e-mail (a durable task, committed
with the step), and, once the step commits, queues the recording of the publication events its
new state calls for (events.py).

The change form's buttons run prepare() before the form's own save and conclude() after it, in
the admin's transaction. `act()` does the same for one piece alone (the change list's actions,
commands, tests): locks the row, prepares, saves the state fields, concludes.
"""

from dataclasses import dataclass
from functools import partial

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.editorial import permissions, revisions
from commentaries.models import Authorship, Commentary, Correction, KeyPoint, Series
from commentaries.publishing import tasks
from commentaries.publishing.models import ReviewNote

Status = Commentary.Status
# What a restore brings back; workflow fields (status, times, release, reason) never.
CONTENT_FIELDS = ["title", "slug", "summary", "body", "language"]
# What a step writes; nothing else in the code writes these (Commentary.save() does not).
STATE_FIELDS = [
    "status",
    "published_at",
    "published_at_set_by_hand",
    "first_published_at",
    "submitted_at",
    "withdrawn_at",
    "withdrawal_reason",
    "release",
    "preview_links_issued",
    "updated_by",
    "updated_at",
]


class Action:
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"
    WITHDRAW = "withdraw"


@dataclass
class Step:
    """What prepare() did, for conclude() to put on the record."""

    action: str
    message: str  # what the person is told: "No.411 published"
    recorded: str  # what the History says: "Published"
    note: ReviewNote | None = None


def allowed(user, commentary, action):
    """May `user` take `action` on `commentary` as it stands? The submit row shows exactly
    these buttons, and prepare() refuses the rest."""
    if commentary.pk is None:  # a new piece: its first save
        if action in (Action.SAVE, Action.SUBMIT):
            return permissions.can_add(user)
        publishing = action in (Action.PUBLISH, Action.SCHEDULE)
        return publishing and permissions.can_add(user, Status.PUBLISHED)
    status = commentary.status
    match action:
        case Action.SAVE:
            return permissions.can_edit(user, commentary)
        case Action.SUBMIT:
            return status == Status.DRAFT and permissions.can_edit(user, commentary)
        case Action.RETURN:
            return status == Status.IN_REVIEW and permissions.can_publish(user, commentary)
        case Action.PUBLISH:
            return not commentary.is_published() and permissions.can_publish(user, commentary)
        case Action.SCHEDULE:
            unpublished = status in (Status.DRAFT, Status.IN_REVIEW) or commentary.is_scheduled
            return unpublished and permissions.can_publish(user, commentary)
        case Action.UNPUBLISH:
            gone_out = status in (Status.PUBLISHED, Status.WITHDRAWN)
            return gone_out and permissions.can_publish(user, commentary)
        case Action.WITHDRAW:
            public = commentary.is_published() or status == Status.WITHDRAWN
            return (
                public and status != Status.WITHDRAWN and permissions.can_publish(user, commentary)
            )
    return False


def actions_for(user, commentary):
    """The actions the submit row offers, in its order."""
    order = [
        Action.SAVE,
        Action.SUBMIT,
        Action.PUBLISH,
        Action.SCHEDULE,
        Action.RETURN,
        Action.UNPUBLISH,
        Action.WITHDRAW,
    ]
    return [action for action in order if allowed(user, commentary, action)]


def prepare(commentary, action, *, by, at=None, note="", reason=""):
    """Check the rules about the piece as it stands and set its state for `action`. The caller
    holds the row's lock and saves it once, with whatever content changed beside."""
    if by is not None and not allowed(by, commentary, action):
        raise PermissionDenied
    now = timezone.now()
    label = commentary.label
    match action:
        case Action.SAVE:
            step = Step(action, f"{label} saved", "Saved")
        case Action.SUBMIT:
            commentary.status = Status.IN_REVIEW
            commentary.submitted_at = now
            step = Step(action, f"{label} submitted for review", "Submitted for review")
            step.note = ReviewNote(kind=ReviewNote.Kind.SUBMITTED, note=note, made_by=by)
        case Action.RETURN:
            if not note.strip():
                raise ValidationError("Say what the author should change; they read it.")
            commentary.status = Status.DRAFT
            commentary.submitted_at = None
            step = Step(
                action,
                f"{label} returned to the author",
                f"Returned to author: {note.strip()}",
            )
            step.note = ReviewNote(kind=ReviewNote.Kind.RETURNED, note=note.strip(), made_by=by)
        case Action.PUBLISH:
            if not commentary.has_been_public and (
                not commentary.published_at_set_by_hand or commentary.published_at > now
            ):
                commentary.published_at = now  # dated the moment it is published
            go_public(commentary)
            step = Step(action, f"{label} published", "Published")
        case Action.SCHEDULE:
            if at is None or at <= now:
                raise ValidationError("Choose a time to come to schedule the piece for.")
            commentary.published_at, commentary.published_at_set_by_hand = at, True
            go_public(commentary)
            step = Step(action, f"{label} scheduled for {local(at)}", f"Scheduled for {local(at)}")
        case Action.UNPUBLISH:
            was_scheduled = commentary.is_scheduled
            commentary.status = Status.DRAFT
            if not commentary.has_been_public:
                commentary.first_published_at = None
            commentary.preview_links_issued += 1
            done = "unscheduled" if was_scheduled else "unpublished"
            step = Step(action, f"{label} {done}", done.capitalize())
        case Action.WITHDRAW:
            if not reason.strip():
                raise ValidationError("Say why the piece is withdrawn; readers see it.")
            commentary.status = Status.WITHDRAWN
            commentary.withdrawn_at, commentary.withdrawal_reason = now, reason.strip()
            commentary.preview_links_issued += 1
            step = Step(action, f"{label} withdrawn", f"Withdrawn: {reason.strip()}")
        case _:
            raise ValueError(f"No such action: {action}")
    if action != Action.SAVE:
        commentary.updated_by = by
    return step


def go_public(commentary):
    """Published (now, or at its time to come): a new release, whose events happen once."""
    if not commentary.has_been_public:  # asked before the status says published
        commentary.first_published_at = commentary.published_at
    if commentary.status != Status.PUBLISHED:
        commentary.release += 1
    commentary.status = Status.PUBLISHED
    commentary.withdrawn_at, commentary.withdrawal_reason = None, ""
    commentary.submitted_at = None
    commentary.preview_links_issued += 1


def conclude(commentary, step, *, by):
    """Put a saved step on the record; its review note and its e-mail are written and queued
    in the same transaction, the recording of its publication events once it commits."""
    if step.action != Action.SAVE:
        record(commentary, by, step.recorded)
    if step.note is not None:
        step.note.commentary = commentary
        step.note.save()
        tasks.send_review_note.enqueue(step.note.pk)
    record_events_after_commit(commentary.pk)


def record_events_after_commit(pk):
    """Queue the recording of the piece's publication events once the step has committed, so
    that nothing they set off (an alert, a ping) goes out for a step rolled back. Should the
    process stop in between, the worker's clock records them on its next pass."""
    transaction.on_commit(partial(tasks.record_events.enqueue, pk))


def act(*, commentary, action, by, **params):
    """One action on one piece, in a transaction of its own: the change list's actions,
    commands and tests. Returns the step (its message says what happened)."""
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        step = prepare(current, action, by=by, **params)
        current.save(update_fields=STATE_FIELDS)
        reversion.set_user(by)
        reversion.add_to_revision(current)
        conclude(current, step, by=by)
    # The caller's copy now says what the database does.
    for field in Commentary._meta.concrete_fields:
        setattr(commentary, field.attname, getattr(current, field.attname))
    return step


def local(moment):
    """A time as the site's editors read it: 25 Dec 2026 09:00 JST."""
    return f"{timezone.localtime(moment):%d %b %Y %H:%M %Z}"


def next_free_number(series, pieces=None):
    """The number after the highest in `series`, among `pieces` (default: all of them)."""
    pieces = Commentary.objects.all() if pieces is None else pieces
    numbers = pieces.filter(series=series).values_list("number", flat=True)
    return max(numbers, default=0) + 1


def record(commentary, by, message):
    """Put an editorial action on the piece's record: its History lists both of these."""
    if by is not None:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[commentary], action_flag=CHANGE, change_message=message,
            single_object=True,
        )  # fmt: skip
    revisions.note(message if by else f"{message} (by a command, no user)")


def check(rule, by, commentary):
    """by=None is the site itself (a management command); people are asked the rules."""
    if by is not None and not rule(by, commentary):
        raise PermissionDenied


def stored(commentary):
    """The piece as the database holds it, locked until the transaction ends."""
    return Commentary.objects.select_for_update(of=("self",)).get(pk=commentary.pk)


def commentary_submit(*, commentary, by, note=""):
    return act(commentary=commentary, action=Action.SUBMIT, by=by, note=note)


def commentary_return(*, commentary, by, note):
    return act(commentary=commentary, action=Action.RETURN, by=by, note=note)


def commentary_publish(*, commentary, by):
    """Publish now: a piece that has not been public is dated now, unless an editor set a
    past time by hand."""
    return act(commentary=commentary, action=Action.PUBLISH, by=by)


def commentary_schedule(*, commentary, by, at):
    return act(commentary=commentary, action=Action.SCHEDULE, by=by, at=at)


def commentary_unpublish(*, commentary, by):
    return act(commentary=commentary, action=Action.UNPUBLISH, by=by)


def commentary_withdraw(*, commentary, by, reason):
    return act(commentary=commentary, action=Action.WITHDRAW, by=by, reason=reason)


def commentary_correct(*, commentary, by, note):
    """Record a major correction: readers see the note and subscribers the new modified date."""
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        check(permissions.can_correct, by, current)
        correction = Correction.objects.create(commentary=current, note=note, made_by=by)
        current.modified_at = commentary.modified_at = correction.made_at
        current.save(update_fields=["modified_at"])
        reversion.set_date_created(correction.made_at)  # the version with the correction
        reversion.set_user(by)
        reversion.add_to_revision(current)
        record(current, by, f"Correction added: {note}")
    record_events_after_commit(commentary.pk)
    return correction


def commentary_translate(*, commentary, language, by):
    """Start the edition of an original in `language`: a draft linked to it, in its series and
    with its number, its authors (positions and affiliations as published; bios to translate),
    its topics, and as many key points as it has, empty, to be translated. Returns the draft."""
    with transaction.atomic(), reversion.create_revision():
        Series.objects.select_for_update().get(pk=commentary.series_id)  # as numbers are taken
        original = stored(commentary)
        check(permissions.can_translate, by, original)
        if language not in original.missing_languages():
            raise ValidationError(f"{original.label} has an edition in {language} already.")
        translation = Commentary(
            series=original.series,
            number=original.number,
            language=language,
            original=original,
            title=original.title,
            slug=original.slug,
            body="",
            status=Commentary.Status.DRAFT,
            created_by=by,
            updated_by=by,
        )
        translation.clean()  # the edition's rules; its text is the translator's to write
        translation.save()
        translation.tags.set(original.tags.all())
        KeyPoint.objects.bulk_create(
            KeyPoint(commentary=translation, position=point.position, text="")
            for point in original.key_points.all()
        )
        Authorship.objects.bulk_create(
            Authorship(
                commentary=translation,
                author_id=authorship.author_id,
                position=authorship.position,
                position_title=authorship.position_title,
                affiliation=authorship.affiliation,
            )
            for authorship in original.authorships.all()
        )
        reversion.set_user(by)
        reversion.add_to_revision(translation)
        record(translation, by, f"Translation of {original.label} ({original.language}) started")
    return translation


def commentary_restore(*, commentary, version, by):
    """Bring back one version's content as a new version; never its workflow fields.

    Title, slug, summary, body, language, key points, authors in byline order with their bios
    as published, and topics come back. Status, publication and first-public times, the last
    major correction, the withdrawal and the release stay as they are, so a number that has
    been public stays fixed. Topics are matched to the Tag rows that exist now (by id, else by
    name): a restore never renames, re-slugs or deletes a topic other pieces use.
    """
    with transaction.atomic(), reversion.create_revision():
        piece = stored(commentary)
        check(permissions.can_restore, by, piece)
        if version.object_id != str(piece.pk):
            raise PermissionDenied
        content = version.field_dict
        for name in CONTENT_FIELDS:
            setattr(piece, name, content[name])
        piece.updated_by = by
        piece.save(update_fields=[*CONTENT_FIELDS, "updated_by", "updated_at"])
        related = revisions.related(version)
        piece.key_points.all().delete()
        KeyPoint.objects.bulk_create(
            KeyPoint(commentary=piece, position=k["position"], text=k["text"])
            for k in related[KeyPoint]
        )
        piece.authorships.all().delete()
        authors = Author.objects.in_bulk([a["author_id"] for a in related[Authorship]])
        for authorship in related[Authorship]:
            if authorship["author_id"] in authors:  # an author deleted since cannot return
                fields = {name: authorship[name] for name in revisions.AUTHORSHIP_FIELDS}
                Authorship.objects.create(commentary=piece, **fields)
        piece.tags.set(topics(related[TaggedItem], related[Tag]))
        when = local(version.revision.date_created)
        reversion.set_user(by)
        reversion.add_to_revision(piece)
        record(piece, by, f"Restored the version of {when}")
    record_events_after_commit(piece.pk)
    return piece


def topics(tagged_items, tags):
    """The topics of a version as Tag rows of today, or names where a row is gone."""
    ids = [item["tag_id"] for item in tagged_items]
    existing = Tag.objects.in_bulk(ids)
    names = {tag["id"]: tag["name"] for tag in tags}
    return [existing.get(pk) or names[pk] for pk in ids if pk in existing or pk in names]


def preview_link_issue(*, commentary, by):
    """Note that a preview link was handed out; the link itself is a signed token."""
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        check(permissions.can_hand_out_preview, by, current)
        reversion.set_user(by)
        record(current, by, "Preview link handed out")
    return current


def preview_links_revoke(*, commentary, by):
    """Every preview link handed out for the piece stops working."""
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        check(permissions.can_publish, by, current)
        current.preview_links_issued += 1
        current.save(update_fields=["preview_links_issued"])
        reversion.set_user(by)
        record(current, by, "Preview links revoked")
    return current
