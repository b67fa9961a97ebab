"""`make serve`'s first step: with DEBUG off, stop with what to set instead of a traceback."""

import os
import re
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import config.settings  # noqa: F401  (importing it is the check)
    except ImproperlyConfigured as error:
        sys.exit(f"make serve: {error}\nSee README.md, section Production.")
    if problem := oai_admin_email():
        sys.exit(f"make serve: {problem}\nSee README.md, section Production.")


def oai_admin_email():
    """OAI-PMH's Identify names an administrator's address in the form its schema requires:
    OAI_ADMIN_EMAIL, else webmaster@ SITE_URL's host (commentaries.scholarly.oai); SITE_URL
    itself is required with DEBUG off, so only a malformed OAI_ADMIN_EMAIL is left to refuse."""
    address = settings.OAI_ADMIN_EMAIL
    if address and not re.fullmatch(r"\S+@(\S+\.)+\S+", address):  # OAI-PMH.xsd's pattern
        return f"OAI_ADMIN_EMAIL={address} is no address like webmaster@example.org."
    return None


if __name__ == "__main__":
    main()
