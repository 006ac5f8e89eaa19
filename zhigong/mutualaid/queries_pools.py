"""Reads of pools and their transfers, scoped by the policy: a pool is seen by whoever sees its
federation (cadres, fund officers and auditors over it or above it)."""

from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Sum, When

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Organization
from zhigong.ledger.models import Leg
from zhigong.mutualaid import ledgering
from zhigong.mutualaid.ledgering import chart
from zhigong.mutualaid.models import Plan, Pool, PoolTransfer


def visible_pools(user) -> QuerySet[Pool]:
    return policy.scoped(user, Pool.objects.select_related("federation", "parent", "book"), "federation")


def access_pool(user, pk, action: str = "view") -> Pool:
    return policy.access_scoped(user, visible_pools(user), pk, "federation", action, "pool")


def visible_transfers(user) -> QuerySet[PoolTransfer]:
    """Transfers into or out of a pool the user sees."""
    pools = visible_pools(user).values("pk")
    return (PoolTransfer.objects.filter(target__in=pools) | PoolTransfer.objects.filter(source__in=pools)).distinct() \
        .select_related("source", "target", "claim").order_by("-created_at", "-pk")


def access_transfer(user, pk) -> PoolTransfer:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("transfer") from None
    found = visible_transfers(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("transfer")
    return found


def pool_for(enterprise: Organization, plan: Plan) -> Pool | None:
    """The lowest pool covering `plan` among the federations above the enterprise: where its
    claims are paid from and its contributions first booked."""
    ids = [int(x) for x in enterprise.path.strip("/").split("/")]
    pools = Pool.objects.filter(federation_id__in=ids, plans=plan).select_related("federation")
    return max(pools, key=lambda p: len(p.federation.path), default=None)


def available_fen(pool: Pool) -> int:
    return ledgering.available_fen(pool.book)


def _sum_when(**condition) -> Sum:
    return Sum(Case(When(then="amount_fen", **condition), default=0, output_field=IntegerField()))


def monthly(pool: Pool, start: date | None = None) -> list[dict]:
    """Per month of the pool's book: inflows and outflows of the bank account, transfers in and
    out, and the bank balance at the month's end (for the charts)."""
    if pool.book is None:
        return []
    legs = Leg.objects.filter(book=pool.book)
    rows = (legs.filter(account__code=chart.BANK).values("period")
            .annotate(inflow=_sum_when(amount_fen__gt=0), outflow=_sum_when(amount_fen__lt=0)).order_by("period"))
    moves = {r["period"]: r for r in legs.filter(account__code__in=[chart.TRANSFERS_IN, chart.TRANSFERS_OUT])
             .values("period").annotate(t_in=_sum_when(account__code=chart.TRANSFERS_IN),
                                        t_out=_sum_when(account__code=chart.TRANSFERS_OUT))}
    series, balance = [], 0
    for row in rows:
        balance += row["inflow"] + row["outflow"]
        move = moves.get(row["period"], {})
        if start and row["period"] < start:
            continue
        series.append({"month": row["period"].strftime("%Y-%m"), "inflow_fen": row["inflow"],
                       "outflow_fen": -row["outflow"], "balance_fen": balance,
                       "transfer_in_fen": -(move.get("t_in") or 0), "transfer_out_fen": move.get("t_out") or 0})
    return series


def figures(pool: Pool) -> dict:
    """Balances of the pool now: bank, receivable, claims payable, available."""
    if pool.book is None:
        return {"bank_fen": 0, "receivable_fen": 0, "payable_fen": 0, "available_fen": 0}
    codes = [chart.BANK, chart.RECEIVABLE, chart.CLAIMS_PAYABLE]
    sums = dict(Leg.objects.filter(book=pool.book, account__code__in=codes)
                .values_list("account__code").annotate(s=Sum("amount_fen")))
    bank, receivable = sums.get(chart.BANK, 0), sums.get(chart.RECEIVABLE, 0)
    payable = -sums.get(chart.CLAIMS_PAYABLE, 0)
    return {"bank_fen": bank, "receivable_fen": receivable, "payable_fen": payable, "available_fen": bank - payable}
