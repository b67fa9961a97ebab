"""What public pages and feeds show, as one generation number read by primary key.

Cached pages and feeds are keyed on the generation, never on a counter in the cache: it lives in
the database (commentaries.ContentGeneration, one row), so every worker sees the same one, with
or without Redis, and reading it costs the same at any size. Each process reads it at most once
every FRESHNESS_SECONDS (1 in production, 0 with DEBUG), which spares a query per cached page. It moves inside the transaction of
any change pages can show (pieces, key points, authorships, corrections, authors, series, topics
and their taggings, renames, merges and deletes included), so it commits with the change; and
the first request after the next scheduled piece's time moves it too, so that piece appears at
its minute with no request to the admin. Changes made with QuerySet.update() send no signals:
they show when cache entries expire (PAGE_CACHE_SECONDS, FEED_CACHE_SECONDS), or call bump().
"""

import time

from django.conf import settings
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author
from commentaries.models import (
    Authorship,
    Commentary,
    ContentGeneration,
    Correction,
    KeyPoint,
    Series,
)

GENERATION = 1  # the row's primary key


def content_state():
    """{"generation": n, "changed": when it last moved}: one query by primary key, made at most
    once every FRESHNESS_SECONDS in each process (a change made in this process shows at once;
    one made in another process within that time)."""
    now = timezone.now()
    memo = _memo.get("state")
    if memo and time.monotonic() < _memo["until"] and not _due(memo, now):
        return {"generation": memo["generation"], "changed": memo["changed"]}
    row = ContentGeneration.objects.filter(pk=GENERATION).first()
    if row is None or _due({"next_go_live": row.next_go_live}, now):
        bump(now)  # a scheduled piece's time has come (or the row was flushed, in tests)
        row = ContentGeneration.objects.get(pk=GENERATION)
    state = {"generation": row.number, "changed": row.changed_at}
    _memo.update(state={**state, "next_go_live": row.next_go_live})
    _memo["until"] = time.monotonic() + settings.FRESHNESS_SECONDS
    return state


def _due(state, now):
    return state["next_go_live"] is not None and state["next_go_live"] <= now


# This process's last reading of the row.
_memo = {}


def last_change(state):
    """When the state last moved, in whole seconds (as HTTP dates are, so that
    If-Modified-Since compares equal)."""
    return int(state["changed"].timestamp())


def bump(now=None):
    """Move the generation, and note when the next scheduled piece goes live."""
    _memo.clear()
    now = now or timezone.now()
    next_go_live = Subquery(
        Commentary.objects.live()
        .filter(published_at__gt=now)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    moved = ContentGeneration.objects.filter(pk=GENERATION).update(
        number=F("number") + 1,
        changed_at=now,
        next_go_live=next_go_live,
    )
    if not moved:
        ContentGeneration.objects.get_or_create(pk=GENERATION, defaults={"changed_at": now})
        bump(now)


def changed(sender, raw=False, action="post_", **kwargs):
    # loaddata writes raw rows (whoever loads them knows); m2m changes come as pre_ and post_.
    if not raw and action.startswith("post_"):
        bump()


SHOWN = [Commentary, KeyPoint, Authorship, Correction, Author, Series, Tag, TaggedItem]


def connect():
    for model in SHOWN:
        post_save.connect(changed, sender=model, dispatch_uid=f"freshness-save-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"freshness-delete-{model}")
    m2m_changed.connect(changed, sender=Commentary.tags.through, dispatch_uid="freshness-m2m")
