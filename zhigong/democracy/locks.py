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


BIGINT_MAX = 2**63 - 1

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
    the round is open, under its lock. An id no bigint holds is no item (and the databases'
    drivers would refuse it rather than find nothing)."""
    if not person_id or not 0 < item_id <= BIGINT_MAX:
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
