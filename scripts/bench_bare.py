"""The bench's bare Django view: the site's settings and middleware, one view answering a fixed
page, served by gunicorn like `make serve` (gunicorn scripts.bench_bare:application)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = __name__


def bare(request):
    return HttpResponse("<!doctype html><title>bare</title><p>A bare Django view.</p>")


urlpatterns = [path("", bare)]
