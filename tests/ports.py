"""Ports for the servers tests start. A port is chosen before its server listens, so it is chosen
outside the kernel's ephemeral range (32768-60999 on Linux): no outgoing connection, the
server's own among them, can take it in between, as one did when SeaweedFS's master dialled out
from the port its volume server was about to listen on. Each pytest-xdist worker hands out the
ports of a slice of its own, in turn, so neither two workers nor two servers of one test get the
same port."""

import itertools
import os
import socket

# gw0, gw1, ... in a pytest-xdist worker; a serial run is worker 0.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
SLICE = 1000  # ports per worker: 20000-20999 for worker 0, 21000-21999 for worker 1, ...
FIRST = 20000 + SLICE * WORKER
_turn = itertools.cycle(range(FIRST, FIRST + SLICE))


def free_ports(count, host="127.0.0.1"):
    """`count` ports nothing listens on at `host`, none handed out in this worker's last
    thousand."""
    ports = []
    for port in itertools.islice(_turn, SLICE):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports in {FIRST}-{FIRST + SLICE - 1}")


def free_port(host="127.0.0.1"):
    (port,) = free_ports(1, host)
    return port
