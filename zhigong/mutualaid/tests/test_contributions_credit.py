"""Overpayment kept as the enterprise's credit: a payment above what a notice owes (by hand, from
a bank statement, or on a notice already paid) is recorded whole; the excess is posted as 2203
预收缴费 (party the enterprise) in the pools' books, shown on the notice and the enterprise's
statement of account, and applied automatically to the enterprise's next notice (上期结余抵扣,
Dr 2203 / Cr 1122). Every book stays balanced and every pool's receivable settles to the fen."""

from datetime import date

import pytest
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from zhigong.ledger import queries as ledger_queries
from zhigong.ledger.models import Leg
from zhigong.mutualaid import actions_contributions as contributions
from zhigong.mutualaid import queries_contributions
from zhigong.mutualaid import rules_contributions as rules
from zhigong.mutualaid.ledgering import chart
from zhigong.mutualaid.models import Invoice
from zhigong.mutualaid.tests import pools_setup

ISSUED = date(2026, 1, 5)
JULY = date(2026, 7, 1)


@given(amount=st.integers(1, 10**7), before=st.integers(0, 10**6),
       dues=st.lists(st.integers(0, 10**6), min_size=1, max_size=3), weights=st.lists(st.integers(1, 1000), min_size=3,
                                                                                  max_size=3))
def test_split_payment_adds_up_and_never_overpays_a_pool(amount, before, dues, weights):
    weights = weights[:len(dues)]
    before = min(before, sum(dues))
    split = rules.split_payment(amount, before, dues, weights)
    assert split.applied_fen + split.credit_fen == amount
    assert sum(split.to_notice) == split.applied_fen and sum(split.to_credit) == split.credit_fen
    assert split.applied_fen == min(amount, sum(dues) - before)
    received = rules.allocate(before, dues) if sum(dues) else [0] * len(dues)
    assert all(r + n <= d for r, n, d in zip(received, split.to_notice, dues, strict=True))


def test_apply_credit_takes_what_each_pool_holds_up_to_its_part():
    assert rules.apply_credit([3_500, 1_000, 500], [10_500, 3_000, 1_500]) == [3_500, 1_000, 500]
    assert rules.apply_credit([20_000, 0, 900], [10_500, 3_000, 1_500]) == [10_500, 0, 900]


@pytest.fixture
def fund(world):
    return pools_setup.build(world)


@pytest.fixture
def invoice(fund):
    return contributions.issue_invoice(fund.treasurer, fund.enrolment, day=ISSUED)


def _sum(pool, code, **party):
    return Leg.objects.filter(book=pool.book, account__code=code, **party).aggregate(s=Sum("amount_fen"))["s"] or 0


def _pools(fund):
    return (fund.county, fund.city, fund.province)


def _balanced(fund):
    assert all(ledger_queries.trial_balance(p.book).balanced for p in _pools(fund))


def _credit(fund):
    return queries_contributions.enterprise_credit_fen(fund.world.enterprise_a.pk, fund.county)


def test_overpaying_by_hand_keeps_the_excess_as_credit(invoice, fund):
    payment = contributions.record_payment(fund.treasurer, invoice, 20_000, date(2026, 1, 20), "B1", "玄武机械")
    invoice.refresh_from_db()
    assert (payment.amount_fen, payment.credit_fen) == (20_000, 5_000)
    assert (invoice.state, invoice.paid_fen, contributions.owed_fen(invoice)) == (Invoice.State.PAID, 15_000, 0)
    assert [_sum(p, chart.RECEIVABLE) for p in _pools(fund)] == [0, 0, 0]
    # the excess is shared 70/20/10 like the money itself, as the enterprise's credit
    org = {"party_organization": fund.world.enterprise_a}
    assert [_sum(p, chart.PREPAID, **org) for p in _pools(fund)] == [-3_500, -1_000, -500]
    assert _credit(fund) == 5_000
    _balanced(fund)


def test_a_payment_on_a_notice_already_paid_is_kept_whole_as_credit(invoice, fund):
    contributions.record_payment(fund.treasurer, invoice, 15_000, date(2026, 1, 20))
    again = contributions.record_payment(fund.treasurer, invoice, 15_000, date(2026, 1, 21))
    invoice.refresh_from_db()
    assert again.credit_fen == 15_000 and invoice.paid_fen == 15_000 and _credit(fund) == 15_000
    _balanced(fund)


def test_the_credit_is_applied_to_the_next_notice(invoice, fund, login):
    contributions.record_payment(fund.treasurer, invoice, 20_000, date(2026, 1, 20))
    following = contributions.issue_invoice(fund.treasurer, fund.enrolment, JULY, day=JULY)
    assert following.total_fen - following.union_fen == 15_000
    assert (following.credit_applied_fen, following.paid_fen, following.state) == (5_000, 5_000, Invoice.State.PARTIAL)
    assert contributions.owed_fen(following) == 10_000 and _credit(fund) == 0
    assert [p["credit_fen"] for p in following.basis["pools"]] == [3_500, 1_000, 500]
    page = login(fund.treasurer).get(f"/mutualaid/invoices/{following.pk}/").content.decode()
    assert "上期结余抵扣" in page and "50.00" in page
    # the rest in two instalments settles every pool's receivable exactly
    contributions.record_payment(fund.treasurer, following, 3_333, JULY)
    contributions.record_payment(fund.treasurer, following, 6_667, JULY)
    following.refresh_from_db()
    assert following.state == Invoice.State.PAID
    assert [_sum(p, chart.RECEIVABLE) for p in _pools(fund)] == [0, 0, 0]
    assert [_sum(p, chart.PREPAID) for p in _pools(fund)] == [0, 0, 0]
    _balanced(fund)


def test_a_credit_larger_than_the_next_notice_pays_it_and_the_rest_stays(invoice, fund):
    contributions.record_payment(fund.treasurer, invoice, 40_000, date(2026, 1, 20))
    following = contributions.issue_invoice(fund.treasurer, fund.enrolment, JULY, day=JULY)
    assert (following.state, following.credit_applied_fen) == (Invoice.State.PAID, 15_000)
    assert _credit(fund) == 10_000
    _balanced(fund)


def test_the_notice_page_pdf_and_api_show_the_credit(invoice, fund, login, client):
    contributions.record_payment(fund.treasurer, invoice, 20_000, date(2026, 1, 20))
    treasurer = login(fund.treasurer)
    page = treasurer.get(f"/mutualaid/invoices/{invoice.pk}/").content.decode()
    assert "企业结余（抵扣下期）" in page and "其中转为企业结余" in page
    assert treasurer.get(f"/mutualaid/invoices/{invoice.pk}/pdf/").content.startswith(b"%PDF")
    detail = treasurer.get(f"/api/v1/mutualaid/invoices/{invoice.pk}").json()
    assert detail["enterprise_credit_fen"] == 5_000 and detail["payments"][0]["credit_fen"] == 5_000


def test_the_enterprise_statement_shows_the_credit(invoice, fund, login):
    contributions.record_payment(fund.treasurer, invoice, 20_000, date(2026, 1, 20))
    world = fund.world
    _org, legs = ledger_queries.enterprise_statement(world.enterprise_admin, world.enterprise_a.pk)
    totals = {(t["book__name"], t["account__code"]): t for t in ledger_queries.statement_totals(legs)}
    assert sum(-t["net"] for (_b, code), t in totals.items() if code == chart.PREPAID) == 5_000
    page = login(world.enterprise_admin).get(f"/ledger/organizations/{world.enterprise_a.pk}/statement/")
    assert page.status_code == 200 and "预收缴费" in page.content.decode() and "多缴部分转为企业结余" in page.content.decode()


def _csv(rows):
    return ("\n".join(["交易日期,流水号,付款人,金额（元）,附言", *rows]) + "\n").encode("utf-8-sig")


def test_an_overpaid_statement_line_is_kept_as_credit(invoice, fund):
    data = _csv([f"2026-01-20,S1,玄武机械,120.00,{invoice.number}", f"2026-01-21,S2,玄武机械,50.00,{invoice.number}"])
    result = contributions.import_statement(fund.treasurer, data, "s.csv")
    assert result.statement.clean
    assert [(r.amount_fen, r.credit_fen) for r in result.statement.rows] == [(12_000, 0), (5_000, 2_000)]
    assert [p.credit_fen for p in result.payments] == [0, 2_000]
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID and _credit(fund) == 2_000
    again = contributions.import_statement(fund.treasurer, data, "s.csv")
    assert not again.payments and _credit(fund) == 2_000  # the same statement again records nothing twice
    _balanced(fund)
