"""Pages with 1,000,000 workers in the database (quick: 20,000): p50/p95 latency over 200
requests each of /healthz, the worker's home page, the cadres' home and organization lists,
against the production server (`zhigong serve`: gunicorn, ZHIGONG_DEBUG=0) on 127.0.0.1; each
p95 as a ratio to /healthz's, measured in the same run. Goal: p95 ratio ≤ 3.

Reuses the demo database that bench_demo leaves behind (<base>_demo, see run.py) when it holds
the right number of workers, else builds it. The server runs with the same settings, hence the
same ZHIGONG_FIELD_KEY, as the demo that built the database.

The client is http.client with the cookies handled by hand: production cookies are Secure,
and a cookie jar would not send them back over plain http to 127.0.0.1.
"""

import http.client
import re
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from benchmarks.bench_demo import build_postgres, demo_database_url
from benchmarks.report import Table
from benchmarks.run import database_exists
from benchmarks.server import WORKERS, percentile, serving

SIZES = {"full": 1_000_000, "quick": 20_000}
REQUESTS = 200
WARM_UP = 10
TIME_LIMIT = 600  # seconds for all measured requests together
PASSWORD = "zhigong-demo"  # the demo's persona password (core/management/commands/demo.py)
GOAL = 3.0


@dataclass
class Target:
    label: str
    who: str  # persona username, "" for anonymous
    path: str
    timings: list[float] = field(default_factory=list)


def run(scale: str) -> list[Table]:
    from django.urls import reverse

    size = SIZES[scale]
    url = demo_database(size)
    targets = [
        Target("/healthz", "", reverse("healthz")),
        Target("home", "worker", reverse("home")),
        Target("home", "county_cadre", reverse("home")),
        Target("home", "province_cadre", reverse("home")),
        Target("organization list", "county_cadre", reverse("org-list")),
        Target("organization list", "province_cadre", reverse("org-list")),
    ]
    with serving(url) as port:
        client = Client(port)
        cookies = {who: client.log_in(reverse("login"), who) for who in {t.who for t in targets if t.who}}
        measure(client, targets, cookies)
    return [pages_table(targets, size)]


def demo_database(size: int) -> str:
    url = demo_database_url()
    if database_exists(url) and worker_count(url) == size:
        print(f"[bench] pages: reusing the demo database with {size:,} workers", file=sys.stderr)
        return url
    build_postgres(size)
    return url


def worker_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        try:
            return conn.execute("SELECT count(*) FROM core_person").fetchone()[0]
        except psycopg.Error:
            return -1


# --- Client -------------------------------------------------------------------------------------

class Client:
    """Requests to 127.0.0.1 only, one at a time."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, cookies: dict[str, str], body: str | None = None,
                ) -> tuple[int, dict[str, str], SimpleCookie, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            return response.status, dict(response.headers), jar, content
        finally:
            connection.close()

    def log_in(self, login_path: str, username: str) -> dict[str, str]:
        """The login form as a browser fills it; returns the session cookies."""
        status, _headers, jar, page = self.request("GET", login_path, {})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None or "csrftoken" not in jar:
            raise RuntimeError(f"login page {login_path}: status {status}, no CSRF token")
        cookies = {"csrftoken": jar["csrftoken"].value}
        form = urlencode({"username": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": token.group(1).decode()})
        status, headers, jar, _page = self.request("POST", login_path, cookies, form)
        if status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"login as {username}: status {status}, no session")
        return {"sessionid": jar["sessionid"].value}

    def timed_get(self, path: str, cookies: dict[str, str]) -> float:
        started = time.perf_counter()
        status, _headers, _jar, _body = self.request("GET", path, cookies)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"GET {path}: status {status}")
        return elapsed


def measure(client: Client, targets: list[Target], cookies: dict[str, dict[str, str]]) -> None:
    """Round-robin over the targets, so that a slow moment of the machine hits them all alike."""
    for target in targets:
        for _ in range(WARM_UP):
            client.timed_get(target.path, cookies.get(target.who, {}))
    deadline = time.monotonic() + TIME_LIMIT
    for _ in range(REQUESTS):
        if time.monotonic() > deadline:
            break
        for target in targets:
            target.timings.append(client.timed_get(target.path, cookies.get(target.who, {})))


def pages_table(targets: list[Target], size: int) -> Table:
    base = percentile(targets[0].timings, 95)
    rows = []
    for t in targets:
        p95 = percentile(t.timings, 95)
        rows.append([t.label, t.who or "anonymous", t.path, len(t.timings), percentile(t.timings, 50), p95, p95 / base])
    worst = max(r[-1] for r in rows)
    return Table(
        f"Pages with {size:,} workers in the database (PostgreSQL, production server)",
        ["page", "who", "path", "requests", "p50 ms", "p95 ms", "p95 × /healthz"],
        rows,
        [
            f"gunicorn with {WORKERS} workers via `zhigong serve`, ZHIGONG_DEBUG=0, on 127.0.0.1; "
            "one request at a time, a new connection each (gunicorn's sync workers close it), "
            f"after {WARM_UP} warm-up requests per page; round-robin over the pages.",
            f"goal: p95 ≤ {GOAL:g}× /healthz — worst {worst:.2f}×: {'met' if worst <= GOAL else 'NOT met'}.",
        ],
    )
