"""The Redis cache is never a dependency: against a closed port everything still answers."""

import socket

import pytest
from django.core.cache import caches

from commentaries.caching.backends import ResilientRedisCache


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "commentaries.caching.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    return caches["default"]


def test_every_cache_call_behaves_as_a_miss_while_redis_is_away(redis_away, caplog):
    cache = redis_away
    assert isinstance(cache, ResilientRedisCache)
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.get_many(["key"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.add("key", "value") is False
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    assert "cache get failed" in caplog.text


@pytest.mark.django_db
def test_the_site_keeps_serving_while_redis_is_away(redis_away, client, seed):
    assert client.get("/").status_code == 200
    assert client.get(seed.get_absolute_url()).status_code == 200
    assert client.get("/feeds/rss/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200
    assert (health.json()["database"], health.json()["cache"]) == ("ok", "unavailable")


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_there_the_cache_is_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "commentaries.caching.backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        }
    }
    cache = caches["default"]
    cache.set("test-key", {"a": 1}, 5)
    assert cache.get("test-key") == {"a": 1}
    cache.delete("test-key")
