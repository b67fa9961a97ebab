"""Preview links: signed addresses that show an unpublished piece to someone without a login."""

from django.core import signing

from commentaries.models import Commentary

PREVIEW_SALT = "commentaries.preview"


def preview_token(commentary):
    """A signed token for a preview link that needs no login."""
    return signing.dumps(commentary.pk, salt=PREVIEW_SALT)


def commentary_from_preview_token(token, *, max_age):
    """The commentary a preview token names; raises signing.BadSignature when it is bad or old."""
    pk = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    return Commentary.objects.with_listing_data().get(pk=pk)
