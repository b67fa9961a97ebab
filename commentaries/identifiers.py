"""Persistent identifiers the domain stores: DOIs on commentaries, ORCID iDs on authors.

Both are kept in their bare form (10.99999/ajiss.210, 0000-0002-1825-0097); pasting the
resolver address (https://doi.org/..., https://orcid.org/...) is accepted and stripped."""

import re

from django.core.exceptions import ValidationError

DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/")


def _strip(value, prefixes):
    value = (value or "").strip()
    for prefix in prefixes:
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


def normalise_doi(value):
    """DOIs are case-insensitive: stored in lower case, so uniqueness means what it should."""
    return _strip(value, DOI_PREFIXES).lower()


def normalise_orcid(value):
    return _strip(value, ORCID_PREFIXES).upper()


def validate_doi(value):
    if not DOI_RE.fullmatch(value):
        raise ValidationError(
            "Enter a DOI of the form 10.<registrant>/<suffix>, for example 10.99999/ajiss.210.",
            code="invalid_doi",
        )


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
