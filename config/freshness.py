"""What public pages and feeds show, summed up from the database on every request.

Cached pages and feeds are keyed on this state, never on a signal or a counter in the cache: it
holds across processes with no shared cache, and it moves by itself when a scheduled piece's
time comes. Publishing, withdrawing, editing or correcting a piece, or editing an author or a
series, changes it; a renamed topic shows when the cache entry expires.
"""

from django.db.models import Count, Max
from django.utils import timezone

from authors.models import Author
from commentaries.models import Commentary, Series


def content_state():
    """Four small indexed aggregates.

    `saved` covers every piece that has ever been public, so withdrawing or unpublishing one
    moves it too: a Last-Modified built from the state never goes back.
    """
    state = Commentary.objects.published().aggregate(
        count=Count("pk"),
        latest=Max("published_at"),
        corrected=Max("modified_at"),
    )
    seen = Commentary.objects.filter(first_published_at__lte=timezone.now())
    state |= seen.aggregate(saved=Max("updated_at"))
    state |= Author.objects.aggregate(authors=Max("updated_at"))
    state |= Series.objects.aggregate(series=Max("updated_at"))
    return state


def last_change(state):
    """The latest change the state records, in whole seconds (as HTTP dates are, so that
    If-Modified-Since compares equal); None on an empty site."""
    moments = [value for key, value in state.items() if key != "count" and value]
    return int(max(moments).timestamp()) if moments else None
