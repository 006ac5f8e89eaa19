"""Reads: who sees which book, balances by month range, the trial balance, statements."""

from datetime import date

import pytest

from zhigong.conftest import _user
from zhigong.core.errors import NotFound
from zhigong.core.models import Role
from zhigong.ledger import actions, queries
from zhigong.ledger.rules import credit, debit
from zhigong.ledger.tests.conftest import contribution


@pytest.mark.parametrize("role", [Role.FUND_REVIEWER, Role.FUND_APPROVER, Role.TREASURER, Role.ACTUARY,
                                  Role.AUDITOR, Role.CADRE])
def test_fund_roles_over_the_owner_or_above_see_the_book(books, world, role):
    here = _user(world.admin, f"{role}-a", role, world.county_a)
    above = _user(world.admin, f"{role}-p", role, world.province)
    assert list(queries.visible_books(here)) == [books.a]
    assert set(queries.visible_books(above)) == {books.a, books.b}


def test_others_see_no_book(books, world):
    for user in (world.enterprise_admin, world.worker, world.outsider):
        assert books.a not in queries.visible_books(user)
        with pytest.raises(NotFound):
            queries.access_book(user, books.a.pk)
    assert _user(world.admin, "assessor", Role.ASSESSOR, world.county_a) and \
        not queries.visible_books(world.admin.__class__.objects.get(username="assessor")).exists()


def test_balances_by_month_range(books):
    contribution(books.treasurer, books.a, 1000, day=date(2026, 7, 5))
    contribution(books.treasurer, books.a, 300, day=date(2026, 8, 5))
    actions.post(books.treasurer, books.a, date(2026, 8, 20), "支付", [debit("6401", 200), credit("1002", 200)])
    contribution(books.treasurer, books.a, 50, day=date(2026, 9, 5))
    rows = {r.account.code: r for r in queries.balances(books.a, date(2026, 8, 1), date(2026, 8, 31))}
    bank = rows["1002"]
    assert (bank.opening_fen, bank.debit_fen, bank.credit_fen, bank.closing_fen) == (1000, 300, 200, 1100)
    income = rows["6001"]
    assert (income.natural_opening_fen, income.credit_fen, income.natural_closing_fen) == (1000, 300, 1300)
    assert queries.balance(books.a.accounts.get(code="1002"), until=date(2026, 8, 1)) == 1100
    assert queries.trial_balance(books.a, date(2026, 7, 1)).debit_total_fen == 1000
    full = queries.trial_balance(books.a)
    assert full.balanced and full.debit_total_fen == 1150 + 200


def test_statements_are_scoped(books, world):
    contribution(books.treasurer, books.a, 700, world.enterprise_a.pk, person_id=world.worker_person.pk)
    contribution(world.outsider, books.b, 900, world.enterprise_a.pk)  # county B's pool, same enterprise
    _org, legs = queries.enterprise_statement(world.cadre_a, world.enterprise_a.pk)
    assert sorted(leg.amount_fen for leg in legs) == [-700, 700]  # county B's book is not theirs
    _org, legs = queries.enterprise_statement(world.province_cadre, world.enterprise_a.pk)
    assert len(legs) == 4
    _org, legs = queries.enterprise_statement(world.enterprise_admin, world.enterprise_a.pk)
    assert len(legs) == 4  # the enterprise's own statement, whichever pool
    _person, legs = queries.worker_statement(world.worker, world.worker_person.pk)
    assert [leg.amount_fen for leg in legs] == [-700]
    with pytest.raises(NotFound):
        queries.worker_statement(world.worker, world.person_b.pk)
    with pytest.raises(NotFound):
        queries.enterprise_statement(world.outsider, world.enterprise_a.pk)


def test_entries_for_a_source_and_the_journal(books, world):
    entry = actions.post(books.treasurer, books.a, date(2026, 9, 1), "来源", [("1002", 5), ("6001", -5)],
                         source=("mutualaid.claim", 42))
    assert list(queries.entries_for_source(world.auditor, "mutualaid.claim", 42)) == [entry]
    assert list(queries.entries(world.auditor, books.a, date(2026, 9, 30), "6001")) == [entry]
    assert not queries.entries(world.auditor, books.a, date(2026, 8, 1)).exists()
