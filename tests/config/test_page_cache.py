import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from taggit.models import Tag

from commentaries.editorial import services
from commentaries.models import Commentary
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
STATE_QUERIES = 1  # config.freshness.content_state(): the generation, by primary key


def test_a_page_comes_from_the_cache_until_it_changes(client, seed, django_assert_num_queries):
    first = client.get("/")
    with django_assert_num_queries(STATE_QUERIES):
        again = client.get("/")
    assert again.content == first.content
    CommentaryFactory(title="Fresh off the press")
    assert b"Fresh off the press" in client.get("/").content


def test_every_kind_of_change_shows_at_once(client, seed, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    page = seed.get_absolute_url()
    pages = ["/", "/commentaries/", page, "/authors/junya-nishino/", "/tags/history-issues/"]
    for path in pages:
        client.get(path)  # warm the cache

    time_machine.shift(dt.timedelta(seconds=1))
    author = seed.authors.get()
    author.bio = "<p>A freshly edited bio.</p>"
    author.save()
    assert b"A freshly edited bio." in client.get("/authors/junya-nishino/").content

    time_machine.shift(dt.timedelta(seconds=1))
    services.commentary_correct(commentary=seed, by=None, note="Poll figures corrected.")
    assert b"Poll figures corrected." in client.get(page).content

    time_machine.shift(dt.timedelta(seconds=1))
    services.commentary_withdraw(commentary=seed, by=None, reason="Superseded.")
    assert client.get(page).status_code == 410
    for path in ["/", "/commentaries/"]:
        assert seed.title.encode() not in client.get(path).content, path


def test_a_scheduled_piece_appears_at_its_time_through_a_warm_cache(client, seed):
    start = timezone.now()
    CommentaryFactory(title="Scheduled quokka", published_at=start + dt.timedelta(minutes=5))
    with time_machine.travel(start, tick=False):
        assert b"Scheduled quokka" not in client.get("/").content
    with time_machine.travel(start + dt.timedelta(minutes=5, seconds=1), tick=False):
        assert b"Scheduled quokka" in client.get("/").content


def test_staff_are_never_served_from_the_cache_nor_fill_it(client, seed):
    draft = CommentaryFactory(status=Commentary.Status.DRAFT, title="Private draft")
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "a-Pass-12345"))
    assert b"Preview, not published" in client.get(draft.get_absolute_url()).content
    client.get("/")
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert b"Private draft" not in client.get("/").content


def test_nothing_is_cached_in_development(client, seed, settings):
    """With DEBUG on (make run) every page is rendered afresh; off, a change the freshness state
    does not see (a topic renamed) waits for the cache entry to expire."""
    page = seed.get_absolute_url()
    client.get(page)
    Tag.objects.filter(slug="history-issues").update(name="Historical questions")
    assert b"Historical questions" not in client.get(page).content
    settings.DEBUG = True
    assert b"Historical questions" in client.get(page).content
