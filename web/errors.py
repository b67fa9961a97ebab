from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    """The 500 page in the site's design, in the address's language, rendered without the
    request or the database: whatever broke may be either of them."""
    context = {"site_name": settings.SITE_NAME, "LANGUAGE_CODE": translation.get_language()}
    page = loader.get_template("500.html").render(context)
    return HttpResponseServerError(page)


def page_not_found(request, exception):
    """The 404 page in the site's design, naming no other language: what is not at this
    address is not at it in another language either (the switch leads to that one's home)."""
    return render(request, "404.html", {"alternates": []}, status=404)
