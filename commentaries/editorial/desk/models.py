import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEY_LENGTH = 24  # hex digits: the lookup part of a token, 96 random bits
SIGNATURE_LENGTH = 40  # hex digits of an HMAC-SHA256 of the key: 160 bits
TOKEN_LENGTH = KEY_LENGTH + SIGNATURE_LENGTH


def new_key():
    return secrets.token_hex(KEY_LENGTH // 2)


def signature(key, secret=None):
    salt = "commentaries.editorial.desk.CalendarFeed"
    mac = salted_hmac(salt, key, secret=secret, algorithm="sha256")
    return mac.hexdigest()[:SIGNATURE_LENGTH]


class CalendarFeed(models.Model):
    """An editor's private address for the editorial calendar in a calendar application.

    The address carries a token: this row's random key, by which the row is found, and an HMAC
    of the key made with SECRET_KEY, compared in constant time. The database holds no
    credential (its key alone opens nothing), yet the page can show the address again. Deleting
    the row revokes the address; a new row is a new address. Rotating SECRET_KEY revokes every
    address once the old key leaves SECRET_KEY_FALLBACKS.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=KEY_LENGTH, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @property
    def token(self):
        return self.key + signature(self.key)

    @classmethod
    def for_token(cls, token):
        """The feed a token opens, with its owner, or None: unknown, revoked or forged."""
        if len(token) != TOKEN_LENGTH:
            return None
        key, given = token[:KEY_LENGTH], token[KEY_LENGTH:]
        feed = cls.objects.select_related("user").filter(key=key).first()
        if feed is None:
            return None
        secrets_in_use = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        if any(hmac.compare_digest(signature(key, s), given) for s in secrets_in_use):
            return feed
        return None
