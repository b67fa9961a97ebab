"""The WSGI front (config/wsgi.py): kept pages answered before Django, with the headers Django
gave them, a 304 when the reader's copy holds, and an access log line; everything else is
Django's."""

import datetime as dt
import io
import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from commentaries.caching.front import Front
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db


class Counting:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def front(settings):
    """Front(Django) in this process, on the test's database connection (as Django's test
    client does, the connection is not closed when a request starts)."""
    settings.FRESHNESS_SECONDS = 60  # as in production: the generation read once a while
    request_started.disconnect(close_old_connections)
    yield Front(Counting())
    request_started.connect(close_old_connections)


def get(front, path, **headers):
    environ = RequestFactory()._base_environ(PATH_INFO=path.split("?")[0], REQUEST_METHOD="GET")
    environ["QUERY_STRING"] = path.partition("?")[2]
    environ["wsgi.input"] = io.BytesIO(b"")
    environ.update(headers)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    body = b"".join(front(environ, start_response))
    return answer["status"], answer["headers"], body


def test_a_kept_page_is_answered_without_django_with_the_headers_django_gave_it(front, seed):
    page = seed.get_absolute_url()
    status, first, body = get(front, page)
    assert status == 200 and front.application.calls == 1
    status, again, same = get(front, page)
    assert status == 200 and front.application.calls == 1
    assert same == body
    for header in [
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Cache-Control",
        "ETag",
        "Last-Modified",
    ]:
        assert again[header] == first[header], header
    assert again["Content-Length"] == str(len(body))


def test_the_front_answers_304_when_the_readers_copy_holds(front, seed):
    page = seed.get_absolute_url()
    _, headers, _ = get(front, page)
    status, not_modified, body = get(front, page, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body) == (304, b"")
    assert not_modified["ETag"] == headers["ETag"]
    assert "Content-Type" not in not_modified
    since = get(front, page, HTTP_IF_MODIFIED_SINCE=headers["Last-Modified"])
    assert since[0] == 304
    assert get(front, page, HTTP_IF_NONE_MATCH='"another"')[0] == 200
    assert front.application.calls == 1


def test_the_front_logs_what_it_answers(front, seed, caplog):
    caplog.set_level(logging.INFO, logger="access")
    get(front, "/")
    caplog.clear()
    get(front, "/")
    [record] = caplog.records
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert record.client == "127.0.0.1" and record.duration_ms >= 0


def test_a_change_goes_to_django_and_then_is_kept(front, seed):
    get(front, "/")
    CommentaryFactory(title="Fresh off the press")  # moves the generation in this process
    assert b"Fresh off the press" in get(front, "/")[2]
    assert front.application.calls == 2
    get(front, "/")
    assert front.application.calls == 2


def test_readers_with_a_session_and_other_methods_go_to_django(front, seed):
    get(front, "/")
    status, headers, _ = get(front, "/", HTTP_COOKIE="sessionid=abc")
    assert status == 200 and "private" in headers["Cache-Control"]
    assert front.application.calls == 2


def test_only_the_parameters_a_page_reads_make_another_answer(front, seed):
    get(front, "/commentaries/")
    get(front, "/commentaries/?utm_source=x")
    assert front.application.calls == 1
    get(front, "/commentaries/?older=2015-05-16.1")
    assert front.application.calls == 2


def test_what_django_refuses_is_never_answered_by_the_front(front, seed, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    front = Front(Counting())  # Django's middleware reads these settings when it is made
    assert get(front, "/", HTTP_X_FORWARDED_PROTO="https")[0] == 200
    assert get(front, "/", HTTP_X_FORWARDED_PROTO="https")[0] == 200
    assert front.application.calls == 1
    assert get(front, "/")[0] == 301  # plain HTTP: Django's redirect, never the kept page
    assert get(front, "/", HTTP_HOST="evil.example.org")[0] == 400
    assert front.application.calls == 3


def test_a_query_django_refuses_is_refused_by_django(front, seed):
    get(front, "/commentaries/")
    fields = "&".join(f"f{n}=1" for n in range(1001))
    assert get(front, f"/commentaries/?{fields}")[0] == 400
    assert front.application.calls == 2


def test_a_scheduled_piece_appears_at_its_time_through_the_front(front, seed, time_machine):
    start = timezone.now()
    CommentaryFactory(title="Scheduled quokka", published_at=start + dt.timedelta(minutes=5))
    time_machine.move_to(start, tick=False)
    assert b"Scheduled quokka" not in get(front, "/")[2]
    assert b"Scheduled quokka" not in get(front, "/")[2]
    time_machine.move_to(start + dt.timedelta(minutes=5, seconds=1), tick=False)
    assert b"Scheduled quokka" in get(front, "/")[2]


def test_nothing_is_answered_by_the_front_with_a_stale_reading(front, seed, settings):
    settings.FRESHNESS_SECONDS = 0
    get(front, "/")
    get(front, "/")
    assert front.application.calls == 2
