"""On PostgreSQL, two treasurers making a batch of the same pool at the same moment, and the
same return file imported twice at once: each claim lands in one batch and is paid once."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum

from zhigong.conftest import build_world
from zhigong.core import bankfiles
from zhigong.core.errors import DomainError
from zhigong.ledger import chart
from zhigong.ledger.models import Entry, Leg
from zhigong.mutualaid import actions_payments as actions
from zhigong.mutualaid.models import Claim, Payout
from zhigong.mutualaid.tests.payments_setup import approved_claim, build_fund
from zhigong.mutualaid.tests.test_claims_concurrency import _at_once as at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fund():
    assert connection.vendor == "postgresql", "this test needs PostgreSQL's row locks"
    fund = build_fund(build_world())
    for i in range(6):
        approved_claim(fund, 10000 + i, f"HZ2026-{i:04d}")
    return fund


def test_two_batches_at_once_never_share_a_claim(fund):
    results = at_once([lambda: actions.create_batch(fund.treasurer, fund.pool)] * 4)
    made = [r for r in results if not isinstance(r, DomainError)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 1 and made[0].count == 6
    assert {r.code for r in refused} == {"payments.nothing_to_pay"}
    assert Payout.objects.count() == 6 == Payout.objects.values("claim").distinct().count()


def test_one_return_file_imported_twice_at_once_pays_once(fund):
    batch = actions.create_batch(fund.treasurer, fund.pool)
    actions.export_batch(fund.treasurer, batch, "csv")
    data = bankfiles.return_template_csv([(p.reference, p.amount_fen, True, "", date(2026, 7, 3))
                                          for p in batch.payouts.all()])
    bank_before = Leg.objects.filter(book=fund.pool.book, account__code=chart.BANK).aggregate(s=Sum("amount_fen"))["s"]
    reports = at_once([lambda: actions.import_return(fund.treasurer, batch, data)] * 2)
    assert sorted((r.paid, r.skipped) for r in reports) == [(0, 6), (6, 0)]
    assert Entry.objects.filter(source_type="mutualaid.payout").count() == 6
    assert set(Claim.objects.values_list("state", flat=True)) == {Claim.State.PAID}
    bank_after = Leg.objects.filter(book=fund.pool.book, account__code=chart.BANK).aggregate(s=Sum("amount_fen"))["s"]
    assert bank_before - bank_after == sum(10000 + i for i in range(6))
