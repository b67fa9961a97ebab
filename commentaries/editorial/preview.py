"""Preview links: signed addresses that show an unpublished piece to someone without a login.

A token names the piece and how many links had been handed out or revoked when it was made
(Commentary.preview_links_issued); raising that number revokes every earlier link, which
publishing and withdrawing do, and an editor can at any time. Links also expire after
PREVIEW_LINK_DAYS.
"""

from django.core import signing

from commentaries.models import Commentary

PREVIEW_SALT = "commentaries.preview"


def preview_token(commentary):
    """A signed token for a preview link that needs no login."""
    return signing.dumps([commentary.pk, commentary.preview_links_issued], salt=PREVIEW_SALT)


def commentary_from_preview_token(token, *, max_age):
    """The commentary a preview token names; raises signing.BadSignature when it is bad, old
    or revoked, Commentary.DoesNotExist when the piece is gone."""
    payload = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    if not (isinstance(payload, list) and len(payload) == 2):
        raise signing.BadSignature("Not a preview token.")
    pk, issued = payload
    commentary = Commentary.objects.with_listing_data().get(pk=pk)
    if commentary.preview_links_issued != issued:
        raise signing.BadSignature("This preview link has been revoked.")
    return commentary
