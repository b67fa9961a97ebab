"""What public pages and feeds show, as one generation number read by primary key.

Cached pages and feeds are keyed on the generation, never on a counter in the cache: it lives in
the database (caching.ContentGeneration, one row), so every worker sees the same one, with or
without Redis, and reading it costs the same at any size. Each process reads it at most once
every FRESHNESS_SECONDS (1 in production, 0 with DEBUG), which spares a query per cached page.
It moves inside the transaction of any change pages can show (pieces, key points, authorships,
corrections, authors, series, topics and their taggings, renames, merges and deletes included:
caching.receivers), so it commits with the change; and the first request after the next
scheduled piece's time moves it too, so that piece appears at its minute with no request to the
admin. Changes made with QuerySet.update() send no signals: they show when cache entries expire
(PAGE_CACHE_SECONDS, FEED_CACHE_SECONDS), or call bump().
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import router
from django.db.models import F, Subquery
from django.utils import timezone

from commentaries.caching import replica
from commentaries.caching.models import ContentGeneration
from commentaries.models import Commentary

GENERATION = 1  # the row's primary key


def content_state():
    """{"generation": n, "changed": when it last moved}: one query by primary key, made at most
    once every FRESHNESS_SECONDS in each process (a change made in this process shows at once;
    one made in another process within that time).

    Read from the database the request reads (caching.replica): a public page pinned to the
    read replica is kept under the replica's generation, never a newer one from the primary
    that its data may lack. Each database's reading is kept apart."""
    now = timezone.now()
    alias = router.db_for_read(ContentGeneration)
    if state := _trusted(alias, now):
        return state
    rows = ContentGeneration.objects.using(alias).filter(pk=GENERATION)
    row = rows.first()
    if row is None:
        bump(now)  # the row was flushed (in tests)
        row = rows.get()
    elif _due(row.next_go_live, now):
        # A scheduled piece's time has come: move it once, whoever gets here first. A replica
        # shows the move once it has replayed it; its pages show the piece already.
        bump(now, only_if_due=True)
        row = rows.get()
    _memo[alias] = {
        "generation": row.number,
        "changed": row.changed_at,
        "next_go_live": row.next_go_live,
        "until": time.monotonic() + settings.FRESHNESS_SECONDS,
    }
    return {"generation": row.number, "changed": row.changed_at}


def known_state():
    """This process's reading of the state public pages read, while it is still to be trusted,
    else None: never a query (the WSGI front answers from it, outside any request's database
    connection)."""
    return _trusted(replica.public_alias(), timezone.now())


def _trusted(alias, now):
    memo = _memo.get(alias)
    if memo and time.monotonic() < memo["until"] and not _due(memo["next_go_live"], now):
        return {"generation": memo["generation"], "changed": memo["changed"]}
    return None


def _due(next_go_live, now):
    return next_go_live is not None and next_go_live <= now


# This process's last reading of the row, per database alias.
_memo = {}


def last_change(state):
    """When the state last moved, in whole seconds (as HTTP dates are, so that
    If-Modified-Since compares equal)."""
    return int(state["changed"].timestamp())


def bump(now=None, only_if_due=False):
    """Move the generation (on the primary), and note when the next scheduled piece goes live;
    with only_if_due, only if the noted time has come."""
    _memo.clear()
    now = now or timezone.now()
    next_go_live = Subquery(
        Commentary.objects.live()
        .filter(published_at__gt=now)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    rows = ContentGeneration.objects.filter(pk=GENERATION)
    if only_if_due:
        rows = rows.filter(next_go_live__lte=now)
    moved = rows.update(number=F("number") + 1, changed_at=now, next_go_live=next_go_live)
    if not moved and not only_if_due:
        ContentGeneration.objects.get_or_create(pk=GENERATION, defaults={"changed_at": now})
        bump(now)


def kept_per_generation(name, compute, seconds):
    """compute(), made once per generation of the content and shared through the cache by every
    process, and kept in this one as well (unpickling a large value on every request costs).
    For what public content alone decides, such as search's filter choices."""
    state = content_state()
    # With the time it moved: a number alone comes round again after a database is restored.
    key = f"{name}:{state['generation']}:{state['changed'].timestamp()}"
    kept = _kept.get(name)
    if kept is None or kept[0] != key:
        kept = (key, cache.get_or_set(key, compute, seconds))
        _kept[name] = kept
    return kept[1]


# name: (key, value) in this process, for kept_per_generation().
_kept = {}


def forget():
    """Drop this process's readings: the next request reads the row again (tests roll the
    database back under them)."""
    _memo.clear()
    _kept.clear()
