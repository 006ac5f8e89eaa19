"""Any sequence of batch making, exporting and bank answers (hypothesis): no claim is ever paid
twice, a claim has at most one live payout, the bank went down by exactly what was paid, claims
payable holds exactly what is approved and not yet paid, every book balances, and an answer that
is refused changes nothing."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhigong.core import bankfiles
from zhigong.core.errors import DomainError
from zhigong.ledger import chart
from zhigong.ledger.models import Leg
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid.models import Claim, PaymentBatch, Payout
from zhigong.mutualaid.tests.payments_setup import approved_claim, build_fund

AMOUNTS = [35000, 12000, 450000, 2000, 99999]
step = st.one_of(
    st.tuples(st.just("batch"), st.lists(st.integers(0, 4), max_size=5)),
    st.tuples(st.just("export"), st.integers(0, 5)),
    # For a batch: per payout, None (left out of the file), True (paid) or False (failed).
    st.tuples(st.just("answer"), st.integers(0, 5), st.lists(st.one_of(st.none(), st.booleans()), max_size=5)),
)


def _bank(fund) -> int:
    return Leg.objects.filter(book=fund.pool.book, account__code=chart.BANK).aggregate(s=Sum("amount_fen"))["s"]


def _payable(fund) -> int:
    total = Leg.objects.filter(book=fund.pool.book, account__code=chart.CLAIMS_PAYABLE).aggregate(s=Sum("amount_fen"))
    return -(total["s"] or 0)


def _nth(items, n):
    return items[n % len(items)] if items else None


def apply(fund, step_, claims) -> None:
    kind = step_[0]
    batches = list(PaymentBatch.objects.order_by("pk"))
    before = list(Payout.objects.order_by("pk").values_list("pk", "state")), _bank(fund)
    try:
        if kind == "batch":
            chosen = sorted({claims[i].pk for i in step_[1]}) or None
            actions.create_batch(fund.treasurer, fund.pool, chosen)
        elif kind == "export" and batches:
            actions.export_batch(fund.treasurer, _nth(batches, step_[1]), "csv")
        elif kind == "answer" and batches:
            batch = _nth(batches, step_[1])
            rows = [(p.reference, p.amount_fen, paid, "" if paid else "账号不存在", date(2026, 7, 3))
                    for p, paid in zip(batch.payouts.order_by("pk"), step_[2], strict=False) if paid is not None]
            if rows:
                actions.import_return(fund.treasurer, batch, bankfiles.return_template_csv(rows))
    except DomainError as error:
        assert error.code in ("payments.nothing_to_pay", "payments.nothing_to_export", "payments.return_rows")
        assert (list(Payout.objects.order_by("pk").values_list("pk", "state")), _bank(fund)) == before


def check(fund, bank_before: int, approved_total: int) -> None:
    assert not Payout.objects.values("claim").annotate(
        paid=Count("pk", filter=Q(state="paid"))).filter(paid__gt=1).exists()
    assert not Payout.objects.exclude(state="failed").values("claim").annotate(n=Count("pk")).filter(n__gt=1).exists()
    paid = Payout.objects.filter(state="paid").aggregate(s=Sum("amount_fen"))["s"] or 0
    assert bank_before - _bank(fund) == paid
    assert _payable(fund) == approved_total - paid
    assert Leg.objects.filter(book=fund.pool.book).aggregate(s=Sum("amount_fen"))["s"] == 0
    assert Claim.objects.filter(state=Claim.State.PAID).count() == Payout.objects.filter(state="paid").count()
    for claim in Claim.objects.all():
        live = claim.payouts.exclude(state="failed").first()
        expected = {None: {"approved", "payment_failed"}, "pending": {"in_batch"}, "exported": {"in_batch"},
                    "paid": {"paid"}}[live.state if live else None]
        assert claim.state in expected, (claim.state, live and live.state)


@pytest.fixture
def fund(world):
    return build_fund(world)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=10))
@pytest.mark.django_db
def test_no_sequence_pays_a_claim_twice(fund, steps):
    with transaction.atomic():
        claims = [approved_claim(fund, fen, f"HZP-{i}") for i, fen in enumerate(AMOUNTS)]
        bank_before = _bank(fund)
        for s in steps:
            apply(fund, s, claims)
            check(fund, bank_before, sum(AMOUNTS))
        transaction.set_rollback(True)
