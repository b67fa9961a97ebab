"""Who may do what to which piece: the one place the editorial rules are decided."""

from commentaries.models import Commentary


def can_publish(user):
    return user.has_perm("commentaries.publish_commentary")


def can_edit(user, commentary):
    """Editors edit anything; contributors only their own pieces, and only before publication."""
    if not user.has_perm("commentaries.change_commentary"):
        return False
    if can_publish(user):
        return True
    return commentary.created_by_id == user.pk and commentary.status in (
        Commentary.Status.DRAFT,
        Commentary.Status.IN_REVIEW,
    )


def can_preview(user, commentary):
    """Who may read an unpublished piece at its own address."""
    return user.is_staff and (
        can_publish(user)
        or (user.has_perm("commentaries.view_commentary") and commentary.created_by_id == user.pk)
    )
