"""Fixed port ranges for the servers tests start where a port must be chosen before the server
listens (the SMTP sink, Varnish): each pytest-xdist worker scans a slice of its own, so two
workers never pick the same port between probing it and listening on it."""

import os

# gw0, gw1, ... in a pytest-xdist worker; a serial run is worker 0.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def ports(first, count):
    """This worker's `count` ports: worker 0 has those from `first`, worker 1 the next `count`."""
    start = first + count * WORKER
    return range(start, start + count)
