"""Refuse requests whose address carries a NUL character, with 400 Bad Request.

No page has a use for one, and PostgreSQL cannot hold one in text: any lookup with it (a topic
slug, a search) would fail as a server error.
"""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("The address holds a NUL character.")
        return self.get_response(request)
