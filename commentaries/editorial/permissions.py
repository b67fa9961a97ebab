"""Who may do what to which piece: the one place the editorial rules are decided.

Every admin view, action, form, inline and service asks these predicates before it writes,
about the piece as it is stored in the database (never a form's unsaved copy), so a request
cannot talk its way past a rule by sending another status. Three kinds of staff:

- editors (the publish permission; superusers too) see and edit every piece, and alone publish,
  schedule, unpublish, withdraw, correct, restore published pieces and hand out preview links;
- contributors (the view and change permissions without publish) see only the pieces they
  started, and edit, restore or delete them only while they are drafts or in review;
- anyone else on the staff, an account in no group say, sees no piece at all.
"""

from django.db.models import Q

from commentaries.models import Commentary

EDITABLE_BY_CONTRIBUTORS = (Commentary.Status.DRAFT, Commentary.Status.IN_REVIEW)


def _staff(user):
    return user.is_active and user.is_staff


def is_editor(user):
    return _staff(user) and user.has_perm("commentaries.publish_commentary")


def visible(user, queryset=None):
    """The pieces this user may see in the admin: lists, history, compare, links."""
    queryset = Commentary.objects.all() if queryset is None else queryset
    if is_editor(user):
        return queryset
    if _staff(user) and user.has_perm("commentaries.view_commentary"):
        return queryset.filter(created_by=user.pk)
    return queryset.none()


def shown(user):
    """Pieces whose topics, years, authors and numbers this user may meet in filters and forms:
    those they may see, and those anyone may read."""
    if is_editor(user):
        return Commentary.objects.all()
    return Commentary.objects.filter(
        Q(pk__in=visible(user).values("pk"))
        | Q(pk__in=Commentary.objects.published().values("pk"))
    )


def can_view(user, commentary):
    if commentary is None or commentary.pk is None:
        return False
    if is_editor(user):
        return True
    return (
        _staff(user)
        and user.has_perm("commentaries.view_commentary")
        and commentary.created_by_id == user.pk
    )


def can_add(user, status=Commentary.Status.DRAFT):
    """Start a piece; one that starts out published or withdrawn needs an editor."""
    allowed = _staff(user) and user.has_perm("commentaries.add_commentary")
    return allowed and (status in EDITABLE_BY_CONTRIBUTORS or can_publish(user))


def can_edit(user, commentary):
    """Editors edit anything; contributors their own pieces, and only before publication."""
    if not can_view(user, commentary) or not user.has_perm("commentaries.change_commentary"):
        return False
    return is_editor(user) or commentary.status in EDITABLE_BY_CONTRIBUTORS


def can_translate(user, commentary):
    """Start another edition of an original: whoever may edit it and start pieces. Each
    edition is then a piece of its own (the translation is its starter's)."""
    return (
        commentary.original_id is None
        and can_edit(user, commentary)
        and user.has_perm("commentaries.add_commentary")
    )


def can_publish(user, commentary=None):
    """Publish, schedule, unpublish, withdraw: a piece's public state is the editors' alone."""
    return is_editor(user) and (commentary is None or can_view(user, commentary))


def can_correct(user, commentary):
    return can_publish(user, commentary) and commentary.has_been_public


def can_restore(user, commentary):
    """Bring an earlier version's content back: whoever may edit the piece as it is now."""
    return can_edit(user, commentary)


def can_delete(user, commentary):
    """A number that has been public is never freed for reuse: withdraw such a piece instead."""
    return (
        can_edit(user, commentary)
        and user.has_perm("commentaries.delete_commentary")
        and not commentary.number_is_fixed
    )


def can_hand_out_preview(user, commentary):
    """Preview links show a piece that is not public; a withdrawn piece is not shown again."""
    return (
        can_publish(user, commentary)
        and not commentary.is_published()
        and commentary.status != Commentary.Status.WITHDRAWN
    )


def can_preview(user, commentary):
    """Who may read an unpublished piece at its own address."""
    return can_view(user, commentary)
