import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Django is set up: kept public pages are answered before it is entered (caching/front.py).
from commentaries.caching.front import Front  # noqa: E402

application = Front(application)
