"""Demo generation: workers per second of `zhigong demo --members N` for 100,000 and 1,000,000
(quick: 5,000 and 20,000) on SQLite and on PostgreSQL, each into a fresh database, with the
peak memory (max RSS) of the demo process; compared with generation alone (drawing the people,
encrypting and indexing their ID numbers and hashing the rows, no database), the limit.

PostgreSQL runs last and leaves its largest database (<base>_demo, see run.py) for bench_pages.
"""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks.report import Table
from benchmarks.run import DEMO_SUFFIX, ROOT, base_url, fresh_database, migrate, with_suffix

SIZES = {"full": (100_000, 1_000_000), "quick": (5_000, 20_000)}
GENERATION_SAMPLE = {"full": 100_000, "quick": 20_000}


@dataclass
class DemoRun:
    database: str
    workers: int
    seconds: float
    people_seconds: float  # from the enterprises' trail event to the member counts' one
    peak_rss_mb: float


def run(scale: str) -> list[Table]:
    limit = generation_rate(GENERATION_SAMPLE[scale])
    runs = [build_sqlite(size) for size in SIZES[scale]]
    runs += [build_postgres(size) for size in SIZES[scale]]
    return [demo_table(runs, limit, GENERATION_SAMPLE[scale])]


def demo_database_url() -> str:
    return with_suffix(base_url(), DEMO_SUFFIX)


def build_postgres(size: int) -> DemoRun:
    url = fresh_database(demo_database_url())
    return run_demo(url, size, "PostgreSQL", lambda: _postgres_events(url))


def build_sqlite(size: int) -> DemoRun:
    path = ROOT / "var" / "bench" / f"demo-{size}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_sqlite(path)
    url = f"sqlite:///{path}"
    migrate(url)
    try:
        return run_demo(url, size, "SQLite", lambda: _sqlite_events(path))
    finally:
        _remove_sqlite(path)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_demo(url: str, size: int, database: str, events: Callable[[], list[bytes]]) -> DemoRun:
    """`zhigong demo` as a child process; wait4 gives that child's own peak RSS (RUSAGE_CHILDREN
    would mix in the migrate runs before it)."""
    env = {**os.environ, "DATABASE_URL": url}
    argv = [sys.executable, "-m", "zhigong.cli", "demo", "--members", str(size)]
    print(f"[bench] demo: {size:,} workers on {database}", file=sys.stderr, flush=True)
    with tempfile.TemporaryFile("w+") as log:
        started = time.monotonic()
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise RuntimeError(f"zhigong demo --members {size} failed on {database}:\n{output[-3000:]}")
    return DemoRun(database, size, seconds, people_seconds(events()), usage.ru_maxrss / 1024)


PHASE_VERBS = ("demo.enterprises", "demo.member_counts")


def people_seconds(leaves: list[bytes]) -> float:
    """The people phase, read from the trail: between the events recorded just before the
    first person and just after the last."""
    at = {leaf["verb"]: datetime.fromisoformat(leaf["at"].replace("Z", "+00:00"))
          for leaf in map(json.loads, leaves)}
    return (at[PHASE_VERBS[1]] - at[PHASE_VERBS[0]]).total_seconds()


def _postgres_events(url: str) -> list[bytes]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT leaf FROM trail_event WHERE verb = ANY(%s)", [list(PHASE_VERBS)])
        return [bytes(r[0]) for r in rows]


def _sqlite_events(path: Path) -> list[bytes]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT leaf FROM trail_event WHERE verb IN (?, ?)", PHASE_VERBS)
        return [bytes(r[0]) for r in rows]


def generation_rate(size: int) -> float:
    """Workers per second of the pure generation and row preparation, in this process."""
    from django.utils import timezone

    from zhigong.core import batch
    from zhigong.core.management.commands.demo import load_places

    plan = batch.plan_demo(*load_places("320000"), size, 1, timezone.localdate())
    structure = placeholder_structure(plan)
    started = time.monotonic()
    for number, chunk in enumerate(batch.iter_people(plan)):
        batch.prepare_people(plan, structure, chunk, 1 + chunk.start, number)
    return size / (time.monotonic() - started)


def placeholder_structure(plan):
    """Organization ids and paths as write_enterprises would assign them in an empty database."""
    from zhigong.core import batch

    counties = plan.territory.counties
    ids = [2 * n + 1000 for n in range(len(plan.enterprises))]
    county = plan.enterprises.county.tolist()
    return batch.Structure(
        enterprise_ids=ids, enterprise_paths=[f"/1/2/3/{pk}/" for pk in ids],
        union_ids=[pk + 1 for pk in ids], union_paths=[f"/1/2/3/{pk}/{pk + 1}/" for pk in ids],
        county_codes=[counties[k].code for k in county],
    )


def demo_table(runs: list[DemoRun], limit: float, sample: int) -> Table:
    rows = []
    for r in runs:
        rate = r.workers / r.seconds
        phase = r.workers / r.people_seconds
        rows.append([r.database, r.workers, r.seconds, rate, r.people_seconds, phase, phase / limit, r.peak_rss_mb])
    largest = max(r.workers for r in runs)
    backends = " and ".join(sorted({r.database for r in runs if r.workers == largest}))
    return Table(
        "Demo generation: zhigong demo --members N, into a fresh database",
        ["database", "workers", "seconds", "workers/s", "people phase s", "people/s", "× generation limit",
         "peak RSS MB"],
        rows,
        [
            f"limit: generation alone (draw, encrypt and index ID numbers, hash rows; no database), "
            f"{sample:,} workers: {limit:,.0f} workers/s on one thread.",
            "each worker has one employment; about 85% also a union membership, so a run writes "
            "about 2.85 rows per worker, plus one trail event per 10,000 workers.",
            "seconds: the whole command, with start-up, federations, enterprises and six persona accounts "
            "(password hashing, about 3 s); people phase: from the trail event of the enterprises to "
            "that of the member counts, i.e. people, jobs, memberships and their trail events.",
            f"goal: {largest:,} workers finish on this machine ({os.cpu_count()} CPUs): met on {backends}.",
        ],
    )
