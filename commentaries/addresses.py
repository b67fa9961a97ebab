"""reverse() for the addresses a page makes by the dozen: pieces, authors, archive years.

reverse() matches the pattern's regular expression on every call, about 20 microseconds; a list
of twenty cards with their authors makes fifty of them. address() reverses a name once (per
URLconf and script prefix), notes which path segments the values filled, and from then on puts
the new values in those places. It takes ints and ASCII slugs, which reverse() leaves unquoted,
and is meant for values from the database's own validated fields: it does not match them
against the pattern again. Anything else, or a pattern that does not take each value as one
whole path segment, is left to reverse().
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# (name, keys, URLconf, script prefix): (the address's segments, ((index, key), ...) of those
# the values fill). Written once per name and process; a dict assignment is atomic.
_shapes = {}


def address(name, **kwargs):
    """reverse(name, kwargs=kwargs), made faster for ints and slugs."""
    for value in kwargs.values():
        kind = type(value)
        if not (kind is int and value >= 0 or kind is str and SLUG.fullmatch(value)):
            return reverse(name, kwargs=kwargs)
    key = (
        name,
        tuple(sorted(kwargs)),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    shape = _shapes.get(key)
    if shape is None:
        path = reverse(name, kwargs=kwargs)
        shape = _shape(path, kwargs)
        if shape is None:
            return path
        _shapes[key] = shape
    segments, slots = shape
    segments = list(segments)
    for index, argument in slots:
        segments[index] = str(kwargs[argument])
    return "/".join(segments)


def _shape(path, kwargs):
    """The shape of `path`, reversed with `kwargs`, or None when it cannot be told which segment
    holds which value (a value that is not a whole segment, or one that appears twice)."""
    segments = path.split("/")
    values = {str(value): name for name, value in kwargs.items()}
    slots = [
        (index, values[segment]) for index, segment in enumerate(segments) if segment in values
    ]
    if len(values) != len(kwargs) or sorted(name for _, name in slots) != sorted(kwargs):
        return None
    return tuple(segments), tuple(slots)
