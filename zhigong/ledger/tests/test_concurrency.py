"""Many postings at once on PostgreSQL: balances stay exact, a guarded pool never goes below
its minimum, one key gives one entry, a closing waits for postings under way."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connections, transaction
from django.db.models import Sum

from zhigong.core.errors import DomainError
from zhigong.ledger import actions, queries
from zhigong.ledger.models import Entry, Leg
from zhigong.ledger.rules import credit, debit
from zhigong.ledger.tests.conftest import DAY, contribution

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(calls, workers=8):
    """Run the calls on threads with their own connections; outcomes by error code."""
    outcomes, lock = {"ok": 0}, threading.Lock()

    def run(call):
        try:
            call()
            key = "ok"
        except DomainError as exc:
            key = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes[key] = outcomes.get(key, 0) + 1

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, calls))
    return outcomes


def test_many_concurrent_posts_keep_balances_exact(books):
    amounts = [100 + i for i in range(120)]
    outcomes = at_once([lambda a=a: contribution(books.treasurer, books.a, a) for a in amounts])
    assert outcomes == {"ok": 120}
    assert queries.balance(books.a.accounts.get(code="1002")) == sum(amounts)
    assert not Leg.objects.values("entry").annotate(s=Sum("amount_fen")).exclude(s=0).exists()
    assert queries.trial_balance(books.a).balanced


def test_a_guarded_pool_never_goes_below_zero(books):
    contribution(books.treasurer, books.a, 1000)

    def pay():
        actions.post(books.treasurer, books.a, DAY, "支付互助金", [debit("6401", 300), credit("1002", 300)],
                     guard=("1002", 0))

    outcomes = at_once([pay] * 12)
    assert outcomes == {"ok": 3, "ledger.insufficient": 9}
    assert queries.balance(books.a.accounts.get(code="1002")) == 100


def test_locked_balance_serialises_callers_that_decide_themselves(books):
    contribution(books.treasurer, books.a, 500)
    bank = books.a.accounts.get(code="1002")

    def pay_if_enough():
        with transaction.atomic():
            if actions.locked_balance(bank) < 200:
                raise DomainError("short", "余额不足")
            actions.post(books.treasurer, books.a, DAY, "支付", [debit("6401", 200), credit("1002", 200)])

    assert at_once([pay_if_enough] * 10) == {"ok": 2, "short": 8}
    assert queries.balance(bank) == 100


def test_one_key_posted_at_once_from_many_threads_is_one_entry(books):
    outcomes = at_once([lambda: contribution(books.treasurer, books.a, 700, key="invoice-9")] * 10)
    assert outcomes == {"ok": 10}
    assert Entry.objects.filter(key="invoice-9").count() == 1
    assert queries.balance(books.a.accounts.get(code="1002")) == 700


def test_transfers_between_pools_at_once_keep_both_books_whole(books, world):
    contribution(books.treasurer, books.a, 1000)
    upper = actions.open_book(world.province_cadre, world.province, "省级风险储备池", code="province")
    outcomes = at_once([lambda: actions.transfer(world.province_cadre, books.a, upper, DAY, 150, "上解")] * 10)
    assert outcomes == {"ok": 6, "ledger.insufficient": 4}
    assert queries.balance(books.a.accounts.get(code="1002")) == 100
    assert queries.balance(upper.accounts.get(code="1002")) == 900


def test_closing_a_month_while_posting_into_it_leaves_nothing_after_the_close(books):
    month = date(2026, 9, 1)
    calls = [lambda: contribution(books.treasurer, books.a, 10, day=date(2026, 9, 20))] * 30
    calls.insert(15, lambda: actions.close_period(books.treasurer, books.a, month))
    outcomes = at_once(calls)
    assert outcomes["ok"] + outcomes.get("ledger.period_closed", 0) == 31
    closed_at = books.a.periods.get(month=month).closed_at
    in_month = Entry.objects.filter(book=books.a, period=month)
    assert in_month.count() == outcomes["ok"] - 1
    assert not in_month.filter(posted_at__gt=closed_at).exists()
