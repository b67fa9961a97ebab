"""ORCID iDs on authors: 0000-0002-1825-0097, its last character a check digit (ISO 7064
MOD 11-2). Pasting the address (https://orcid.org/...) is accepted and stripped."""

import re

from django.core.exceptions import ValidationError

ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def normalise_orcid(value):
    value = (value or "").strip()
    for prefix in PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.upper()


def orcid_check_digit(digits):
    """ISO 7064 MOD 11-2 over the first fifteen digits, as ORCID computes it."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value):
    if not ORCID_RE.fullmatch(value):
        raise ValidationError(
            "Enter an ORCID iD of the form 0000-0002-1825-0097.", code="invalid_orcid"
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD's last character (its check digit) does not match: check for a typo.",
            code="orcid_check_digit",
        )
