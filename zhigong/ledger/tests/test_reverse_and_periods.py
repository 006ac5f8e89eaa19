"""A correction is a reversal that points to what it reverses, once; a closed month takes no
posting, whether one at a time, in a batch, or as a reversal."""

from datetime import date

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.ledger import actions, queries
from zhigong.ledger.models import Entry, Period
from zhigong.ledger.tests.conftest import DAY, contribution
from zhigong.trail.models import Event


def test_a_reversal_negates_every_leg_and_points_back(books, world):
    entry = contribution(books.treasurer, books.a, 8000, world.enterprise_a.pk)
    reversal = actions.reverse(books.treasurer, entry, "重复入账", day=date(2026, 10, 20))
    assert reversal.reverses == entry and queries.reversal_of(entry) == reversal
    assert sorted(reversal.legs.values_list("account__code", "amount_fen", "party_organization_id")) == [
        ("1002", -8000, world.enterprise_a.pk), ("6001", 8000, world.enterprise_a.pk)]
    assert queries.balance(books.a.accounts.get(code="1002")) == 0
    assert "重复入账" in reversal.memo
    assert Event.objects.filter(verb="ledger.reverse", object_id=str(reversal.pk)).exists()


def test_an_entry_is_reversed_once_and_a_reversal_not_at_all(books):
    entry = contribution(books.treasurer, books.a, 100)
    reversal = actions.reverse(books.treasurer, entry, "错账", day=DAY)
    for target, code in ((entry, "ledger.already_reversed"), (reversal, "ledger.reverse_reversal")):
        with pytest.raises(DomainError) as raised:
            actions.reverse(books.treasurer, target, "再冲", day=DAY)
        assert raised.value.code == code
    assert Entry.objects.count() == 2


def test_a_reversal_needs_a_reason_and_the_right(books, world):
    entry = contribution(books.treasurer, books.a, 100)
    with pytest.raises(DomainError) as raised:
        actions.reverse(books.treasurer, entry, "  ", day=DAY)
    assert raised.value.field == "reason"
    with pytest.raises(PermissionDenied):
        actions.reverse(world.auditor, entry, "审计", day=DAY)


def test_a_closed_month_refuses_every_kind_of_posting(books):
    entry = contribution(books.treasurer, books.a, 100)
    period = actions.close_period(books.treasurer, books.a, date(2026, 10, 31))
    assert period.month == date(2026, 10, 1) and actions.is_closed(books.a, DAY)
    for attempt in (lambda: contribution(books.treasurer, books.a, 100),
                    lambda: actions.reverse(books.treasurer, entry, "结账后冲销", day=date(2026, 10, 31)),
                    lambda: actions.post_many(books.treasurer, books.a, [
                        actions.Draft(DAY, "批量", [("1002", 1), ("6001", -1)])])):
        with pytest.raises(DomainError) as raised:
            attempt()
        assert raised.value.code == "ledger.period_closed"
    # The correction goes into an open month and points back across the closed one.
    reversal = actions.reverse(books.treasurer, entry, "次月冲销", day=date(2026, 11, 2))
    assert reversal.period == date(2026, 11, 1)
    assert queries.balance(books.a.accounts.get(code="1002"), until=date(2026, 10, 1)) == 100
    assert queries.balance(books.a.accounts.get(code="1002")) == 0


def test_closing_is_final_and_only_for_months_that_ended(books, world):
    actions.close_period(books.treasurer, books.a, date(2026, 9, 1))
    with pytest.raises(DomainError) as raised:
        actions.close_period(books.treasurer, books.a, date(2026, 9, 1))
    assert raised.value.code == "ledger.period_closed"
    with pytest.raises(DomainError) as raised:
        actions.close_period(books.treasurer, books.a, date(2999, 1, 1))
    assert raised.value.code == "ledger.period_not_over"
    with pytest.raises(PermissionDenied):
        actions.close_period(world.auditor, books.a, date(2026, 8, 1))
    assert Period.objects.count() == 1
    # Another book's month stays open.
    assert contribution(world.outsider, books.b, 5, day=date(2026, 9, 3)).period == date(2026, 9, 1)
