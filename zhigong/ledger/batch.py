"""Writing many checked entries at once, for actions.post_many: plain rows, no model objects.

PostgreSQL: entry ids drawn from the table's sequence in one query, then COPY of the entries
and of the legs (the statement trigger checks the legs once per COPY, the deferred trigger
each entry at commit). SQLite: executemany; the writer holds the database's write lock for
the whole transaction, so the ids of the rows just inserted are the last ones.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection

ENTRY_COLUMNS = ("id", "book_id", "day", "period", "posted_at", "posted_by_id", "memo", "source_type",
                 "source_id", "key", "reverses_id", "region_code")
LEG_COLUMNS = ("entry_id", "book_id", "period", "account_id", "amount_fen", "party_organization_id",
               "party_person_id")

# (day, period, memo, source_type, source_id, key)
EntryRow = tuple[date, date, str, str, str, str | None]
# (entry index in the batch, account id, amount, organization id, person id)
LegRow = tuple[int, int, int, int | None, int | None]


def write(book_id: int, region_code: str, posted_at: datetime, posted_by_id: int | None,
          entries: Sequence[EntryRow], legs: Sequence[LegRow]) -> list[int]:
    """Insert the entries and their legs; return the new entry ids in the order given."""
    if not entries:
        return []
    if connection.vendor == "postgresql":
        return _write_postgresql(book_id, region_code, posted_at, posted_by_id, entries, legs)
    return _write_sqlite(book_id, region_code, posted_at, posted_by_id, entries, legs)


def _entry_tuples(ids, book_id, region_code, posted_at, posted_by_id, entries):
    return [(i, book_id, day, period, posted_at, posted_by_id, memo, source_type, source_id, key, None, region_code)
            for i, (day, period, memo, source_type, source_id, key) in zip(ids, entries, strict=True)]


def _leg_tuples(ids, book_id, entries, legs):
    return [(ids[n], book_id, entries[n][1], account, amount, org, person) for n, account, amount, org, person in legs]


def _write_postgresql(book_id, region_code, posted_at, posted_by_id, entries, legs) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('ledger_entry', 'id')) FROM generate_series(1, %s)",
                       [len(entries)])
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY ledger_entry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
            for row in _entry_tuples(ids, book_id, region_code, posted_at, posted_by_id, entries):
                copy.write_row(row)
        with raw.copy(f"COPY ledger_leg ({', '.join(LEG_COLUMNS)}) FROM STDIN") as copy:
            for row in _leg_tuples(ids, book_id, entries, legs):
                copy.write_row(row)
    return ids


def _write_sqlite(book_id, region_code, posted_at, posted_by_id, entries, legs) -> list[int]:
    columns = ENTRY_COLUMNS[1:]
    with connection.cursor() as cursor:
        entries = [(day.isoformat(), period.isoformat(), *rest) for day, period, *rest in entries]
        rows = [row[1:] for row in _entry_tuples([None] * len(entries), book_id, region_code,
                                                  _sqlite_time(posted_at), posted_by_id, entries)]
        cursor.executemany(f"INSERT INTO ledger_entry ({', '.join(columns)}) VALUES "
                           f"({', '.join(['%s'] * len(columns))})", rows)
        cursor.execute("SELECT max(id) FROM ledger_entry")
        last = cursor.fetchone()[0]
        ids = list(range(last - len(entries) + 1, last + 1))
        cursor.executemany(f"INSERT INTO ledger_leg ({', '.join(LEG_COLUMNS)}) VALUES "
                           f"({', '.join(['%s'] * len(LEG_COLUMNS))})", _leg_tuples(ids, book_id, entries, legs))
    return ids


def _sqlite_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)
