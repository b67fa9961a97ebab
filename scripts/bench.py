"""`make bench`: the performance table at 1 and at BENCH_COUNT pieces on PostgreSQL.

For the database DATABASE_URL names (say `commentaries`), builds `commentaries_bench_1` (the
seed alone), `commentaries_bench_20` (a full page of every list) and `commentaries_bench_<N>`
(the seed and N-1 generated pieces), each once: a database that already holds its pieces is
reused, and only migrated (that migrate is timed, the start-up check). Then, against each (the
20-piece one in process only):

- in-process, DEBUG off, local-memory cache: every public page uncached (the cache cleared
  before each request) and cached, search, sitemaps, feeds and the admin: median ms and queries;
- `make serve` under wrk: a cached commentary page's requests/s as a ratio to a bare Django view
  (no middleware at all, a view that returns a fixed answer: scripts/bench_bare.py) under the
  same gunicorn and workers (the two served at once and measured in turn, BENCH_ROUNDS times;
  the median of each and of the ratios within a round), and the same page through Varnish
  (deploy/varnish.vcl) when varnishd is there; and the CPU time gunicorn's processes spent per
  request on each, which a machine shared with other work changes far less than the rates.

Prints one Markdown table (also written to var/bench.md). BENCH_RUNS (default 9) requests per
measurement, taken in BENCH_ROUNDS (default 3) rounds that visit the three databases in turn: on
a machine whose speed drifts over minutes, the sizes are then measured in the same minutes and
the ratios between them hold (measured one database after the other, the same code's "vs 1"
moved between 0.9x and 3.2x from run to run). BENCH_WRK_SECONDS (default 10) per wrk run,
BENCH_PORT (default 8500) and the two ports after it for gunicorn, the bare view and Varnish.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
ROUNDS = max(1, min(RUNS, int(os.environ.get("BENCH_ROUNDS", "3"))))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8500"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
PAGE = 20  # pieces on a list page: the size of the middle database


def database_url(base, suffix):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench_{suffix}"))


def environment(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}"),
        "REDIS_URL": "",
        "FRONT_CACHE_URL": "",
        "PYTHONPATH": str(ROOT),
    }


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def build(url, count, *shape):
    """Create, migrate (timed) and fill one database; reuse it when it already holds `count`.
    `shape`: more arguments for generate_commentaries."""
    env = environment(url)
    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    migrate_seconds = time.monotonic() - started
    have = int(
        subprocess.run(
            ["psql", url, "-tAc", "SELECT count(*) FROM commentaries_commentary"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    if count >= 3 and have >= count and not japanese(url):
        sys.exit(
            f"bench: {name} was generated before a third of the pieces were in Japanese, which"
            f" the Japanese search rows need: drop it (dropdb {name}) and run again to rebuild it"
        )
    if have < count:
        sys.stderr.write(f"bench: generating {count - have} pieces in {name}\n")
        manage(
            env,
            "generate_commentaries",
            "--count",
            str(count - have),
            "--seed",
            str(have),
            "--without-pdfs",  # the bench reads pages; 100,000 renders would take a day
            *shape,
        )
        manage(env, "migrate", "--noinput", "--verbosity", "0")
    return env, migrate_seconds


def japanese(url):
    """Whether the database holds pieces in Japanese."""
    return (
        subprocess.run(
            [
                "psql",
                url,
                "-tAc",
                "SELECT 1 FROM commentaries_commentary WHERE language = 'ja' LIMIT 1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        == "1"
    )


# --- in-process measurement (runs in a child with DJANGO_SETTINGS_MODULE set up) ---


def measure():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from scripts.bench_addresses import addresses

    reader, staff = Client(), Client()
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    staff.force_login(user)
    rows = []
    runs = -(-RUNS // ROUNDS)  # this round's share, rounded up
    for label, path, kind in addresses():
        client = staff if kind == "admin" else reader
        timings, queries, size, status = [], [], 0, None
        for run in range(runs + 1):
            if kind in ("uncached", "admin"):
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            status, size = response.status_code, len(response.content)
            if run:  # the first request warms up (and, for cached rows, fills the cache)
                timings.append(elapsed)
                queries.append(len(captured))
        rows.append(
            {
                "label": label,
                "path": path,
                "kind": kind,
                "timings": timings,
                "queries": queries,
                "status": status,
                "kb": size / 1024,
            }
        )
    json.dump(rows, sys.stdout)


def measure_in_rounds(envs):
    """Every row's timings from ROUNDS visits to each database in turn, as medians."""
    measured = dict.fromkeys(envs)
    for _ in range(ROUNDS):
        for size, env in envs.items():
            rows = run_measure(env)
            if measured[size] is None:
                measured[size] = rows
                continue
            for row, more in zip(measured[size], rows, strict=True):
                row["timings"] += more["timings"]
                row["queries"] += more["queries"]
    for rows in measured.values():
        for row in rows:
            row["ms"] = statistics.median(row.pop("timings"))
            # The median too: the freshness state is read once a second (FRESHNESS_SECONDS), by
            # whichever request comes after, not by each.
            row["queries"] = statistics.median_low(row["queries"])
    return measured


# --- throughput ---


class Server:
    def __init__(self, argv, env, port, log):
        self.port = port
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, path="/healthz"):
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"server on {self.port} exited; see {self.log.name}"
                    ) from None
                time.sleep(0.5)
        raise RuntimeError(f"server on {self.port} did not answer")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.log.close()


def wrk(url, server=None):
    """requests/s at `url`, wrk's errors, and the CPU time gunicorn's processes in `server`'s
    process group spent per request (µs): what a request costs the server, which a machine
    shared with other work changes far less than the rate."""
    # A short run first: every worker has connected, warmed and filled its cache.
    subprocess.run(["wrk", "-t2", "-c16", "-d3s", url], capture_output=True, check=True)
    before = gunicorn_cpu_seconds(server) if server else 0
    out = subprocess.run(
        ["wrk", "--threads", "2", "--connections", "16", "--duration", f"{WRK_SECONDS}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spent = gunicorn_cpu_seconds(server) - before if server else 0
    rate = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    requests = int(next(line for line in out.splitlines() if " requests in " in line).split()[0])
    errors = [
        line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line
    ]
    return float(rate.split()[1]), errors, spent / requests * 1e6


def gunicorn_cpu_seconds(server):
    """User and system CPU seconds of the gunicorn processes in `server`'s process group."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == server.process.pid and b"gunicorn" in command:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def throughput(env, page):
    """requests/s of a cached page under `make serve` and of the bare view under the same
    gunicorn and workers, both serving at once and measured in turn, BENCH_ROUNDS times: the
    machine's speed drifts over minutes, and the ratio is taken within each round (its median)."""
    logs = ROOT / "var"
    serve = Server(
        ["make", "--no-print-directory", "serve", f"PORT={PORT}", f"WEB_CONCURRENCY={WORKERS}"],
        env,
        PORT,
        logs / "bench-serve.log",
    )
    bare = None
    front = None
    try:
        started = time.monotonic()
        serve.wait()
        serve_seconds = time.monotonic() - started
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}{page}").read()
        bare = Server(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "scripts.bench_bare:application",
                "--bind",
                f"127.0.0.1:{PORT + 1}",
                "--workers",
                WORKERS,
                "--no-control-socket",
            ],
            env,
            PORT + 1,
            logs / "bench-bare.log",
        )
        bare.wait("/")
        rates, cpu, errors = {"cached": [], "bare": []}, {"cached": [], "bare": []}, []
        for _ in range(ROUNDS):
            for kind, url, server in (
                ("cached", f"http://127.0.0.1:{PORT}{page}", serve),
                ("bare", f"http://127.0.0.1:{PORT + 1}/", bare),
            ):
                rate, more, microseconds = wrk(url, server)
                rates[kind].append(rate)
                cpu[kind].append(microseconds)
                errors += more
        bare.stop()
        bare = None
        varnish_rate = None
        if shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists():
            front = varnish(PORT + 2, PORT)
            urllib.request.urlopen(f"http://127.0.0.1:{PORT + 2}{page}").read()
            varnish_rate, _, _ = wrk(f"http://127.0.0.1:{PORT + 2}{page}")
        ratios = [c / b for c, b in zip(rates["cached"], rates["bare"], strict=True)]
        return {
            "serve_seconds": serve_seconds,
            "cached": statistics.median(rates["cached"]),
            "bare": statistics.median(rates["bare"]),
            "ratio": statistics.median(ratios),
            "cached_cpu": statistics.median(cpu["cached"]),
            "bare_cpu": statistics.median(cpu["bare"]),
            "varnish": varnish_rate,
            "errors": errors,
        }
    finally:
        for server in (front, bare, serve):
            if server:
                server.stop()


def varnish(port, backend_port):
    """varnishd in the foreground on loopback with deploy/varnish.vcl, its backend written to a
    work directory (the VCL includes backend.vcl from there)."""
    workdir = ROOT / "var" / f"varnish-{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "backend.vcl").write_text(
        f'backend default {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}\n'
    )
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    argv = [varnishd, "-F", "-j", "none", "-n", str(workdir), "-a", f"127.0.0.1:{port}"]
    argv += [
        "-p",
        f"vcl_path={workdir}:{ROOT / 'deploy'}",
        "-f",
        str(ROOT / "deploy" / "varnish.vcl"),
    ]
    argv += ["-s", "malloc,64m"]
    server = Server(argv, os.environ, port, ROOT / "var" / "bench-varnish.log")
    server.wait("/healthz")
    return server


def run_measure(env):
    out = subprocess.run(
        [PYTHON, __file__, "measure"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        stderr=open(ROOT / "var" / "bench-measure.log", "w"),
        text=True,
    ).stdout
    return json.loads(out)


def main():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench: set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/commentaries"
        )
    count = int(os.environ.get("BENCH_COUNT", "100000"))
    (ROOT / "var").mkdir(exist_ok=True)
    # A full page of everything (one author, three topics, one month: each list shows PAGE
    # pieces, as at 100,000): what a page costs for what it shows, whatever the archive holds.
    shapes = {1: (), PAGE: ("--authors", "1", "--topics", "3", "--days", "30"), count: ()}
    envs, migrate_seconds = {}, {}
    for size, shape in shapes.items():
        envs[size], migrate_seconds[size] = build(database_url(base, size), size, *shape)
    measured = measure_in_rounds(envs)
    results = {PAGE: {"rows": measured[PAGE]}}
    for size in (1, count):
        page = next(r["path"] for r in measured[size] if r["label"] == "commentary")
        results[size] = {
            "rows": measured[size],
            "migrate": migrate_seconds[size],
            **throughput(envs[size], page),
        }
    table = render(results, count)
    (ROOT / "var" / "bench.md").write_text(table)
    sys.stdout.write(table)


def render(results, count):
    small, page, big = results[1], results[PAGE], results[count]
    lines = [
        f"| measurement | 1 piece: ms | queries | {PAGE} pieces: ms | queries "
        f"| {count:,} pieces: ms | queries | vs 1 | vs {PAGE} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for a, p, b in zip(small["rows"], page["rows"], big["rows"], strict=True):
        flag = "" if b["status"] in (200, 301, 302) else f" ({b['status']})"
        size = f", {b['kb']:.0f} KB" if b["label"].startswith("search") else ""
        lines.append(
            f"| {b['label']} ({b['kind']}{size}){flag} | {a['ms']:.1f} | {a['queries']} "
            f"| {p['ms']:.1f} | {p['queries']} | {b['ms']:.1f} | {b['queries']} "
            f"| {b['ms'] / a['ms']:.1f}x | {b['ms'] / p['ms']:.1f}x |"
        )
    for label, key in (("gunicorn, cached page", "cached"), ("bare Django view", "bare")):
        lines.append(f"| {label}: requests/s | {small[key]:,.0f} | | | | {big[key]:,.0f} | | | |")
    lines.append(
        f"| cached page / bare view | {small['ratio']:.2f}x | | | | {big['ratio']:.2f}x | | | |"
    )
    for label, key in (("cached page", "cached_cpu"), ("bare Django view", "bare_cpu")):
        lines.append(
            f"| gunicorn CPU per request, {label}: µs | {small[key]:,.0f} | | | "
            f"| {big[key]:,.0f} | | | |"
        )
    if big["varnish"]:
        lines.append(
            f"| Varnish, cached page: requests/s | {small['varnish']:,.0f} | | | "
            f"| {big['varnish']:,.0f} | | | |"
        )
    lines.append(
        f"| `migrate` on the built database: s | {small['migrate']:.1f} | | | "
        f"| {big['migrate']:.1f} | | | |"
    )
    lines.append(
        f"| `make serve` until it answers: s | {small['serve_seconds']:.1f} | | | "
        f"| {big['serve_seconds']:.1f} | | | |"
    )
    errors = small["errors"] + big["errors"]
    if errors:
        lines.append("")
        lines.append("wrk reported: " + "; ".join(errors))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    measure() if sys.argv[1:] == ["measure"] else main()
