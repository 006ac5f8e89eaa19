"""Locks that guard votes, in one place (Saleor's lock_objects). Always taken in the same
order: the round row first."""

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
