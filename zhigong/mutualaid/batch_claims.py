"""Adjudicating many claims at once (e.g. after a plan's rule rows were corrected, or the nightly
refresh of the officer queue): facts read by columns a chunk at a time (facts_claims.load_many),
the same rules_claims.adjudicate as the single-claim action, results written back with one
executemany per chunk and one trail event for the whole run with the digest of what it wrote.

Only the preview (computed amount and explanation) is written: approval stays one claim at a
time under its coverage lock, because it moves money."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import PermissionDenied
from zhigong.mutualaid import facts_claims
from zhigong.mutualaid.models import Claim

CHUNK = facts_claims.CHUNK


@dataclass(frozen=True)
class BatchResult:
    adjudicated: int
    payable: int
    total_fen: int
    digest: str


def reviewable(actor) -> Q:
    """Claims whose enterprise lies under the actor's fund-review grants (what adjudicate_claim
    would accept for a fund officer)."""
    if policy.is_platform_admin(actor):
        return Q()
    paths = [s.path for s in policy.grants(actor) if "fund_review" in policy.ROLE_ACTIONS.get(s.role, set())]
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(enterprise__path__startswith=path)
    return q


def adjudicate_claims(actor, claim_ids: Iterable[int]) -> BatchResult:
    """Compute every claim again; refuses the whole run when one claim is not the actor's to review."""
    ids = sorted(set(claim_ids))
    allowed = set(Claim.objects.filter(reviewable(actor), pk__in=ids).values_list("pk", flat=True)) if ids else set()
    if len(allowed) != len(ids):
        raise PermissionDenied("claim_review")
    hasher, payable, total = hashlib.sha256(), 0, 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            facts = facts_claims.load_many(ids[start:start + CHUNK])
            rows = []
            for claim_id in sorted(facts):
                result = facts_claims.adjudicate(facts[claim_id])
                explanation = json.dumps(result.explanation(), ensure_ascii=False)
                rows.append((result.amount_fen, explanation, claim_id))
                hasher.update(f"{claim_id}:{result.amount_fen}\n".encode())
                payable += result.payable
                total += result.amount_fen
            _write(rows)
        digest = hasher.hexdigest()
        trail.record(actor, "claim.adjudicate_batch", ("mutualaid.claim", 0),
                     {"claims": len(ids), "payable": payable, "total_fen": total, "digest": digest})
    return BatchResult(len(ids), payable, total, digest)


def _write(rows: list[tuple]) -> None:
    table = Claim._meta.db_table
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET computed_fen = %s, explanation = %s{cast} WHERE id = %s", rows)
