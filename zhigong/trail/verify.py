"""`zhigong trail verify`: recompute the whole trail in one pass and name the first event that
does not match.

Checked, in sequence order: every row's leaf hash against its stored leaf bytes (edited); the
sequence numbers run 1..n without a gap (missing) or a stray row (inserted); each leaf's own
"seq" equals its row's (reordered, or inserted before it); every stored tree head's signature
and root at its size (the root is built incrementally, one frontier, one pass); and the state
row's size and frontier. Rows past the state's size are insertions.

Two ways through the rows, with the same findings:

- PostgreSQL (`in_database`): the server recomputes each leaf hash from the stored leaf bytes
  (sha256(0x00 || leaf), built in since PostgreSQL 11), compares it with the stored leaf_hash,
  checks the seq run and each leaf's own "seq" mark, and sends per range of seqs one summary
  row: the count, the first and last seq, whether every row passed, and the recomputed hashes
  concatenated in seq order. Python builds the tree from those recomputed hashes (the stored
  ones are only compared, never used) while worker threads already wait for the next ranges:
  the server hashes while Python hashes the inner nodes. When verify opens the snapshot, a
  second connection imports it and the ranges are dealt out to both in turn, so two server
  processes hash at once (SERVER_CONNECTIONS). A range that is not clean is read again row by
  row by the path below, from its start to the end.
- Anywhere (SQLite, or from the first unclean range on): rows are streamed as plain tuples
  from a server-side cursor and hashed a chunk at a time with C-level map() chains; only a
  chunk that fails is looked at row by row.
"""

import json
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import repeat

from django.db import DatabaseError, connection, connections, transaction
from django.utils.translation import gettext as _

from zhigong.trail import heads as head_keys
from zhigong.trail import merkle
from zhigong.trail.models import Block, Event, TrailState, TreeHead

CHUNK = 20_000
RANGE = 1 << 15  # seqs per summary row of the in-database path (1 MiB of hashes)
# Server connections hashing ranges at once on the in-database path: with two, verifying 1M
# events on a 2-core machine took a third less wall time for the same CPU (docs/trail.md).
SERVER_CONNECTIONS = 2
BEFORE_ALL = -(1 << 63)  # the lower bound of the first range: rows at seq 0 or below count
EVENT_TABLE = Event._meta.db_table
# In a canonical leaf (sorted keys) "seq" is followed only by "verb", a string, so the last
# ',"seq":' in the bytes is the top-level one.
SEQ_KEY = b',"seq":'
SEQ_MARK = b',"seq":%d,'

Progress = Callable[[int], object]


@dataclass(frozen=True)
class Problem:
    """What is wrong, at which event. For head and state mismatches the altered event is
    somewhere in seq..last_seq: a root says that something changed, not what."""

    kind: str  # edited, missing, inserted, reordered, head_signature, head_root, state, block
    seq: int
    last_seq: int | None = None
    leaf_seq: int | None = None
    head_size: int | None = None

    def message(self) -> str:
        """A sentence in the active language (Chinese unless overridden)."""
        values = {"seq": self.seq, "last": self.last_seq, "leaf_seq": self.leaf_seq,
                  "size": self.head_size}
        return _MESSAGES[self.kind]() % values


_MESSAGES: dict[str, Callable[[], str]] = {
    "edited": lambda: _("第 %(seq)s 号事件被改动：记录内容与存储的叶子哈希不符。"),
    "missing": lambda: _("第 %(seq)s 号事件缺失：该记录已被删除。"),
    "inserted": lambda: _("第 %(seq)s 号事件是插入的记录，不属于原有的留痕序列。"),
    "reordered": lambda: _(
        "第 %(seq)s 号事件的位置上是第 %(leaf_seq)s 号事件的记录：记录被重排或重新编号。"),
    "head_signature": lambda: _("大小为 %(size)s 的签名树头签名无效：树头被伪造或篡改。"),
    "head_root": lambda: _(
        "大小为 %(size)s 的签名树头与重算的根哈希不符：第 %(seq)s 至 %(last)s 号事件中有记录被改动。"),
    "state": lambda: _(
        "留痕状态与重算的结果不符：第 %(seq)s 至 %(last)s 号事件中有记录被改动。"),
    "block": lambda: _(
        "第 %(seq)s 至 %(last)s 号事件的区块根哈希存储有误（事件本身无误），据此生成的证明将无法通过验证。"),
}


@dataclass
class VerifyResult:
    size: int = 0  # events checked
    heads: int = 0  # signed heads checked
    root_hash: bytes = merkle.EMPTY_ROOT
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class _Head:
    size: int
    root_hash: bytes
    signed_at: object
    signature: bytes


@dataclass
class _Scan:
    """The state of the one pass: how far we are, the frontier so far, the heads ahead."""

    heads: list[_Head]
    blocks: dict[int, bytes] = field(default_factory=dict)
    size: int = 0
    frontier: list[bytes] = field(default_factory=list)
    next_head: int = 0
    last_good_head: int = 0
    heads_checked: int = 0
    next_block: int = 0
    row_problem: Problem | None = None
    head_problem: Problem | None = None
    block_problem: Problem | None = None

    def feed(self, rows: Sequence[tuple]) -> bool:
        """Check a chunk of (seq, leaf, leaf_hash) rows; False once a row is wrong."""
        seqs, leaves, stored = zip(*rows, strict=True)
        hashes = merkle.leaf_hashes(leaves)
        start = self.size + 1
        good = len(rows)
        if not _chunk_is_clean(start, seqs, leaves, stored, hashes):
            good, self.row_problem = _locate(start, seqs, leaves, stored, hashes)
        self.advance(hashes[:good])
        return self.row_problem is None

    def advance(self, hashes: list[bytes]) -> None:
        """Grow the frontier by these leaf hashes, stopping at each head's size to check it."""
        base, offset = self.size, 0
        while self._head_due(base + len(hashes)):
            head = self.heads[self.next_head]
            cut = head.size - base
            self._grow(hashes[offset:cut])
            offset = cut
            self.check_head(head)
        self._grow(hashes[offset:])

    def _head_due(self, upto: int) -> bool:
        return self.next_head < len(self.heads) and self.heads[self.next_head].size <= upto

    def _grow(self, hashes: list[bytes]) -> None:
        if self.head_problem is None and hashes:  # past a bad root the frontier is moot
            completed: list[bytes] = []
            self.frontier = merkle.extend(self.frontier, self.size, hashes, completed)
            self._check_blocks(completed)
        self.size += len(hashes)

    def _check_blocks(self, completed: list[bytes]) -> None:
        """Stored block roots feed the proofs; a wrong one would make them fail. (A missing
        one only makes proofs slower: they fall back to the block's leaf hashes.)"""
        for root_hash in completed:
            index, self.next_block = self.next_block, self.next_block + 1
            stored = self.blocks.get(index)
            if stored is not None and stored != root_hash and self.block_problem is None:
                first = index * merkle.BLOCK_SIZE + 1
                self.block_problem = Problem("block", first, last_seq=first + merkle.BLOCK_SIZE - 1)

    def check_head(self, head: _Head) -> None:
        self.next_head += 1
        if self.head_problem is not None:
            return
        self.heads_checked += 1
        if not head_keys.signature_is_valid(head):
            self.head_problem = Problem("head_signature", head.size, head_size=head.size)
        elif merkle.fold(self.frontier) != head.root_hash:
            self.head_problem = Problem(
                "head_root", self.last_good_head + 1, last_seq=head.size, head_size=head.size,
            )
        else:
            self.last_good_head = head.size


def _chunk_is_clean(start: int, seqs, leaves, stored, hashes: list[bytes]) -> bool:
    """The fast path: whole-chunk comparisons that run in C."""
    if seqs != tuple(range(start, start + len(seqs))):
        return False
    if list(stored) != hashes:
        return False
    positions = map(bytes.rfind, leaves, repeat(SEQ_KEY))
    return all(map(bytes.startswith, leaves, map(SEQ_MARK.__mod__, seqs), positions))


def _locate(start: int, seqs, leaves, stored, hashes) -> tuple[int, Problem]:
    """The first wrong row of a chunk that failed the fast path, and what is wrong with it."""
    for index, (seq, leaf) in enumerate(zip(seqs, leaves, strict=True)):
        problem = _row_problem(start + index, seq, leaf, stored[index], hashes[index])
        if problem is not None:
            return index, problem
    raise AssertionError("a chunk failed the fast path but no row is wrong")


def _row_problem(expected: int, seq: int, leaf: bytes, stored: bytes, computed: bytes):
    if seq < expected:  # only before the first row (seq 0 or below): nothing is below 1
        return Problem("inserted", seq)
    if seq > expected:
        return Problem("missing", expected)
    if bytes(stored) != computed:
        return Problem("edited", seq)
    if leaf.startswith(SEQ_MARK % seq, leaf.rfind(SEQ_KEY)):
        return None
    leaf_seq = _leaf_seq(leaf)
    if leaf_seq is None or leaf_seq == seq:  # not a canonical leaf of ours: rewritten
        return Problem("edited", seq)
    if leaf_seq < seq:
        # Event leaf_seq was pushed down to here, so the rows from leaf_seq on were inserted
        # (a permutation alone would show a larger number first).
        return Problem("inserted", leaf_seq)
    return Problem("reordered", seq, leaf_seq=leaf_seq)


def _leaf_seq(leaf: bytes) -> int | None:
    try:
        value = json.loads(leaf)
    except ValueError:
        return None
    seq = value.get("seq") if isinstance(value, dict) else None
    return seq if isinstance(seq, int) else None


# --- Reading ----------------------------------------------------------------------------------

def verify(progress: Progress | None = None, chunk: int | None = None,
           in_database: bool | None = None, server_connections: int = SERVER_CONNECTIONS) -> VerifyResult:
    """Verify the whole trail. `progress(n)` is called after each chunk of n events.
    `in_database`: let PostgreSQL recompute the leaf hashes (the default there); False reads
    every row into Python, as on SQLite. `chunk`: rows per chunk (CHUNK rows read into
    Python, RANGE seqs checked by the server by default). `server_connections`: how many
    connections hash ranges at once on the in-database path, when verify opens the snapshot."""
    if in_database is None:
        in_database = connection.vendor == "postgresql" and is_psycopg3()
    with streaming() as own_snapshot:
        size, frontier = _state()
        scan = _Scan(_heads(), _blocks(size))
        while scan._head_due(0):  # a head of the empty tree
            scan.check_head(scan.heads[scan.next_head])
        if in_database:
            # Other connections can share the snapshot only if verify opened it (outside a
            # caller's transaction, whose uncommitted rows they could not see anyway).
            count = server_connections if own_snapshot else 1
            _scan_in_database(scan, size, chunk or RANGE, progress, count)
        if scan.size < size:  # SQLite, or the rest after a range that was not clean
            after = scan.size if scan.size else BEFORE_ALL
            for rows in _rows(after, size, chunk or CHUNK):
                ok = scan.feed(rows)
                if progress is not None:
                    progress(len(rows))
                if not ok:
                    break
        problem = _choose(scan, _end_problem(scan, size, frontier))
    return VerifyResult(scan.size, scan.heads_checked, merkle.fold(scan.frontier), problem)


# One summary row per range of seqs (after, last]. The inner query is kept a subquery
# (OFFSET 0) so that each leaf is hashed once; `ok` holds when the stored leaf_hash equals the
# recomputed one and the leaf's first ',"seq":N,' mark (N its row's seq) is also its last
# ',"seq":' -- the Python check (the top-level "seq" is the last key but "verb") or stricter:
# a leaf whose data repeats the mark fails here and is judged by the Python path.
RANGE_SQL = f"""
SELECT count(*), min(seq), max(seq), bool_and(ok), string_agg(h, ''::bytea ORDER BY seq)
FROM (
    SELECT seq, h, leaf_hash = h AND mark > 0 AND position(%(key)s IN substr(leaf, mark + 1)) = 0 AS ok
    FROM (
        SELECT seq, leaf, leaf_hash, sha256(%(prefix)s || leaf) AS h,
               position(%(key)s || seq::text::bytea || %(comma)s IN leaf) AS mark
        FROM {EVENT_TABLE} WHERE seq > %(after)s AND seq <= %(last)s OFFSET 0
    ) computed
) checked
"""


def _scan_in_database(scan: _Scan, size: int, width: int, progress: Progress | None,
                      server_connections: int = 1) -> None:
    """Grow the scan by the server-checked ranges of `width` seqs, as long as they are clean.
    Worker threads run the next ranges' queries while this thread builds the tree; psycopg
    releases the GIL while it waits for the server. With `server_connections` > 1 (only inside
    verify's own repeatable-read snapshot) the others import that snapshot and the ranges are
    dealt out in turn, so that many server processes hash leaves at once; the answers are
    still taken in seq order."""
    import psycopg

    bounds = [(start, min(start + width, size)) for start in range(0, size, width)]

    def summary(raw, after: int, last: int) -> tuple:
        params = {"after": after if after else BEFORE_ALL, "last": last, "prefix": merkle.LEAF_PREFIX,
                  "key": SEQ_KEY, "comma": b","}
        # Django's psycopg cursors bind parameters on the client, which cannot ask for binary
        # results; a plain psycopg cursor binds on the server and gets bytea as raw bytes.
        with psycopg.Cursor(raw) as cursor:
            cursor.execute(RANGE_SQL, params, binary=True)
            return cursor.fetchone()

    with _server_connections(min(server_connections, len(bounds))) as raws, \
            ThreadPoolExecutor(max_workers=len(raws), thread_name_prefix="trail-verify") as worker:
        pending: deque = deque()

        def ask(index: int) -> None:
            if index < len(bounds):
                pending.append(worker.submit(summary, raws[index % len(raws)], *bounds[index]))

        for index in range(len(raws)):
            ask(index)
        for index, (after, last) in enumerate(bounds):
            count, first_seq, last_seq, ok, joined = pending.popleft().result()
            if not (ok and (count, first_seq, last_seq) == (last - after, after + 1, last)):
                return  # the row-by-row path takes over from `after` and names the problem
            ask(index + len(raws))
            scan.advance(_split_hashes(bytes(joined)))
            if progress is not None:
                progress(last - after)


@contextmanager
def _server_connections(count: int) -> Iterator[list]:
    """This connection and up to count - 1 new ones in its snapshot (exported here, imported
    there), as psycopg connections; the new ones are closed on the way out. One that cannot be
    opened (no connection slot left, say) is done without: fewer processes, the same checks."""
    connection.ensure_connection()
    if count <= 1:
        yield [connection.connection]
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    ours = connections[connection.alias]  # the wrapper behind the proxy, for its class and settings
    others = []
    try:
        for _ in range(count - 1):
            other = type(ours)(ours.settings_dict, ours.alias)
            try:
                other.ensure_connection()
                with other.cursor() as cursor:
                    cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            except DatabaseError:
                other.close()
                break
            others.append(other)
        yield [connection.connection, *(other.connection for other in others)]
    finally:
        for other in others:
            other.close()


def _split_hashes(joined: bytes) -> list[bytes]:
    """32-byte hashes from their concatenation, sliced in C."""
    ends = range(32, len(joined) + 1, 32)
    return list(map(joined.__getitem__, map(slice, range(0, len(joined), 32), ends)))


def streaming():
    """PostgreSQL streams from a server-side cursor only inside a transaction (outside one
    it would first materialise the whole result); there, a repeatable-read snapshot also
    keeps the state, heads and rows consistent while writers go on. SQLite streams anyway,
    and a transaction there would take the write lock."""
    return _snapshot() if connection.vendor == "postgresql" else nullcontext()


@contextmanager
def _snapshot() -> Iterator[bool]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # inside a caller's transaction, its isolation level stands
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield outermost


def _state() -> tuple[int, list[bytes]]:
    state = TrailState.objects.filter(id=1).values_list("size", "frontier").first()
    if state is None:
        return 0, []
    blob = bytes(state[1])
    return int(state[0]), [blob[i : i + 32] for i in range(0, len(blob), 32)]


def _heads() -> list[_Head]:
    rows = TreeHead.objects.order_by("size").values_list(
        "size", "root_hash", "signed_at", "signature",
    )
    return [_Head(int(s), bytes(r), at, bytes(sig)) for s, r, at, sig in rows]


def _blocks(size: int) -> dict[int, bytes]:
    rows = Block.objects.filter(index__lt=size // merkle.BLOCK_SIZE).values_list("index", "root_hash")
    return {index: bytes(root_hash) for index, root_hash in rows}


def _rows(after: int, size: int, chunk: int) -> Iterator[list[tuple]]:
    """Events after `after` up to the state's size as plain (seq, leaf, leaf_hash) tuples, in
    seq order. Rows past that size are looked at separately (_first_beyond)."""
    sql = f"SELECT seq, leaf, leaf_hash FROM {EVENT_TABLE} WHERE seq > %s AND seq <= %s ORDER BY seq"
    return stream_rows(sql, [after, size], chunk)


def stream_rows(sql: str, params: list, chunk: int) -> Iterator[list[tuple]]:
    """A query's rows in chunks of plain tuples; use inside streaming(). On PostgreSQL a
    server-side cursor in binary format: bytea then arrives as raw bytes instead of hex text
    to decode, which halves the time to read a million leaves."""
    if connection.vendor == "postgresql" and is_psycopg3():
        connection.ensure_connection()
        cursor = connection.connection.cursor(name="zhigong_trail_stream", binary=True)
    else:
        cursor = connection.chunked_cursor()
    with cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield rows


def is_psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3 as answer

    return answer


def _end_problem(scan: _Scan, size: int, frontier: list[bytes]) -> Problem | None:
    """What the end of the pass shows: rows missing at the end, the state row, extra rows."""
    if scan.row_problem is not None:
        return scan.row_problem
    if scan.size < size or scan.next_head < len(scan.heads):
        # The state or a signed head counts events that are no longer there.
        return Problem("missing", scan.size + 1)
    if scan.head_problem is None and scan.frontier != frontier:
        return Problem("state", scan.last_good_head + 1, last_seq=size)
    beyond = _first_beyond(size)
    return Problem("inserted", beyond) if beyond is not None else None


def _first_beyond(size: int) -> int | None:
    """The first row past the state's size. Rows and state are committed together, so a row
    seen before re-reading the state is covered by it unless it was slipped in."""
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    if last is None or last <= size:
        return None
    now = _state()[0]
    if last <= now:
        return None  # appended by a writer while we were verifying
    return Event.objects.filter(seq__gt=now).order_by("seq").values_list("seq", flat=True).first()


def _choose(scan: _Scan, found: Problem | None) -> Problem | None:
    """A head whose root is wrong says only that an event up to its size changed; a row-level
    finding inside that range names the event, so it is the better answer."""
    head = scan.head_problem
    if head is None:
        return found or scan.block_problem
    if found is not None and head.kind == "head_root" and found.seq <= head.last_seq:
        return found
    return head
