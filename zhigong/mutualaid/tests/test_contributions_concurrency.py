"""Two payments race on one notice on PostgreSQL: the notice row is locked, so the second sees
what the first paid; both are recorded, the notice is paid exactly once and the second's excess
(here all of it) is kept as the enterprise's credit. Then two notices of the enterprise issued at
once never apply the same credit twice: the prepayment accounts are locked."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections
from django.db.models import Sum

from zhigong.ledger import queries as ledger_queries
from zhigong.ledger.models import Leg
from zhigong.mutualaid import actions_contributions as contributions
from zhigong.mutualaid import queries_contributions
from zhigong.mutualaid.ledgering import chart
from zhigong.mutualaid.models import ContributionPayment, Enrolment, Invoice
from zhigong.mutualaid.tests import pools_setup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ISSUED = date(2026, 1, 5)


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    errors = []
    lock = threading.Lock()

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # collected and asserted below: the race must not fail
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(run, calls))
    return results, errors


def _sum(pools, code):
    return sum(Leg.objects.filter(book=p.book, account__code=code).aggregate(s=Sum("amount_fen"))["s"] or 0
               for p in pools)


def test_two_full_payments_at_once_pay_the_notice_once_and_keep_the_rest_as_credit(world):
    fund = pools_setup.build(world)
    invoice = contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    results, errors = _at_once([
        lambda: contributions.record_payment(fund.treasurer, invoice, 15_000, date(2026, 1, 20), "R1"),
        lambda: contributions.record_payment(fund.treasurer, invoice, 15_000, date(2026, 1, 20), "R2"),
    ])
    assert errors == [] and connection.vendor == "postgresql"
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_fen) == (Invoice.State.PAID, 15_000)
    assert sorted(ContributionPayment.objects.values_list("credit_fen", flat=True)) == [0, 15_000]
    pools = (fund.county, fund.city, fund.province)
    assert _sum(pools, chart.RECEIVABLE) == 0 and _sum(pools, chart.PREPAID) == -15_000
    assert all(ledger_queries.trial_balance(p.book).balanced for p in pools)


def test_two_notices_issued_at_once_never_apply_the_same_credit(world):
    fund = pools_setup.build(world)
    invoice = contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)
    contributions.record_payment(fund.treasurer, invoice, 20_000, date(2026, 1, 20))  # 5,000 credit
    second = Enrolment.objects.create(enterprise=world.enterprise_a, union=world.union_a, version=fund.version,
                                      pool=fund.county, starts_on=date(2026, 7, 1), ends_on=date(2027, 6, 30),
                                      region_code="320102")
    for cover in fund.coverages:
        cover.pk = None
        cover.enrolment, cover.starts_on, cover.ends_on = second, date(2026, 7, 1), date(2027, 6, 30)
        cover.save()
    _results, errors = _at_once([
        lambda: contributions.issue_invoice(fund.treasurer, fund.enrolment, date(2026, 7, 1), day=date(2026, 7, 1)),
        lambda: contributions.issue_invoice(fund.treasurer, second, day=date(2026, 7, 1)),
    ])
    assert errors == []
    applied = sorted(Invoice.objects.filter(period_start=date(2026, 7, 1)).values_list("credit_applied_fen", flat=True))
    assert applied == [0, 5_000]
    assert queries_contributions.enterprise_credit_fen(world.enterprise_a.pk, fund.county) == 0
    assert _sum((fund.county, fund.city, fund.province), chart.PREPAID) == 0
