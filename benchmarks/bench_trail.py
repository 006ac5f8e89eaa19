"""Trail: build the Merkle tree and verify N events (1,000,000 at full scale), against bare
hashlib hashing of the same leaf bytes (the limit) and against pymerkle building the same
tree; and the rate of trail.record() on the database in use.

Verify is timed on both of its paths (the server hashing the leaves, PostgreSQL's default;
every row read into Python, SQLite's) with wall time, this process's CPU time and the CPU time
of the PostgreSQL backend serving the connection, against the in-memory limit and against a
second limit: streaming the leaves from the database and hashing them.

Runs on the default database, which the bench runner makes a throwaway one: the trail tables
are emptied first and filled with bulk_create. Standalone: `python -m benchmarks.bench_trail
[--quick]` with DATABASE_URL pointing at a database that may be wiped.
"""

import os
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256

import django

# Standalone runs need Django set up before the models are imported; under the bench runner
# this is a no-op.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from benchmarks.report import Table  # noqa: E402
from zhigong.trail import merkle, record  # noqa: E402
from zhigong.trail import verify as verify_module  # noqa: E402
from zhigong.trail.canonical import canonical_json  # noqa: E402
from zhigong.trail.heads import latest_head, sign  # noqa: E402
from zhigong.trail.models import Block, Event, TrailState, TreeHead  # noqa: E402
from zhigong.trail.queries import inclusion  # noqa: E402
from zhigong.trail.verify import CHUNK, SERVER_CONNECTIONS, stream_rows, streaming, verify  # noqa: E402

SCALES = {"full": 1_000_000, "quick": 20_000}
HEAD_EVERY = 100_000  # heads signed along the way, as a running system would have them
RECORD_SAMPLE = 2_000
BATCH = 5_000
VERBS = [
    ("membership.join", lambda r: {"person": r.randrange(10**7), "union": r.randrange(10**5),
                                   "since": "2015-09-01"}),
    ("contribution.post", lambda r: {"pool": r.randrange(300), "month": "2026-10",
                                     "amount_fen": r.randrange(1000, 500000)}),
    ("claim.approve", lambda r: {"claim": r.randrange(10**6), "amount_fen": r.randrange(10**6),
                                 "kind": "住院", "rules": [r.randrange(500), r.randrange(500)]}),
    ("person.update", lambda r: {"changed": ["mobile", "name"]}),
    ("suggestion.submit", lambda r: {"enterprise": r.randrange(10**5), "digest": "%064x" % r.getrandbits(256)}),
]


def run(scale: str) -> list[Table]:
    n = SCALES[scale]
    leaves = realistic_leaves(n)
    load(leaves)
    # In memory the work is single-threaded Python: CPU time of this process is the fair
    # clock on a shared machine. Over the database part of the work is the server's, so wall
    # time; best of several rounds, each running them all in turn so a busy neighbour hurts all.
    memory = memory_costs(leaves)
    theirs, same_root = time_pymerkle(leaves)
    costs = database_costs(leaves)
    proof_time = best(3, lambda: inclusion(Event.objects.get(seq=n // 3).pk))
    rate = record_rate(RECORD_SAMPLE)
    average = sum(map(len, leaves)) / n
    return [memory_table(n, average, memory, theirs, same_root),
            database_table(n, costs, proof_time),
            record_table(rate)]


# --- Data ---------------------------------------------------------------------------------------

def realistic_leaves(n: int, seed: int = 2026) -> list[bytes]:
    """Leaves shaped like trail.record()'s: actor, time, verb, object, data, salt, seq."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    leaves = []
    for seq in range(1, n + 1):
        verb, data = VERBS[rng.randrange(len(VERBS))]
        at = start + timedelta(microseconds=seq * 31_536_000_000 // n + rng.randrange(1000))
        leaves.append(canonical_json({
            "seq": seq,
            "at": at.isoformat().replace("+00:00", "Z"),
            "actor": None if verb == "suggestion.submit" else rng.randrange(1, 50_000),
            "verb": verb,
            "object": f"{verb.split('.')[0]}:{rng.randrange(10**7)}",
            "data": data(rng),
            "salt": "%032x" % rng.getrandbits(128),
        }))
    return leaves


def load(leaves: list[bytes]) -> None:
    """Empty the trail and write these leaves as events, with heads every HEAD_EVERY events
    and the state row, as if they had been recorded one by one."""
    for model in (Event, TreeHead, Block):
        model.objects.all().delete()
    hashes = merkle.leaf_hashes(leaves)
    frontier: list[bytes] = []
    signed_at = datetime(2026, 1, 1, tzinfo=UTC)
    for start in range(0, len(leaves), BATCH):
        end = min(start + BATCH, len(leaves))
        blocks: list[bytes] = []
        frontier = merkle.extend(frontier, start, hashes[start:end], blocks)
        first_block = start // merkle.BLOCK_SIZE  # the first block that ends after `start`
        with transaction.atomic():
            Event.objects.bulk_create(_events(leaves, hashes, start, end, signed_at))
            Block.objects.bulk_create([Block(index=first_block + i, root_hash=r) for i, r in enumerate(blocks)])
        if end % HEAD_EVERY == 0 or end == len(leaves):
            _store_head(end, merkle.fold(frontier), signed_at + timedelta(seconds=end))
    TrailState.objects.update_or_create(id=1, defaults={"size": len(leaves), "frontier": b"".join(frontier)})


def _events(leaves, hashes, start, end, at):
    return [Event(seq=i + 1, created_at=at, actor_id=None, verb="bench", object_type="bench",
                  object_id=str(i + 1), leaf=leaves[i], leaf_hash=hashes[i]) for i in range(start, end)]


def _store_head(size: int, root: bytes, signed_at: datetime) -> None:
    TreeHead.objects.create(size=size, root_hash=root, signed_at=signed_at, signature=sign(size, root, signed_at))


# --- Measurements -------------------------------------------------------------------------------

_digest = type(sha256()).digest


def bare_hashes(leaves: list[bytes]) -> list[bytes]:
    """The limit: SHA-256 of each leaf, the fastest way Python offers, nothing else."""
    return list(map(_digest, map(sha256, leaves)))


def memory_costs(leaves: list[bytes]) -> dict[str, float]:
    """CPU seconds of the in-memory rows (MEMORY_ROWS), best of 5, run in turn each round;
    the floor's messages are freed on return."""
    prefixed, nodes = floor_messages(leaves)
    work = (lambda: bare_hashes(leaves), lambda: bare_hashes_dropped(leaves),
            lambda: floor_hashes(prefixed, nodes), lambda: merkle.root_of_leaves(leaves))
    return dict(zip(MEMORY_ROWS, interleaved_best(5, *work, clock=time.process_time), strict=True))


def bare_hashes_dropped(leaves: list[bytes]) -> None:
    """The limit with each digest dropped as soon as it is made instead of kept in a list:
    the build keeps no list of leaf hashes either, so this shows what the list costs."""
    deque(map(_digest, map(sha256, leaves)), maxlen=0)


def floor_messages(leaves: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The messages an RFC 6962 build must hash, made beforehand: each leaf with its 0x00
    prefix, and n - 1 messages of 65 bytes (0x01 and two 32-byte hashes) for the inner
    nodes. SHA-256's cost depends only on the length, so any hashes will do for the latter."""
    prefixed = [merkle.LEAF_PREFIX + leaf for leaf in leaves]
    hashes = bare_hashes(leaves[: min(len(leaves), 1024)])
    nodes = [merkle.NODE_PREFIX + hashes[i % len(hashes)] + hashes[(i + 1) % len(hashes)]
             for i in range(len(leaves) - 1)]
    return prefixed, nodes


def floor_hashes(prefixed: list[bytes], nodes: list[bytes]) -> None:
    """The floor of any RFC 6962 build in Python: 2n - 1 SHA-256 calls on ready messages,
    each digest dropped as made; what the build adds to it is making the messages."""
    deque(map(_digest, map(sha256, prefixed)), maxlen=0)
    deque(map(_digest, map(sha256, nodes)), maxlen=0)


def bare_hash_from_database(n: int) -> None:
    """A second limit, for verify: stream the same leaf bytes from the database and hash them."""
    sql = f"SELECT leaf FROM {Event._meta.db_table} WHERE seq <= %s ORDER BY seq"
    with streaming():
        for rows in stream_rows(sql, [n], CHUNK):
            bare_hashes([row[0] for row in rows])


def check_all(in_database: bool, **options) -> None:
    result = verify(in_database=in_database, **options)
    if not result.ok:
        raise AssertionError(f"the benchmark trail does not verify: {result.problem}")


@dataclass
class Cost:
    """One run: wall seconds, CPU seconds of this process, CPU seconds of the database server
    processes serving it: this connection's and those verify opens beside it (None when the
    server's /proc entries cannot be read, e.g. another machine)."""

    wall: float
    cpu: float
    server: float | None

    @property
    def total(self) -> float | None:
        return None if self.server is None else self.cpu + self.server


def measure(work: Callable[[], object]) -> Cost:
    pid = _backend_pid()
    server = _process_cpu(pid)
    _other_backends.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = _process_cpu(pid)
    if server is None or after is None or None in _other_backends:
        return Cost(wall, cpu, None)
    return Cost(wall, cpu, after - server + sum(_other_backends))


_open_server_connections = verify_module._server_connections
_other_backends: list[float | None] = []


@contextmanager
def _counted_server_connections(count: int) -> Iterator[list]:
    """verify's own, with the CPU of each connection it opens beside this one read just before
    it closes: opened for that verify alone, its whole life is that verify's work."""
    with _open_server_connections(count) as raws:
        try:
            yield raws
        finally:
            _other_backends.extend(_process_cpu(raw.info.backend_pid) for raw in raws[1:])


def _backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _process_cpu(pid: int | None) -> float | None:
    """utime + stime of a process on this machine, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_costs(leaves: list[bytes], repeats: int = 3) -> dict[str, Cost]:
    """Best (by wall time) of `repeats` rounds; each round runs the limits and both verify
    paths back to back, so that a busy neighbour hurts them alike."""
    n = len(leaves)
    work = {
        "limit": lambda: bare_hashes(leaves),
        "db_limit": lambda: bare_hash_from_database(n),
        "verify": lambda: check_all(in_database=True),
        "verify_one": lambda: check_all(in_database=True, server_connections=1),
        "verify_python": lambda: check_all(in_database=False),
    }
    if connection.vendor != "postgresql":
        del work["verify"], work["verify_one"]  # the in-database path is PostgreSQL's
    runs: dict[str, list[Cost]] = {name: [] for name in work}
    verify_module._server_connections = _counted_server_connections
    try:
        for _ in range(repeats):
            for name, job in work.items():
                runs[name].append(measure(job))
    finally:
        verify_module._server_connections = _open_server_connections
    return {name: min(costs, key=lambda cost: cost.wall) for name, costs in runs.items()}


def time_pymerkle(leaves: list[bytes]) -> tuple[float, bool]:
    """pymerkle (GPL-3, installed only for benchmarks) with its defaults: security on means
    the 0x00/0x01 prefixes of RFC 6962, so its root must equal ours. Returns its CPU time and
    whether the roots agree."""
    from pymerkle import InmemoryTree

    started = time.process_time()
    tree = InmemoryTree(algorithm="sha256")
    tree.append_entries(leaves)
    root = tree.get_root() if hasattr(tree, "get_root") else tree.get_state()
    elapsed = time.process_time() - started
    return elapsed, root == merkle.root_of_leaves(leaves)


def record_rate(sample: int) -> float:
    """Events per second of trail.record(), each in a transaction of its own, as actions do."""
    started = time.perf_counter()
    for i in range(sample):
        with transaction.atomic():
            record(None, "bench.record", ("bench.thing", i), {"i": i})
    elapsed = time.perf_counter() - started
    latest_head()
    return sample / elapsed


def best(repeats: int, work: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeats):
        started = clock()
        work()
        times.append(clock() - started)
    return min(times)


def interleaved_best(repeats: int, *work: Callable,
                     clock: Callable[[], float] = time.perf_counter) -> tuple[float, ...]:
    """Run each in turn, `repeats` rounds, so that a noisy neighbour on the machine hurts all
    alike; the best time of each."""
    times: list[list[float]] = [[] for _ in work]
    for _ in range(repeats):
        for job, spent in zip(work, times, strict=True):
            spent.append(best(1, job, clock))
    return tuple(map(min, times))


# --- Report -------------------------------------------------------------------------------------

MEMORY_ROWS = ("limit", "limit_dropped", "floor", "ours")


def memory_table(n: int, average: float, memory: dict[str, float], theirs: float, same_root: bool) -> Table:
    bare, ours = memory["limit"], memory["ours"]
    rows = [
        ["hashlib sha256 of each leaf (limit)", bare, n / bare, 1.0],
        ["the limit, each digest dropped as made (no list)", memory["limit_dropped"],
         n / memory["limit_dropped"], memory["limit_dropped"] / bare],
        [f"floor: {2 * n - 1:,} sha256 calls on ready messages", memory["floor"], n / memory["floor"],
         memory["floor"] / bare],
        ["zhigong: leaf hashes + RFC 6962 root", ours, n / ours, ours / bare],
        ["pymerkle InmemoryTree, same leaves", theirs, n / theirs, theirs / bare],
    ]
    notes = [
        f"{n:,} realistic canonical leaves (avg {average:.0f} bytes); CPU seconds of this "
        "process, best of 5, the four first rows run in turn each round (pymerkle: one run).",
        "floor: the n leaves with their 0x00 prefix and n - 1 65-byte node messages, made "
        "beforehand and hashed with the digests dropped: the hashing any RFC 6962 build in Python "
        "must do; the build adds making those messages. It keeps no list of leaf hashes; the "
        "limit keeps its digests, as hashing each leaf returns them (second row: without).",
        f"goal ≤ 2× the limit: {ours / bare:.2f}× ({ours / memory['limit_dropped']:.2f}× the limit "
        f"without its list, {ours / memory['floor']:.2f}× the floor); goal faster than pymerkle: "
        f"{theirs / ours:.1f}× faster.",
        "pymerkle's root equals ours (its default 0x00/0x01 prefixes are RFC 6962's)" if same_root
        else "pymerkle's root DIFFERS from ours: not the same tree",
    ]
    return Table(f"Trail: building the Merkle tree of {n:,} events in memory",
                 ["what", "CPU s", "events/s", "× limit"], rows, notes)


def database_table(n: int, costs: dict[str, Cost], proof_time: float) -> Table:
    limit, db_limit = costs["limit"], costs["db_limit"]

    def row(label: str, cost: Cost) -> list:
        total = cost.total
        return [label, cost.wall, cost.cpu, "n/a" if cost.server is None else cost.server,
                cost.wall / limit.wall, "n/a" if total is None else total / limit.cpu,
                cost.wall / db_limit.wall]

    rows = [row("hashlib sha256 of each leaf, in memory (limit)", limit),
            row("stream the leaves from the database + hashlib (db limit)", db_limit)]
    if "verify" in costs:
        rows.append(row(f"zhigong verify(), the server hashes the leaves on {SERVER_CONNECTIONS} "
                        "connections (default)", costs["verify"]))
        rows.append(row("zhigong verify(), the server hashes the leaves on 1 connection", costs["verify_one"]))
    rows.append(row("zhigong verify(), every row read into Python", costs["verify_python"]))
    notes = [
        f"database: {connection.vendor}; best of 3 by wall time; a signed head every {HEAD_EVERY:,} events. "
        "verify() checks every leaf hash against the leaf bytes, the seq run, each leaf's own seq, "
        "every signed head, every block root and the state row.",
        "wall s: elapsed; CPU s: this process; server CPU s: every PostgreSQL backend that served "
        "the run, this connection's and those verify opens beside it (from /proc, n/a when not "
        "on this machine). The limits are single-threaded: compare the parallel rows by both "
        "wall and CPU.",
        "× limit (wall): wall time over the in-memory limit's (each the best of its 3); "
        "× limit (CPU): this process + server CPU over the limit's CPU (all the work done, "
        "wherever); × db limit: wall time over streaming the leaves from the database and "
        "hashing them, nothing checked.",
        f"one inclusion proof at {n:,} events (the public API's work): {proof_time * 1000:.0f} ms.",
    ]
    return Table(f"Trail: verifying {n:,} events in the database",
                 ["what", "wall s", "CPU s", "server CPU s", "× limit (wall)", "× limit (CPU)",
                  "× db limit"], rows, notes)


def record_table(rate: float) -> Table:
    return Table("Trail: record()", ["what", "events/s"],
                 [[f"trail.record(), {RECORD_SAMPLE:,} events, one transaction each", rate]],
                 [f"database: {connection.vendor}; each append locks the state row (gap-free seq)."])


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for table in run("quick" if "--quick" in sys.argv else "full"):
        print(table.render())


if __name__ == "__main__":
    main()
