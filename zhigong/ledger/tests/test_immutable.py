"""Posted entries and legs never change: the models refuse, and so does the database (triggers
on both vendors; on PostgreSQL also the balance check at commit and the refusal of DELETE)."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from zhigong.ledger import actions
from zhigong.ledger.models import Entry, ImmutableError, Leg
from zhigong.ledger.tests.conftest import DAY, contribution


def test_the_models_refuse_change_and_delete(books):
    entry = contribution(books.treasurer, books.a, 100)
    leg = entry.legs.first()
    leg.amount_fen = 1
    for attempt in (leg.save, leg.delete, entry.save, entry.delete,
                    lambda: Leg.objects.filter(pk=leg.pk).update(amount_fen=5),
                    lambda: Leg.objects.filter(pk=leg.pk).delete(),
                    lambda: Entry.objects.all().delete()):
        with pytest.raises(ImmutableError):
            attempt()
    assert sorted(entry.legs.values_list("amount_fen", flat=True)) == [-100, 100]


def _refused(sql, params):
    """The statement fails, or (PostgreSQL's deferred checks) the commit that would follow it:
    SET CONSTRAINTS ALL IMMEDIATE runs now what COMMIT would run."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_updates_of_legs_and_entries(books):
    entry = contribution(books.treasurer, books.a, 100)
    _refused("UPDATE ledger_leg SET amount_fen = amount_fen * 2 WHERE entry_id = %s", [entry.pk])
    _refused("UPDATE ledger_entry SET memo = 'x' WHERE id = %s", [entry.pk])
    actions.close_period(books.treasurer, books.a, date(2026, 9, 1))
    _refused("UPDATE ledger_period SET month = '2026-08-01' WHERE book_id = %s", [books.a.pk])
    assert sorted(entry.legs.values_list("amount_fen", flat=True)) == [-100, 100]


def test_the_database_refuses_a_leg_on_another_books_account(books):
    entry = contribution(books.treasurer, books.a, 100)
    foreign = books.b.accounts.get(code="1002")
    _refused("INSERT INTO ledger_leg (entry_id, book_id, period, account_id, amount_fen) VALUES (%s, %s, %s, %s, 1)",
             [entry.pk, books.a.pk, entry.period, foreign.pk])
    _refused("INSERT INTO ledger_leg (entry_id, book_id, period, account_id, amount_fen) VALUES (%s, %s, %s, %s, 1)",
             [entry.pk, books.a.pk, date(2020, 1, 1), books.a.accounts.get(code="1002").pk])


def test_the_database_refuses_an_entry_in_a_closed_month(books):
    actions.close_period(books.treasurer, books.a, DAY)
    _refused("INSERT INTO ledger_entry (book_id, day, period, posted_at, memo, source_type, source_id, region_code)"
             " VALUES (%s, %s, %s, CURRENT_TIMESTAMP, 'x', '', '', %s)",
             [books.a.pk, DAY, date(2026, 10, 1), books.a.region_id])


@pytest.mark.postgres
def test_postgres_refuses_deletes(books):
    entry = contribution(books.treasurer, books.a, 100)
    _refused("DELETE FROM ledger_leg WHERE entry_id = %s", [entry.pk])
    _refused("DELETE FROM ledger_entry WHERE id = %s", [entry.pk])


@pytest.mark.postgres
@pytest.mark.parametrize("amounts", [[100, -99], [100], []])
def test_postgres_refuses_an_unbalanced_entry_at_commit(books, amounts):
    """Written behind the action's back; SET CONSTRAINTS ... IMMEDIATE runs the deferred check
    that COMMIT would run."""
    bank = books.a.accounts.get(code="1002")
    with pytest.raises(DatabaseError, match="not balanced"), transaction.atomic():
        entry = Entry.objects.create(book=books.a, day=DAY, period=date(2026, 10, 1), posted_at="2026-10-15T00:00Z",
                                     memo="绕过", region_id=books.a.region_id)
        Leg.objects.bulk_create(Leg(entry=entry, book=books.a, period=entry.period, account=bank, amount_fen=a)
                                for a in amounts)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ledger_entry_balanced IMMEDIATE")
    assert not Entry.objects.exists()


@pytest.mark.postgres
def test_postgres_accepts_a_balanced_entry_at_commit(books):
    entry = contribution(books.treasurer, books.a, 100)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ledger_entry_balanced IMMEDIATE")
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_postgres_refuses_legs_added_to_an_entry_of_an_earlier_transaction(books):
    """Even a balanced pair: a posted entry never gains legs. (The test's own transaction holds
    the entry, so the earlier transaction is simulated by forgetting this one's ranges.)"""
    entry = contribution(books.treasurer, books.a, 100)
    bank, income = books.a.accounts.get(code="1002"), books.a.accounts.get(code="6001")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('zhigong.ledger_mine', '', true)")
    _refused("INSERT INTO ledger_leg (entry_id, book_id, period, account_id, amount_fen) VALUES "
             "(%s, %s, %s, %s, 5), (%s, %s, %s, %s, -5)",
             [entry.pk, books.a.pk, entry.period, bank.pk, entry.pk, books.a.pk, entry.period, income.pk])
    assert entry.legs.count() == 2
