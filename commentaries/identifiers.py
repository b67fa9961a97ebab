"""DOIs on commentaries, kept in their bare form (10.99999/ajiss.210); pasting the resolver
address (https://doi.org/...) is accepted and stripped. ORCID iDs live in authors.orcid."""

import re

from django.core.exceptions import ValidationError

DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")


def normalise_doi(value):
    """DOIs are case-insensitive: stored in lower case, so uniqueness means what it should."""
    value = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.lower()


def validate_doi(value):
    if not DOI_RE.fullmatch(value):
        raise ValidationError(
            "Enter a DOI of the form 10.<registrant>/<suffix>, for example 10.99999/ajiss.210.",
            code="invalid_doi",
        )
