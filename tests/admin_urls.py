"""Every address the admin answers, read from its own URL patterns.

Walking admin.site.get_urls() (each model admin's patterns included, the inherited ones from
Django and django-reversion too) means a view added later is in every test that uses this,
without anyone remembering to list it.
"""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern

ROOT = "/" + settings.ADMIN_PATH


def admin_patterns():
    """(prefix, pattern) for every URL pattern of the admin; prefix is the model admin's."""

    def walk(entries, prefix):
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, [*prefix, entry.pattern])
            else:
                yield prefix, entry

    yield from walk(admin.site.get_urls(), [])


def key(prefix, entry):
    """A stable name for a pattern: its URL name without the model prefix, else its route."""
    model = "".join(str(p) for p in prefix).strip("/").replace("/", "_")
    if entry.name:
        name = entry.name.removeprefix(f"{model}_") if model else entry.name
        return f"{model}:{name}" if model else name
    return f"{model}:{entry.pattern}" if model else str(entry.pattern)


def parameters(pattern):
    """The names of a pattern's parameters, in order (positional groups as 0, 1, ...)."""
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    regex = re.compile(str(pattern))
    names = list(regex.groupindex)
    return names or list(range(regex.groups))


def fill(pattern, values):
    """The concrete path of one pattern part, with values by name (or position)."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), str(pattern))
    assert isinstance(pattern, RegexPattern)
    text = str(pattern).removeprefix("^").removesuffix("$")
    positions = iter(range(100))
    group = re.compile(r"\(\?P<(\w+)>[^)]*\)|\([^)]*\)")

    def value(match):
        return str(values[match.group(1) if match.group(1) else next(positions)])

    return group.sub(value, text)


def url(prefix, entry, values):
    return ROOT + "".join(fill(p, values) for p in [*prefix, entry.pattern])
