"""`zhigong trail verify` names the first event that does not match, for each way a row can be
tampered with behind the application's back (raw SQL), and passes a clean trail.

On PostgreSQL every case runs three times: with the server recomputing the leaf hashes on one
connection, on two connections sharing verify's snapshot (the default there when verify opens
the transaction; committed rows, so these tests are transactional), and with every row read into
Python (the SQLite way)."""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction

from zhigong.trail import merkle, record
from zhigong.trail import verify as verify_module
from zhigong.trail.heads import latest_head, sign
from zhigong.trail.models import Event, TreeHead

EVENTS = 40
HEAD_SIZES = (10, 25, 40)
TABLE = Event._meta.db_table
TWO_CONNECTIONS = pytest.param(
    "two_connections", marks=[pytest.mark.postgres, pytest.mark.django_db(transaction=True)])
PATHS = ["in_database", TWO_CONNECTIONS, "python"] if connection.vendor == "postgresql" else ["python"]


@pytest.fixture(params=PATHS)
def path(request) -> str:
    return request.param


@pytest.fixture
def in_database(path) -> bool:
    return path != "python"


@pytest.fixture
def trail(db, in_database):
    record_trail()


def record_trail() -> None:
    for i in range(1, EVENTS + 1):
        with transaction.atomic():
            record(None, "test.thing", ("test.thing", i), {"i": i, "name": "职工"})
        if i in HEAD_SIZES:
            latest_head()
    assert list(TreeHead.objects.order_by("size").values_list("size", flat=True)) == list(HEAD_SIZES)


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("EVENTS", TABLE), list(params))


def leaf(seq: int) -> bytes:
    return bytes(Event.objects.get(seq=seq).leaf)


def forged_leaf(seq: int) -> bytes:
    """What a careful forger writes: a well-formed leaf with the right seq and a salt."""
    return (b'{"actor":null,"at":"2026-01-01T00:00:00Z","data":{"i":999},"object":"test.thing:999",'
            b'"salt":"00000000000000000000000000000000","seq":%d,"verb":"test.thing"}' % seq)


def insert(seq: int, content: bytes) -> None:
    sql("INSERT INTO EVENTS (seq, created_at, verb, object_type, object_id, leaf, leaf_hash) "
        "VALUES (%s, '2026-01-01 00:00:00+00:00', 'test.thing', 'test.thing', '999', %s, %s)",
        [seq, content, merkle.leaf_hash(content)])


@pytest.fixture
def verify(path, in_database, monkeypatch):
    """verify() by the path under test; the CLI takes the same one. On two connections the
    ranges are 8 seqs wide, so that they are dealt out to both, and each call must have
    opened both."""
    opened = []
    server_connections = verify_module._server_connections

    def counted(count):
        opened.append(count)
        return server_connections(count)

    def by_path(**options):
        if path == "two_connections":
            options.setdefault("chunk", 8)
        opened.clear()
        result = verify_module.verify(in_database=in_database, **options)
        assert opened == ({"in_database": [1], "two_connections": [2]}.get(path, []))
        return result

    monkeypatch.setattr(verify_module, "_server_connections", counted)
    monkeypatch.setattr("zhigong.trail.management.commands.trail.verify", by_path)
    return by_path


@pytest.fixture
def problem(verify):
    def first_problem():
        result = verify()
        assert not result.ok
        return result.problem
    return first_problem


def test_a_clean_trail_passes(trail, verify):
    result = verify()
    assert result.ok, result.problem
    assert (result.size, result.heads) == (EVENTS, len(HEAD_SIZES))
    assert result.root_hash == latest_head().root_hash


def test_small_chunks_give_the_same_answer(trail, verify):
    # Heads fall inside chunks, chunks end inside perfect subtrees: the one pass must not care.
    assert verify(chunk=7).ok
    sql("UPDATE EVENTS SET leaf = %s WHERE seq = 23", [leaf(23).replace(b'"i":23', b'"i":24')])
    assert (verify(chunk=7).problem.kind, verify(chunk=7).problem.seq) == ("edited", 23)


def test_an_edited_leaf_is_named(trail, problem):
    sql("UPDATE EVENTS SET leaf = %s WHERE seq = 17", [leaf(17).replace(b'"i":17', b'"i":71')])
    found = problem()
    assert (found.kind, found.seq) == ("edited", 17)
    assert "17" in found.message()


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_signed_head(trail, problem):
    edited = leaf(17).replace(b'"i":17', b'"i":71')
    sql("UPDATE EVENTS SET leaf = %s, leaf_hash = %s WHERE seq = 17", [edited, merkle.leaf_hash(edited)])
    found = problem()
    # The head of 10 still matches, the head of 25 does not: the change is in 11..25.
    assert (found.kind, found.seq, found.last_seq, found.head_size) == ("head_root", 11, 25, 25)


def test_an_edit_after_the_last_head_is_caught_by_the_state(trail, problem):
    with transaction.atomic():
        record(None, "test.thing", ("test.thing", 41), {"i": 41})
    edited = leaf(41).replace(b'"i":41', b'"i":14')
    sql("UPDATE EVENTS SET leaf = %s, leaf_hash = %s WHERE seq = 41", [edited, merkle.leaf_hash(edited)])
    found = problem()
    assert (found.kind, found.seq, found.last_seq) == ("state", 41, 41)


def test_a_deleted_middle_row_is_named(trail, problem):
    sql("DELETE FROM EVENTS WHERE seq = 17")
    found = problem()
    assert (found.kind, found.seq) == ("missing", 17)


def test_a_deleted_last_row_is_named_when_a_head_covers_it(trail, problem):
    sql("DELETE FROM EVENTS WHERE seq = %s", [EVENTS])
    # Even with the state row wound back, the signed head of 40 remembers event 40.
    sql("UPDATE trail_trailstate SET size = %s", [EVENTS - 1])
    found = problem()
    assert (found.kind, found.seq) == ("missing", EVENTS)


def test_a_forged_row_after_the_end_is_named(trail, problem):
    insert(EVENTS + 1, forged_leaf(EVENTS + 1))
    found = problem()
    assert (found.kind, found.seq) == ("inserted", EVENTS + 1)


def test_a_forged_row_slipped_into_the_middle_is_named(trail, problem):
    # Make room at 17 by renumbering everything after it, then insert a well-formed forgery.
    sql("UPDATE EVENTS SET seq = -seq WHERE seq >= 17")
    sql("UPDATE EVENTS SET seq = 1 - seq WHERE seq < 0")
    insert(17, forged_leaf(17))
    found = problem()
    assert (found.kind, found.seq) == ("inserted", 17)


def test_swapped_rows_are_named(trail, problem):
    sql("UPDATE EVENTS SET seq = -1 WHERE seq = 12")
    sql("UPDATE EVENTS SET seq = 12 WHERE seq = 30")
    sql("UPDATE EVENTS SET seq = 30 WHERE seq = -1")
    found = problem()
    assert (found.kind, found.seq, found.leaf_seq) == ("reordered", 12, 30)


def test_a_head_with_a_bad_signature_is_named(trail, problem):
    head = TreeHead.objects.get(size=25)
    sql("UPDATE trail_treehead SET root_hash = %s WHERE size = 25", [merkle.leaf_hash(b"other")])
    found = problem()
    assert (found.kind, found.head_size) == ("head_signature", 25)
    # Validly signed but over the wrong root (as a stolen key would allow): a root mismatch.
    forged = merkle.leaf_hash(b"other")
    sql("UPDATE trail_treehead SET signature = %s WHERE size = 25", [sign(25, forged, head.signed_at)])
    found = problem()
    assert (found.kind, found.seq, found.last_seq) == ("head_root", 11, 25)


def test_cli_exits_zero_with_a_summary_when_good(trail, capsys, verify):
    call_command("trail", "verify", "--no-progress")
    out = capsys.readouterr().out
    assert "留痕校验通过" in out
    assert latest_head().root_hash.hex() in out


def test_cli_exits_non_zero_naming_the_event_when_bad(trail, capsys, verify):
    sql("DELETE FROM EVENTS WHERE seq = 17")
    with pytest.raises(SystemExit) as exit_info:
        call_command("trail", "verify", "--no-progress")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "第 17 号事件缺失" in err
    assert "17" in err.splitlines()[-1]  # the English line names it too


def test_an_edited_leaf_hash_is_named(trail, problem):
    # The leaf is intact but its stored hash is not: the tree is built from recomputed hashes,
    # so the stored one is caught by comparison, never carried into a root.
    sql("UPDATE EVENTS SET leaf_hash = %s WHERE seq = 17", [merkle.leaf_hash(b"other")])
    found = problem()
    assert (found.kind, found.seq) == ("edited", 17)


def test_a_seq_mark_inside_the_data_is_not_taken_for_the_leaf_seq(trail, problem, verify):
    # Event 41 carries ',"seq":12,' in its data, and its own ',"seq":41,' after it. In its own
    # place it is fine (the server's check is stricter there and hands it to the Python one).
    with transaction.atomic():
        record(None, "test.thing", ("test.thing", 41), {"a": 1, "seq": 12, "z": 1})
    assert b',"seq":12,' in leaf(41)
    assert verify().ok
    # Moved to seq 12 (and 12 to 41) it must not pass for event 12 on the nested mark.
    sql("UPDATE EVENTS SET seq = -1 WHERE seq = 12")
    sql("UPDATE EVENTS SET seq = 12 WHERE seq = 41")
    sql("UPDATE EVENTS SET seq = 41 WHERE seq = -1")
    found = problem()
    assert (found.kind, found.seq, found.leaf_seq) == ("reordered", 12, 41)


def test_the_path_asked_for_is_the_path_taken(trail, in_database, monkeypatch):
    # On PostgreSQL the server checks a clean trail without sending a single leaf to Python;
    # the Python path reads every row.
    reads = []
    rows = verify_module._rows
    monkeypatch.setattr(verify_module, "_rows", lambda *args: reads.append(args) or rows(*args))
    result = verify_module.verify(in_database=in_database, chunk=16)  # heads inside ranges
    assert result.ok, result.problem
    assert (result.size, result.heads, result.root_hash) == (EVENTS, len(HEAD_SIZES), latest_head().root_hash)
    assert reads == ([] if in_database else [(verify_module.BEFORE_ALL, EVENTS, 16)])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_connection_checks_verifys_snapshot(monkeypatch):
    # A leaf edited with its hash recomputed (a range the server finds clean) and committed by
    # someone else once verify has begun is not seen by either connection: the second one
    # imported the first one's snapshot instead of taking its own.
    assert connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL); on SQLite use -m 'not postgres'"
    record_trail()
    server_connections = verify_module._server_connections
    edited = leaf(12).replace(b'"i":12', b'"i":21')

    @contextmanager
    def then_edit(count):
        with server_connections(count) as raws:
            ours = connections[connection.alias]
            writer = type(ours)(ours.settings_dict, ours.alias)  # autocommit: committed at once
            with writer.cursor() as cursor:
                cursor.execute(f"UPDATE {TABLE} SET leaf = %s, leaf_hash = %s WHERE seq = 12",
                               [edited, merkle.leaf_hash(edited)])
            writer.close()
            yield raws

    monkeypatch.setattr(verify_module, "_server_connections", then_edit)
    result = verify_module.verify(in_database=True, chunk=8)  # seqs 9..16 go to the second one
    assert result.ok, result.problem
    monkeypatch.undo()
    assert leaf(12) == edited
    found = verify_module.verify(in_database=True, chunk=8).problem
    assert (found.kind, found.seq, found.last_seq) == ("head_root", 11, 25)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verify_does_without_a_second_connection_it_cannot_open(monkeypatch):
    assert connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL); on SQLite use -m 'not postgres'"
    record_trail()
    sql("UPDATE EVENTS SET leaf = %s WHERE seq = 17", [leaf(17).replace(b'"i":17', b'"i":71')])
    opened = []
    server_connections = verify_module._server_connections

    @contextmanager
    def counted(count):
        with server_connections(count) as raws:
            opened.append(len(raws))
            yield raws

    def refused(self, params):
        raise OperationalError("too many clients already")

    monkeypatch.setattr(verify_module, "_server_connections", counted)
    monkeypatch.setattr(type(connections[connection.alias]), "get_new_connection", refused)
    found = verify_module.verify(in_database=True, chunk=8).problem
    assert (found.kind, found.seq) == ("edited", 17)
    assert opened == [1]
