"""Ballot content: validation per kind of item, canonical form, commitments and receipts.
Pure functions over plain data, shared by the single vote and the tallies."""

import hashlib
import re
import secrets

from zhigong.democracy import rules
from zhigong.trail.canonical import canonical_json

COMMITMENT = re.compile(r"^[0-9a-f]{64}$")


class BallotError(ValueError):
    pass


def clean_content(kind: str, content: dict, candidates: list[int], seats: int) -> dict:
    """The one accepted shape of a ballot for each kind of item."""
    if not isinstance(content, dict):
        raise BallotError("ballot.shape")
    if kind == "approve":
        choice = content.get("choice")
        if choice not in rules.CHOICES:
            raise BallotError("ballot.choice")
        return {"choice": choice}
    if kind == "elect":
        approved = content.get("approve")
        if not isinstance(approved, list) or not all(isinstance(c, int) for c in approved):
            raise BallotError("ballot.shape")
        if not rules.ballot_is_valid(approved, candidates, seats):
            raise BallotError("ballot.too_many" if len(set(approved)) > seats else "ballot.candidates")
        return {"approve": sorted(approved)}
    if kind == "appraise":
        ratings = content.get("ratings")
        if not isinstance(ratings, dict) or not ratings:
            raise BallotError("ballot.shape")
        clean = {}
        for subject, grade in ratings.items():
            if not str(subject).isdigit() or int(subject) not in candidates or grade not in rules.GRADES:
                raise BallotError("ballot.ratings")
            clean[str(int(subject))] = grade
        return {"ratings": clean}
    raise BallotError("ballot.no_vote")


def commitment_for(round_id: int, content: dict, salt: str) -> str:
    """SHA-256 over the round, the ballot and a salt; the voter's phone computes the same."""
    message = b"zhigong-ballot-v1|%d|" % round_id + canonical_json(content) + b"|" + salt.encode()
    return hashlib.sha256(message).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def tally(kind: str, contents: list[dict], candidates: list[int], seats: int, delegates: int,
          present: int, majority: rules.Share) -> dict:
    """The result of a round from its ballots, in the form stored and published."""
    threshold = rules.pass_threshold(delegates, majority)
    base = {"kind": kind, "delegates": delegates, "present": present, "cast": len(contents),
            "threshold": threshold}
    if kind == "approve":
        t = rules.tally_choices([c["choice"] for c in contents], delegates, present, majority)
        return {**base, "yes": t.yes, "no": t.no, "abstain": t.abstain, "passed": t.passed}
    if kind == "elect":
        votes = rules.tally_approvals([c["approve"] for c in contents], candidates)
        outcome = rules.election_round(votes, seats, threshold)
        return {**base, "seats": seats, "votes": {str(k): v for k, v in votes.items()},
                "elected": outcome.elected, "runoff": outcome.runoff, "runoff_seats": outcome.runoff_seats,
                "next_round": outcome.next_round, "next_round_seats": outcome.next_round_seats}
    ratings = rules.tally_ratings([c["ratings"] for c in contents], candidates)
    return {**base, "ratings": {str(k): v for k, v in ratings.items()}}
