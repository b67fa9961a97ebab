import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from taggit.models import Tag

from commentaries.models import Commentary
from commentaries.pagination import cursor
from commentaries.publishing import services
from tests.factories import CommentaryFactory

pytestmark = pytest.mark.django_db
STATE_QUERIES = 1  # caching.freshness.content_state(): the generation, by primary key


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
    pages = ["/", "/commentaries/", page, "/authors/junya-nishino/", "/topics/history-issues/"]
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


def test_feeds_answer_304_in_development_too(client, seed, settings):
    """Nothing is kept under DEBUG, but a feed dated by its newest item still answers a feed
    reader's conditional request with 304, and a changed one with the feed."""
    settings.DEBUG = True
    for path in ("/feeds/rss/", "/feeds/atom/"):
        response = client.get(path)
        since = response["Last-Modified"]
        assert client.get(path, headers={"if-modified-since": since}).status_code == 304
        before = "Thu, 14 May 2015 00:00:00 GMT"
        assert client.get(path, headers={"if-modified-since": before}).status_code == 200


def test_pages_carry_validators_and_answer_304(client, seed):
    response = client.get("/")
    assert response["ETag"] and response["Last-Modified"]
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control
    again = client.get("/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    since = client.get("/", headers={"if-modified-since": response["Last-Modified"]})
    assert since.status_code == 304


def test_a_cached_answer_replays_the_original_headers(client, seed):
    page = seed.get_absolute_url()
    first = client.get(page)
    again = client.get(page)
    for header in ["Content-Type", "Cache-Control", "ETag", "Last-Modified", "X-Frame-Options"]:
        assert again[header] == first[header], header
    assert "default-src" in again["Content-Security-Policy"]


def test_only_the_parameters_a_page_reads_make_a_new_entry(
    client, seed, django_assert_num_queries
):
    client.get("/?utm_source=one")
    with django_assert_num_queries(STATE_QUERIES):
        assert client.get("/?utm_source=two&x=1").status_code == 200
    newer = CommentaryFactory()
    client.get("/commentaries/")
    with django_assert_num_queries(STATE_QUERIES):
        client.get("/commentaries/?utm_campaign=7")  # not a parameter of lists: the same page
    assert seed.title.encode() in client.get(f"/commentaries/?older={cursor(newer)}").content


def test_readers_with_a_session_get_private_pages(client, seed):
    client.force_login(User.objects.create_user("reader", password="a-Pass-12345"))
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_renaming_a_topic_shows_at_once(client, seed):
    page = seed.get_absolute_url()
    client.get(page)
    topic = Tag.objects.get(slug="history-issues")
    topic.name = "Historical questions"
    topic.save()
    assert b"Historical questions" in client.get(page).content
    topic.delete()
    assert b"Historical questions" not in client.get(page).content


def test_a_deploy_with_other_templates_starts_a_new_namespace(settings, tmp_path):
    from commentaries.caching.pages import deploy_namespace

    (tmp_path / "page.html").write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    before = deploy_namespace()
    (tmp_path / "page.html").write_text("two")
    assert deploy_namespace() != before


def test_a_process_rereads_the_generation_at_most_every_freshness_seconds(
    client, seed, settings, django_assert_num_queries
):
    settings.FRESHNESS_SECONDS = 60
    client.get("/")
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    CommentaryFactory(title="Made in this process")  # moves the generation: read afresh
    assert b"Made in this process" in client.get("/").content
