"""Signed links in e-mails: confirm a request, change preferences, unsubscribe in one click.

Each link carries its own proof (Django's signing with SECRET_KEY and a salt per purpose), so
they work with no login and no cookie; the views that act on them need no CSRF token, since a
forged request cannot know the signature.
"""

from django.conf import settings
from django.core import signing

CONFIRM, PREFERENCES, UNSUBSCRIBE = "alerts.confirm", "alerts.preferences", "alerts.unsubscribe"


def make(purpose, pk):
    return signing.Signer(salt=purpose).sign(str(pk))


def read(purpose, token):
    """The pk a token signs, or None when it is not one of ours (or, to confirm, too old)."""
    try:
        if purpose == CONFIRM:
            value = signing.TimestampSigner(salt=purpose).unsign(
                token, max_age=settings.ALERTS_CONFIRM_DAYS * 24 * 60 * 60
            )
        else:
            value = signing.Signer(salt=purpose).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def make_confirm(pk):
    return signing.TimestampSigner(salt=CONFIRM).sign(str(pk))
