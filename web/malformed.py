"""Refuse requests whose path carries a NUL character, with 400 Bad Request.

No address has a use for one, and PostgreSQL cannot hold one in text: a lookup with it (a topic
slug, an author slug) would fail as a server error. Query strings are left to the views: the
search page, for one, answers a query with a NUL in it with a page that says so.
"""

from django.http import HttpResponseBadRequest


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest("The address holds a NUL character.")
        return self.get_response(request)
