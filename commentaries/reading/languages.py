"""The languages a public page is in: `alternates`, a list of (language code, absolute address)
of the page in every language that has it, its own included. The masthead's language switch
and the <link rel="alternate" hreflang> tags (includes/hreflang.html) read it.

Every page gets its own address under each language's prefix (the context processor below); a
piece's page names its public editions instead (the view, with addresses.edition_addresses),
since editions have their own slugs and a piece need not have every language. The list comes
with the main language first, else the original: the entry search engines show a reader of
any other language (x-default).
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from commentaries.addresses import absolute


def alternates(request):
    """Context processor. Lazy: only pages that show the switch or the tags resolve it."""
    return {"alternates": SimpleLazyObject(lambda: same_page(request))}


def same_page(request):
    """The address that answered, reversed in each language; none for a page that has one
    address whatever the language (the admin's, /oai/) or no name to reverse."""
    match = request.resolver_match
    if match is None:
        return []
    paths = []
    main_first = sorted(
        settings.LANGUAGES, key=lambda language: language[0] != settings.LANGUAGE_CODE
    )
    try:
        for code, _ in main_first:
            with translation.override(code):
                paths.append(
                    (code, reverse(match.view_name, args=match.args, kwargs=match.kwargs))
                )
    except NoReverseMatch:
        return []
    if len({path for _, path in paths}) < len(paths):
        return []
    return [(code, absolute(path, request)) for code, path in paths]
