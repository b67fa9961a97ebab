"""Who must use two-step sign-in, and each person's authenticator app and recovery codes.

A person has two-step sign-in on when they have a confirmed authenticator app (django-otp's
TOTPDevice); their recovery codes are one static device beside it. With ADMIN_REQUIRE_2FA,
editors (who may publish) and superusers must have it on. Devices are always found through the
person they belong to, never by an id that came with a request.
"""

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Whoever holds this permission publishes to the world: an editor.
EDITOR_PERMISSION = "commentaries.publish_commentary"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"


def required(user):
    """Whether ADMIN_REQUIRE_2FA obliges this person to use two-step sign-in."""
    return settings.ADMIN_REQUIRE_2FA and (user.is_superuser or user.has_perm(EDITOR_PERMISSION))


def authenticator(user):
    """The person's confirmed authenticator app, or None: two-step sign-in is on with one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_on(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_step(user):
    """A password alone does not sign this person in."""
    return required(user) or is_on(user)


def unconfirmed_authenticator(user):
    """The app being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def secret(device):
    """The key as an app asks for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(device):
    """The otpauth:// address as a QR code, an SVG data: URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalise(code):
    """What was typed, without the spaces and dashes people put in or copy along."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def is_app_code(code):
    """Six digits come from the app; recovery codes are eight letters and digits."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def verify(user, code, device=None):
    """The device that accepts this code, or None.

    Six digits are asked of the person's authenticator app (or of `device`, the one being set
    up); anything else of their recovery codes, each of which then stops working. Devices are
    locked while they check, so one code cannot be used twice at the same moment.
    """
    code = normalise(code)
    if not code:
        return None
    with transaction.atomic():
        if device is not None:
            candidates = TOTPDevice.objects.filter(pk=device.pk, user=user)
        elif is_app_code(code):
            candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
        else:
            candidates = StaticDevice.objects.filter(user=user, confirmed=True)
        for candidate in candidates.select_for_update().order_by("pk"):
            if candidate.verify_token(code):
                return candidate
    return None


def wait_seconds(user, code, device=None):
    """How long django-otp's own back-off makes the person wait before another try, if at all."""
    if device is None:
        model = TOTPDevice if is_app_code(normalise(code)) else StaticDevice
        device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    return max(1, round((data["locked_until"] - timezone.now()).total_seconds()))


@transaction.atomic
def confirm(device):
    """The app being set up becomes the person's only one; fresh recovery codes come with it."""
    TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = APP_NAME
    device.save()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the person's recovery codes; the new ones are returned to be shown once."""
    # The same device, new codes: a session signed in with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=CODES_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def is_recovery_code(device):
    return isinstance(device, StaticDevice)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(user):
    """Remove the person's authenticator apps and recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def shown(code):
    """A recovery code as printed: two groups of four, easier to read and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
