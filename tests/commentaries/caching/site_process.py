"""The site as one production web process, for tests that run it on databases of their own:
`python -m tests.commentaries.caching.site_process PORT` with DJANGO_DEBUG=1 in its environment
(static files without collectstatic, FRESHNESS_SECONDS 0), DEBUG turned off once Django is set
up, so that public pages are cached and carry their headers as in production."""

import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings

from config.wsgi import application


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    settings.DEBUG = False
    server = make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=QuietHandler)
    sys.stdout.write("serving\n")
    sys.stdout.flush()
    server.serve_forever()
