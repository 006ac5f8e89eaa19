"""Locks that guard votes, in one place (Saleor's lock_objects). Always taken in the same
order: the round row first."""

from dataclasses import dataclass

from django.db import connection

from zhigong.democracy.models import VotingRound


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
    the slow path, to answer with the right refusal. Runs inside the ballot's transaction."""
    if not person_id:
        return None
    sql = VOTER_SQL + (" FOR SHARE OF r" if connection.vendor == "postgresql" else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, item_id])
        row = cursor.fetchone()
    if row is None:
        return None
    item, kind, secret, round_id, seats, delegate, present = row
    return Voter(item, kind, bool(secret), round_id, seats, delegate, bool(present))
