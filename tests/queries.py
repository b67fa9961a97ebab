"""Query-count baselines: what pages cost before a test adds data, to assert they cost no more."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_counts(client, paths):
    """{path: the number of queries a GET of it costs}; each must answer 200."""
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts[path] = len(queries)
    return counts
