"""The site's addresses: the absolute ones, built here and nowhere else, and a fast reverse().

Absolute addresses (what leaves a page: e-mails, PDFs, feeds, sitemaps, robots.txt, Crossref
deposits, OAI-PMH, canonical links and citations) start with site_url():

1. SITE_URL when it is set. It is required whenever DEBUG is off (config/settings.py stops
   without it, so `make serve`'s preflight says what to set), so in production every address,
   in a request or in the worker, is the public one, whatever Host a request came with.
2. Otherwise (DEBUG: `make run`, the tests) the scheme, host and port of the request being
   answered: the request passed in, or else the one RequestAddressMiddleware noted for the
   current request. Tasks that `make run` runs inside the request (the immediate backend) see it
   too, so a confirmation e-mail links to the address the form was sent from.
3. Otherwise (DEBUG, outside any request: a `manage.py worker` beside `make run`, a command such
   as render_pdfs or crossref_deposit) http://127.0.0.1:$PORT, what `make run` serves (PORT from
   the environment, 8000 by default). Set SITE_URL when development is served anywhere else.

address() is reverse() for the paths a page makes by the dozen: pieces, authors, archive years.
reverse() matches the pattern's regular expression on every call, about 20 microseconds; a list
of twenty cards with their authors makes fifty of them. address() reverses a name once (per
URLconf and script prefix), notes which path segments the values filled, and from then on puts
the new values in those places. It takes ints and ASCII slugs, which reverse() leaves unquoted,
and is meant for values from the database's own validated fields: it does not match them
against the pattern again. Anything else, or a pattern that does not take each value as one
whole path segment, is left to reverse().
"""

import os
import re
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

SITE_URL_HELP = (
    "Set SITE_URL to the site's public address, scheme and host (and port, if not the "
    "scheme's), e.g. https://commentaries.example.org: e-mails, PDFs, feeds, sitemaps, Crossref "
    "deposits and OAI-PMH records carry it."
)

# The request being answered in this context (RequestAddressMiddleware), for site_url().
_request = ContextVar("request", default=None)


def site_url(request=None):
    """scheme://host[:port] of the site, no trailing slash (see the module's docstring)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = request or _request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"


def absolute(path, request=None):
    """The absolute address of a path made by reverse() or get_absolute_url()."""
    return site_url(request) + path


def site_host(request=None):
    """The site's host name, without scheme or port."""
    return urlsplit(site_url(request)).hostname


class RequestAddressMiddleware:
    """Notes the request being answered, so that site_url() without SITE_URL (development)
    answers with its scheme, host and port, also in tasks the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def path_language(path):
    """The language of a path: its prefix's (/ja/...), else the site's main language."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


class PathLanguageMiddleware:
    """Answers in the language of the path's prefix and says so in Content-Language.

    The path alone decides: never a cookie or Accept-Language, so one address always gets one
    answer, which the page cache and shared caches keep without a Vary (Django's
    LocaleMiddleware would read both, redirect and add Vary: Accept-Language, Cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with translation.override(path_language(request.path_info)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# (name, keys, language, URLconf, script prefix): (the address's segments, ((index, key), ...) of those
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
        translation.get_language(),  # /ja/commentaries/210/ under Japanese
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


# The languages a public page is in: `alternates`, a list of (language code, absolute address)
# of the page in every language that has it, its own included, the main language's first,
# else the original's (the one search engines show readers of any other language: x-default).
# The masthead's language switch and the <link rel="alternate" hreflang> tags
# (includes/hreflang.html) read it. Every page gets its own address in each language (the
# context processor); a list that answers 404 where it has no pieces names only the languages
# it has some in (pagination.KeysetListMixin); a piece's page names its public editions
# (edition_addresses): editions have slugs of their own, and a piece need not have every
# language.


def alternates(request):
    """Context processor. Lazy: only pages that show the switch or the tags resolve it."""
    return {"alternates": SimpleLazyObject(lambda: page_addresses(request))}


def page_addresses(request, exists_in=None):
    """The address that answered, reversed in each language (`exists_in(code)`, when given,
    says whether the page is there too); none for a page that has one address whatever the
    language (the admin's, /oai/) or no name to reverse."""
    match = request.resolver_match
    if match is None:
        return []
    own = translation.get_language()
    main_first = sorted(settings.LANGUAGES, key=lambda lang: lang[0] != settings.LANGUAGE_CODE)
    paths = []
    try:
        for code, _ in main_first:
            with translation.override(code):
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            paths.append((code, path))
    except NoReverseMatch:
        return []
    if len({path for _, path in paths}) < len(paths):
        return []
    return [
        (code, absolute(path, request))
        for code, path in paths
        if code == own or exists_in is None or exists_in(code)
    ]


def edition_addresses(editions, request=None):
    """(language, absolute address) of each of a piece's `editions` (its public ones, as the
    caller fetched them), the main language's first, else the original's."""
    order = [code for code, _ in settings.LANGUAGES]
    ranked = sorted(
        editions,
        key=lambda edition: (
            edition.language != settings.LANGUAGE_CODE,
            edition.is_translation,
            order.index(edition.language) if edition.language in order else len(order),
        ),
    )
    return [
        (edition.language, absolute(edition.get_absolute_url(), request)) for edition in ranked
    ]
