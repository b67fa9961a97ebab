"""The bench's bare Django view: no middleware at all, one view answering a fixed page, served
by gunicorn with the workers of `make serve` (gunicorn scripts.bench_bare:application).

What a cached page is measured against: Django's own handler, URL resolution and a view, and
nothing the site adds.
"""

import os

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)
settings.MIDDLEWARE = []
settings.ROOT_URLCONF = __name__
application = WSGIHandler()


def bare(request):
    return HttpResponse("<!doctype html><title>bare</title><p>A bare Django view.</p>")


urlpatterns = [path("", bare)]
