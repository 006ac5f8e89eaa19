"""Reads of payment batches, payouts and the payment queue, scoped by the policy: fund officers
and cadres see the batches of the pools of their federation and below; a worker sees only their
own claims and payouts; everyone else gets 404."""

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.mutualaid import rules_payments as rules
from zhigong.mutualaid.models import Claim, PaymentBatch, Payout, Pool


def visible_pools(user) -> QuerySet[Pool]:
    return policy.scoped(user, Pool.objects.all(), "federation")


def payable_pools(user) -> list[Pool]:
    """Pools whose batches this user may make (treasurer over the pool's federation)."""
    return [p for p in visible_pools(user).select_related("federation").order_by("federation__path", "pk")
            if policy.may_organization(user, "fund_pay", p.federation)]


def access_pool(user, pk) -> Pool:
    return policy.access_scoped(user, Pool.objects.select_related("federation"), pk, "federation", what="pool")


def visible_batches(user) -> QuerySet[PaymentBatch]:
    return policy.scoped(user, PaymentBatch.objects.all(), "pool__federation")


def access_batch(user, pk) -> PaymentBatch:
    return policy.access_scoped(user, PaymentBatch.objects.select_related("pool__federation", "created_by"), pk,
                                "pool__federation", what="payment_batch")


def queue(user, pool: Pool) -> QuerySet[Claim]:
    """Approved claims of the pool waiting for a batch (failed payments included, with the
    bank's reason on their last payout). The pool was fetched through access_pool."""
    if not visible_pools(user).filter(pk=pool.pk).exists():
        raise NotFound("pool")
    live = Payout.objects.filter(state__in=rules.LIVE_PAYOUT_STATES).values("claim")
    return (Claim.objects.filter(pool=pool, state__in=rules.PAYABLE_CLAIM_STATES, approved_fen__gt=0)
            .exclude(pk__in=live).select_related("person", "enterprise")
            .prefetch_related(Prefetch("payouts", Payout.objects.filter(state=rules.FAILED).order_by("-pk"),
                                       to_attr="failed_payouts"))
            .order_by("decided_at", "pk"))


def queue_totals_by_pool(pools: list[Pool]) -> dict[int, dict]:
    """Count and total waiting per pool, in one grouped query (the index lists every pool)."""
    live = Payout.objects.filter(state__in=rules.LIVE_PAYOUT_STATES).values("claim")
    rows = (Claim.objects.filter(pool__in=[p.pk for p in pools], state__in=rules.PAYABLE_CLAIM_STATES,
                                 approved_fen__gt=0).exclude(pk__in=live)
            .values("pool").annotate(n=Count("pk"), total=Sum("approved_fen")).values_list("pool", "n", "total"))
    found = {pool: {"count": n, "total_fen": total or 0} for pool, n, total in rows}
    return {p.pk: found.get(p.pk, {"count": 0, "total_fen": 0}) for p in pools}


def queue_totals(claims: QuerySet[Claim]) -> dict:
    figures = claims.aggregate(n=Count("pk"), total=Sum("approved_fen"))
    return {"count": figures["n"] or 0, "total_fen": figures["total"] or 0}


def batches_of(user, pool: Pool | None = None) -> QuerySet[PaymentBatch]:
    qs = visible_batches(user).select_related("pool")
    if pool is not None:
        qs = qs.filter(pool=pool)
    return qs.order_by("-created_at", "-pk")


def payouts_of(batch: PaymentBatch) -> QuerySet[Payout]:
    return batch.payouts.select_related("claim__person", "claim__enterprise").order_by("pk")


def batch_figures(batch: PaymentBatch) -> dict:
    rows = dict(batch.payouts.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    paid = batch.payouts.filter(state=rules.PAID).aggregate(s=Sum("amount_fen"))["s"] or 0
    return {"states": {s: rows.get(s, 0) for s in Payout.State.values}, "paid_fen": paid}


def visible_payouts(user) -> QuerySet[Payout]:
    """A worker's own payouts, and those of the batches the user may see."""
    qs = Payout.objects.all()
    if policy.is_platform_admin(user):
        return qs
    mine = Q(claim__person_id=getattr(user, "person_id", None) or -1)
    return qs.filter(mine | Q(batch__in=visible_batches(user)))


def my_claims(user) -> QuerySet[Claim]:
    """The worker's own claims with every payout, newest first (the phone page)."""
    person_id = getattr(user, "person_id", None) or -1
    return (Claim.objects.filter(person_id=person_id).select_related("version__plan")
            .prefetch_related(Prefetch("payouts", Payout.objects.order_by("-pk")))
            .order_by("-submitted_at", "-pk"))
