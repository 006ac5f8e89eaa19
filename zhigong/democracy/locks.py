"""Locks that guard votes, in one place (Saleor's lock_objects). Always taken in the same
order: the round row first."""

import json
import uuid
from dataclasses import dataclass

from django.db import connection, transaction

from zhigong.democracy.models import OpenBallot, SecretBallot, VoterRoll, VotingRound


def round_for_ballot(round_id: int) -> VotingRound | None:
    """A SHARE lock on the round: many ballots go in at once, while closing (which takes the
    row FOR UPDATE) waits until every ballot already under way has committed. SQLite
    serialises writers anyway."""
    if connection.vendor == "postgresql":
        rows = list(VotingRound.objects.raw(
            "SELECT * FROM democracy_votinground WHERE id = %s FOR SHARE", [round_id],
        ))
        return rows[0] if rows else None
    return VotingRound.objects.filter(pk=round_id).first()


def round_for_closing(round_id: int) -> VotingRound:
    return VotingRound.objects.select_for_update().get(pk=round_id)


@dataclass(frozen=True)
class Voter:
    """What a ballot needs to know, read in one statement: the item, the open round (locked
    FOR SHARE on PostgreSQL, as in round_for_ballot), the voter's delegate row in the item's
    term and whether they checked in to the session."""

    item_id: int
    kind: str
    secret: bool
    round_id: int
    seats: int
    delegate_id: int
    present: bool


VOTER_SQL = """
SELECT i.id, i.kind, i.secret, r.id, r.seats, d.id,
       EXISTS (SELECT 1 FROM democracy_checkin c WHERE c.session_id = i.session_id AND c.delegate_id = d.id)
  FROM democracy_agendaitem i
  JOIN democracy_session s ON s.id = i.session_id
  JOIN democracy_delegate d ON d.term_id = s.term_id AND d.person_id = %s AND d.status = 'active'
  JOIN democracy_votinground r ON r.item_id = i.id AND r.closed_at IS NULL
 WHERE i.id = %s
"""


def voter_in_open_round(person_id: int | None, item_id: int) -> Voter | None:
    """The voter's way into an open round, or None when any part is missing (not an active
    delegate of the term, no open round, no such item); the caller then finds out which, on
    the slow path, to answer with the right refusal. No lock: store_ballot checks again that
    the round is open, under its lock."""
    if not person_id:
        return None
    sql = VOTER_SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, item_id])
        row = cursor.fetchone()
    if row is None:
        return None
    item, kind, secret, round_id, seats, delegate, present = row
    return Voter(item, kind, bool(secret), round_id, seats, delegate, bool(present))


# The roll entry and the ballot in one statement, in its own transaction: the round row is
# locked FOR SHARE (closing takes it FOR UPDATE, so it waits for ballots under way) and must
# still be open; a second ballot of the same delegate breaks the roll's unique constraint.
STORE_SECRET_SQL = """
WITH r AS (SELECT id FROM democracy_votinground WHERE id = %s AND closed_at IS NULL FOR SHARE),
roll AS (INSERT INTO democracy_voterroll (round_id, delegate_id) SELECT id, %s FROM r RETURNING round_id)
INSERT INTO democracy_secretballot (id, round_id, receipt, content)
SELECT %s, round_id, %s, %s::jsonb FROM roll RETURNING round_id
"""
STORE_OPEN_SQL = """
WITH r AS (SELECT id FROM democracy_votinground WHERE id = %s AND closed_at IS NULL FOR SHARE),
roll AS (INSERT INTO democracy_voterroll (round_id, delegate_id) SELECT id, %s FROM r RETURNING round_id)
INSERT INTO democracy_openballot (round_id, delegate_id, receipt, content, cast_at)
SELECT round_id, %s, %s, %s::jsonb, now() FROM roll RETURNING round_id
"""


def store_ballot(voter: Voter, receipt: str, content: dict) -> bool:
    """Write the roll entry and the ballot; False when the round has closed meanwhile. Raises
    IntegrityError on a second ballot of the same delegate (nothing is written then)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        with connection.cursor() as cursor:
            if voter.secret:
                cursor.execute(STORE_SECRET_SQL, [voter.round_id, voter.delegate_id, uuid.uuid4(), receipt, text])
            else:
                cursor.execute(STORE_OPEN_SQL, [voter.round_id, voter.delegate_id, voter.delegate_id, receipt, text])
            return cursor.fetchone() is not None
    with transaction.atomic():
        current = round_for_ballot(voter.round_id)
        if current is None or current.closed_at is not None:
            return False
        VoterRoll.objects.create(round_id=voter.round_id, delegate_id=voter.delegate_id)
        if voter.secret:
            SecretBallot.objects.create(round_id=voter.round_id, receipt=receipt, content=content)
        else:
            OpenBallot.objects.create(round_id=voter.round_id, delegate_id=voter.delegate_id, receipt=receipt,
                                      content=content)
    return True


# An approve item's ballot with the phone's commitment, in one statement (PostgreSQL): the
# voter's delegate row, check-in and open round found, the round locked FOR SHARE, the roll
# entry and the ballot written. No row back: something is missing, and the caller takes the
# step-by-step path to find out what.
APPROVE_BALLOT_SQL = """
WITH v AS (
  SELECT r.id AS round_id, d.id AS delegate_id, i.secret
    FROM democracy_agendaitem i
    JOIN democracy_session s ON s.id = i.session_id
    JOIN democracy_delegate d ON d.term_id = s.term_id AND d.person_id = %(person)s AND d.status = 'active'
    JOIN democracy_votinground r ON r.item_id = i.id AND r.closed_at IS NULL
   WHERE i.id = %(item)s AND i.kind = 'approve'
     AND EXISTS (SELECT 1 FROM democracy_checkin c WHERE c.session_id = i.session_id AND c.delegate_id = d.id)
     FOR SHARE OF r),
roll AS (INSERT INTO democracy_voterroll (round_id, delegate_id)
         SELECT round_id, delegate_id FROM v RETURNING round_id, delegate_id),
secret AS (INSERT INTO democracy_secretballot (id, round_id, receipt, content)
           SELECT %(id)s, roll.round_id, %(receipt)s, %(content)s::jsonb FROM roll JOIN v ON v.secret
           RETURNING round_id),
open AS (INSERT INTO democracy_openballot (round_id, delegate_id, receipt, content, cast_at)
         SELECT roll.round_id, roll.delegate_id, %(receipt)s, %(content)s::jsonb, now() FROM roll JOIN v ON NOT v.secret
         RETURNING round_id)
SELECT round_id FROM roll
"""


def store_approve_ballot(person_id: int | None, item_id: int, receipt: str, content: dict) -> int | None:
    """The round the ballot went into, or None when this one statement could not take it (not
    PostgreSQL, inside a caller's transaction, not an approve item, not a present delegate,
    voting not open). Raises IntegrityError on a second ballot (nothing written)."""
    if not person_id or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(APPROVE_BALLOT_SQL, {
            "person": person_id, "item": item_id, "id": uuid.uuid4(), "receipt": receipt,
            "content": json.dumps(content, ensure_ascii=False, sort_keys=True)})
        row = cursor.fetchone()
    return row[0] if row else None
