"""Editorial actions: publish, schedule, unpublish, withdraw, restore, correct, preview links.

The change form, the admin's actions and restore all come here, so each rule is checked and
each side effect set off in one place. Every action asks commentaries.editorial.permissions
first (PermissionDenied, nothing written), locks the piece's row, and is put on the record:
a LogEntry and a note on the revision, both shown in the piece's History. What the new state
calls for is recorded as publication events once the transaction commits (commentaries.events);
whatever reacts to them (WebSub, e-mail alerts, ...) subscribes there.
"""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries import events
from commentaries.editorial import permissions, revisions
from commentaries.models import Authorship, Commentary, Correction, KeyPoint

Status = Commentary.Status
# What a restore brings back; workflow fields (status, times, release, reason) never.
CONTENT_FIELDS = ["title", "slug", "summary", "body", "language"]


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


def change_status(*, commentary, to, by, reason=""):
    """The one way a piece's status changes, from the form, an action or a command.

    Publishing a piece that has not been public dates it now, unless an editor set its time
    by hand (a past date, or a future one that schedules it). Publishing and withdrawing
    revoke the preview links handed out for it.
    """
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        check(lambda user, piece: permissions.can_change_status(user, piece, to), by, current)
        before, now = current.status, timezone.now()
        if to == Status.PUBLISHED and before != Status.PUBLISHED:
            if not current.has_been_public and not current.published_at_set_by_hand:
                current.published_at = now
            current.withdrawal_reason = ""
        if to == Status.WITHDRAWN:
            current.withdrawal_reason = reason
        if to in permissions.PUBLIC_STATES and to != before:
            current.preview_links_issued += 1
        current.status = to
        current.updated_by = by
        current.save()
        reversion.set_user(by)
        reversion.add_to_revision(current)
        if to != before:
            record(current, by, status_message(current, before, now))
    # The caller's copy (a form's instance, say) now says what the database does.
    for field in Commentary._meta.concrete_fields:
        setattr(commentary, field.attname, getattr(current, field.attname))
    events.reconcile_on_commit(commentary.pk)
    return commentary


def status_message(commentary, before, now):
    when = f"{timezone.localtime(commentary.published_at):%Y-%m-%d %H:%M %Z}"
    match commentary.status:
        case Status.PUBLISHED if commentary.published_at > now:
            return f"Scheduled: public from {when}"
        case Status.PUBLISHED:
            return f"Published, dated {when}"
        case Status.WITHDRAWN:
            return f"Withdrawn: {commentary.withdrawal_reason}"
        case _ if before in permissions.PUBLIC_STATES:
            return f"Unpublished: set back to {commentary.get_status_display()}"
        case _:
            return f"Status set to {commentary.get_status_display()}"


def commentary_publish(*, commentary, by):
    """Publish now, or at its publication time if that is in the future (scheduled)."""
    return change_status(commentary=commentary, to=Status.PUBLISHED, by=by)


def commentary_withdraw(*, commentary, by, reason):
    return change_status(commentary=commentary, to=Status.WITHDRAWN, by=by, reason=reason)


def commentary_unpublish(*, commentary, by):
    return change_status(commentary=commentary, to=Status.DRAFT, by=by)


def commentary_correct(*, commentary, by, note):
    """Record a major correction: readers see the note and subscribers the new modified date."""
    with transaction.atomic(), reversion.create_revision():
        current = stored(commentary)
        check(permissions.can_correct, by, current)
        correction = Correction.objects.create(commentary=current, note=note, made_by=by)
        current.modified_at = commentary.modified_at = correction.made_at
        current.save(update_fields=["modified_at"])
        reversion.set_user(by)
        reversion.add_to_revision(current)
        record(current, by, f"Major correction: {note}")
    events.reconcile_on_commit(commentary.pk)
    return correction


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
        piece.save()  # the normal path: sanitising, search document, freshness
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
        when = f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M %Z}"
        reversion.set_user(by)
        reversion.add_to_revision(piece)
        who = by.get_username() if by else "a command"
        record(piece, by, f"Restored version of {when} by {who}")
    events.reconcile_on_commit(piece.pk)
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
