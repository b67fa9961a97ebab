"""`make serve`'s first step: with DEBUG off, stop with what to set instead of a traceback."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import config.settings  # noqa: F401  (importing it is the check)
    except ImproperlyConfigured as error:
        sys.exit(f"make serve: {error}\nSee README.md, section Production.")


if __name__ == "__main__":
    main()
