"""The production server the benchmarks measure, and what they measure it with.

`serving(url)` runs `zhigong serve` (gunicorn, ZHIGONG_DEBUG=0) against the database at url on a
free port of 127.0.0.1 and stops it on the way out. `Http` sends requests to it only, from any
number of threads, each thread on a connection of its own that it keeps while the server does
(gunicorn's sync workers close every connection after one response, so in practice a
connection per request). `percentile` in milliseconds; `measure_concurrently` runs a bounded
pool of clients over a list of requests."""

import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from benchmarks.run import ROOT

WORKERS = 2  # gunicorn processes; the machine has two cores and the client needs one too
TIMEOUT = 60  # seconds for one request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(url: str, workers: int = WORKERS) -> Iterator[int]:
    """`zhigong serve` (gunicorn in production mode) on a free port, stopped on the way out."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "ZHIGONG_DEBUG": "0"}
    argv = [sys.executable, "-m", "zhigong.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            wait_until_up(port, process, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(port: int, process: subprocess.Popen, log, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"zhigong serve exited with {process.returncode}:\n{log.read()[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"zhigong serve did not answer /healthz within {timeout:.0f} s")


def percentile(timings: Sequence[float], p: int) -> float:
    """The p-th percentile of timings in seconds, in milliseconds."""
    return statistics.quantiles(timings, n=100, method="inclusive")[p - 1] * 1000


# --- Client -------------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


class Http:
    """Requests to 127.0.0.1:port only, with an API token or none."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None

    def request(self, method: str, path: str, token: str = "", payload: object = None) -> Reply:
        headers = {"Connection": "keep-alive"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None
        if payload is not None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            response = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            # The server closed the kept connection between requests: once more on a new one.
            self._drop()
            started = time.perf_counter()
            response = self._send(method, path, body, headers)
        content = response.read()
        elapsed = time.perf_counter() - started
        if response.will_close:
            self._drop()
        return Reply(response.status, content, elapsed)

    def _send(self, method, path, body, headers) -> http.client.HTTPResponse:
        connection = self._connection()
        connection.request(method, path, body=body, headers=headers)
        return connection.getresponse()


@dataclass
class Run:
    """Replies of a concurrent run and its wall time."""

    replies: list[Reply] = field(default_factory=list)
    seconds: float = 0.0

    def timings(self, status: int | None = None) -> list[float]:
        return [r.seconds for r in self.replies if status is None or r.status == status]

    def count(self, status: int) -> int:
        return sum(1 for r in self.replies if r.status == status)


def measure_concurrently(calls: Sequence[Callable[[], Reply]], clients: int, time_limit: float) -> Run:
    """Every call once, `clients` at a time; calls not started within time_limit are skipped
    (the run stays bounded on a machine that is slower than expected)."""
    deadline = time.monotonic() + time_limit
    run = Run()

    def one(call: Callable[[], Reply]) -> Reply | None:
        return call() if time.monotonic() < deadline else None

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        run.replies = [r for r in pool.map(one, calls) if r is not None]
    run.seconds = time.perf_counter() - started
    return run


def warm_up(calls: Sequence[Callable[[], Reply]], clients: int, seconds: float = 10.0) -> None:
    """Send the calls round and round, `clients` at a time, for `seconds`: every gunicorn worker
    has booted and served some of them before anything is measured."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        measure_concurrently(list(calls) * clients, clients, seconds)
