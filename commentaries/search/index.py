"""The search document: what search reads for each commentary, kept current on commit.

Rebuilt from the commentary's title, key points, body, authors and topics whenever one of them
changes (commentaries.search.receivers); on PostgreSQL with a weighted vector (title A; key
points, authors and topics B; body C), Japanese cut into words first (commentaries.words).
"""

import html
import re
import threading

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value

from commentaries.models import SEARCH_CONFIG as CONFIG
from commentaries.models import Commentary, SearchDocument
from commentaries.words import WORD_BREAK, compatible, cut, for_vector

# Private-use characters mark highlights in ts_headline's output, so that the snippet can be
# escaped whole and only then given its <mark> tags.
MARK_START, MARK_STOP = "\ue000", "\ue001"


def plain_text(markup):
    """Sanitised HTML as one line of text."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return re.sub(rf"[\s{MARK_START}{MARK_STOP}{WORD_BREAK}]+", " ", text).strip()


def index_commentaries(ids):
    """Rebuild the search documents of these commentaries, whatever their status."""
    for commentary in Commentary.objects.filter(pk__in=ids).with_listing_data():
        key_points = " ".join(point.text for point in commentary.ordered_key_points)
        names = " ".join(
            [author.byline_name for author in commentary.ordered_authors]
            + [tag.name for tag in commentary.ordered_topics]
        )
        body = plain_text(commentary.body)
        vector = None
        if connection.vendor == "postgresql":
            # Headlines are made from the text as the vector was: its Japanese cut into words.
            key_points, body = cut(key_points), cut(body)
            vector = (
                SearchVector(Value(for_vector(commentary.title)), weight="A", config=CONFIG)
                + SearchVector(
                    Value(compatible(key_points)),
                    Value(for_vector(names)),
                    weight="B",
                    config=CONFIG,
                )
                + SearchVector(Value(compatible(body)), weight="C", config=CONFIG)
            )
        text = f"{key_points} {body}".strip()
        SearchDocument.objects.update_or_create(
            commentary=commentary, defaults={"text": text, "names": names, "vector": vector}
        )


def index_missing():
    """Index commentaries that have no search document yet (rows written by migrations)."""
    index_commentaries(
        Commentary.objects.filter(search_document=None).values_list("pk", flat=True)
    )


_pending = threading.local()


def reindex_on_commit(ids):
    """Reindex once the transaction commits, once per commentary however many rows changed.

    Ids left over from a rolled-back transaction are reindexed with the next one: harmless.
    """
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.update(ids)
    transaction.on_commit(_reindex_pending, robust=True)


def _reindex_pending():
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    if ids:
        index_commentaries(ids)
