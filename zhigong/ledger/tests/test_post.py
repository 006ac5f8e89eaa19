"""Posting: balanced entries of two or more legs in integer fen, idempotent on a key, refused
for outsiders, unknown accounts and parties; a trail event for each."""

from datetime import date
from decimal import Decimal

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.ledger import actions, queries, rules
from zhigong.ledger.models import Entry, Leg
from zhigong.ledger.rules import credit, debit
from zhigong.ledger.tests.conftest import DAY, contribution
from zhigong.trail.models import Event


def test_it_posts_a_balanced_entry_with_a_trail_event(books, world):
    entry = contribution(books.treasurer, books.a, 8000, world.enterprise_a.pk)
    assert entry.period == date(2026, 10, 1)
    assert sorted(entry.legs.values_list("account__code", "amount_fen")) == [("1002", 8000), ("6001", -8000)]
    assert Event.objects.filter(verb="ledger.post", object_id=str(entry.pk)).exists()
    assert queries.balance(books.a.accounts.get(code="1002")) == 8000
    assert queries.balance(books.a.accounts.get(code="6001")) == 8000


@pytest.mark.parametrize("legs, code", [
    ([("1002", 100)], "ledger.too_few_legs"),
    ([("1002", 100), ("6001", -99)], "ledger.unbalanced"),
    ([("1002", 100.0), ("6001", -100.0)], "ledger.amount"),
    ([("1002", Decimal(1)), ("6001", Decimal(-1))], "ledger.amount"),
    ([("1002", True), ("6001", -1)], "ledger.amount"),
    ([("1002", 0), ("6001", 0)], "ledger.zero_leg"),
    ([("1002", 5), ("9999", -5)], "ledger.account"),
    ([("1002", 10**16), ("6001", -10**16)], "ledger.amount"),
    ([rules.Line("1002", 5, organization_id=2**63), rules.Line("6001", -5)], "ledger.party"),
    ([rules.Line("1002", 5, person_id=-1), rules.Line("6001", -5)], "ledger.party"),
    ([("1002", 5)] * 0 + ["x", "y"], "ledger.legs"),
])
def test_it_refuses_bad_legs_and_writes_nothing(books, legs, code):
    with pytest.raises(DomainError) as raised:
        actions.post(books.treasurer, books.a, DAY, "坏凭证", legs)
    assert raised.value.code == code
    assert not Entry.objects.exists() and not Leg.objects.exists()


def test_debit_and_credit_want_positive_integer_fen():
    with pytest.raises(ValueError):
        debit("1002", -1)
    with pytest.raises(ValueError):
        credit("1002", 1.5)


def test_it_is_idempotent_on_the_key(books):
    first = contribution(books.treasurer, books.a, 500, key="inv-1")
    again = contribution(books.treasurer, books.a, 500, key="inv-1")
    assert again.pk == first.pk and Entry.objects.count() == 1
    with pytest.raises(DomainError) as raised:
        contribution(books.treasurer, books.a, 501, key="inv-1")
    assert raised.value.code == "ledger.key_reused"
    # Keys are per book.
    assert contribution(books.treasurer, books.b.__class__.objects.get(pk=books.a.pk), 500, key="inv-1").pk == first.pk


def test_the_same_key_in_another_book_is_another_entry(books, world):
    contribution(books.treasurer, books.a, 500, key="k")
    other = contribution(world.outsider, books.b, 500, key="k")
    assert other.book == books.b and Entry.objects.count() == 2


def test_an_outsider_may_not_post_into_county_a(books, world):
    with pytest.raises(PermissionDenied):
        contribution(world.outsider, books.a, 500)
    with pytest.raises(PermissionDenied):
        contribution(world.auditor, books.a, 500)
    with pytest.raises(PermissionDenied):
        contribution(world.enterprise_admin, books.a, 500)


def test_unknown_parties_are_refused(books):
    with pytest.raises(DomainError) as raised:
        contribution(books.treasurer, books.a, 500, enterprise_id=10**9)
    assert raised.value.code == "ledger.party"


def test_the_source_is_recorded(books, world):
    entry = actions.post(books.treasurer, books.a, DAY, "缴费", [debit("1002", 1), credit("6001", 1)],
                         source=world.enterprise_a)
    assert (entry.source_type, entry.source_id) == ("core.organization", str(world.enterprise_a.pk))
    assert list(queries.entries_for_source(world.cadre_a, "core.organization", world.enterprise_a.pk)) == [entry]
    assert list(queries.entries_for_source(world.outsider, "core.organization", world.enterprise_a.pk)) == []


def test_only_federations_open_books_and_opening_is_idempotent(world):
    with pytest.raises(DomainError):
        actions.open_book(world.admin, world.enterprise_a, "企业账")
    with pytest.raises(PermissionDenied):
        actions.open_book(world.outsider, world.county_a, "越权")
    book = actions.open_book(world.cadre_a, world.county_a, "县级池", code="p1")
    assert actions.open_book(world.cadre_a, world.county_a, "县级池", code="p1").pk == book.pk
    assert book.accounts.count() == 11 and book.region_id == "320102"


def test_legs_may_name_account_rows(books):
    bank, income = books.a.accounts.get(code="1002"), books.a.accounts.get(code="6001")
    entry = actions.post(books.treasurer, books.a, DAY, "按科目对象", [debit(bank, 7), credit(income, 7)])
    assert sorted(entry.legs.values_list("account__code", "amount_fen")) == [("1002", 7), ("6001", -7)]
    pairs = actions.post(books.treasurer, books.a, DAY, "按二元组", [(bank, 3), (income, -3)])
    assert pairs.legs.count() == 2


def test_another_apps_action_may_post_on_its_own_authority_and_the_trail_says_so(books, world):
    """A fund's action that checked its own policy posts the consequence into a pool its
    officer holds no ledger grant over (the upper pool's share), naming the step."""
    with pytest.raises(PermissionDenied):
        contribution(books.treasurer, books.b, 100)
    entry = actions.post(books.treasurer, books.b, DAY, "市级分成", [debit("1122", 100), credit("6001", 100)],
                         authorised_by="mutualaid.notice")
    event = Event.objects.get(verb="ledger.post", object_id=str(entry.pk))
    assert event.actor_id == books.treasurer.pk and '"authorised_by":"mutualaid.notice"' in bytes(event.leaf).decode()
