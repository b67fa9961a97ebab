"""Django's Redis cache, made forgiving: while Redis is away every call behaves as a miss.

A cache outage must slow the site down, not take it down. Each failure is logged (without a
traceback: an outage would otherwise flood the log) and the call returns what a miss returns.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _on_failure(fallback):
    """Run the wrapped cache call; when Redis fails, log it and return fallback(*args)."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("cache %s failed: %s", method.__name__, error)
                return fallback(*args, **kwargs)

        return call

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class ResilientRedisCache(RedisCache):
    get = _on_failure(_default)(RedisCache.get)
    get_many = _on_failure(lambda keys, **kwargs: {})(RedisCache.get_many)
    has_key = _on_failure(_false)(RedisCache.has_key)
    set = _on_failure(_nothing)(RedisCache.set)
    # set_many returns the keys it could not store: all of them.
    set_many = _on_failure(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    add = _on_failure(_false)(RedisCache.add)
    touch = _on_failure(_false)(RedisCache.touch)
    delete = _on_failure(_false)(RedisCache.delete)
    delete_many = _on_failure(_nothing)(RedisCache.delete_many)
    clear = _on_failure(_false)(RedisCache.clear)
