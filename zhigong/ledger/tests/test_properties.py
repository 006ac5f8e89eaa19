"""Properties over any sequence of valid actions (hypothesis): every journal stays balanced,
every book's balance is the sum of its postings, a reversal restores the balances before,
and a closed month refuses posting without changing anything."""

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhigong.core.errors import DomainError
from zhigong.ledger import actions, queries
from zhigong.ledger.actions import Draft
from zhigong.ledger.chart import CHARTS
from zhigong.ledger.models import Entry, Leg

CODES = [code for code, _name, _type in CHARTS["mutualaid"]]
MONTHS = [date(2026, m, 1) for m in range(1, 7)]

legs = st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 10**9)), min_size=1, max_size=4)
step = st.one_of(
    st.tuples(st.just("post"), st.sampled_from(MONTHS), legs),
    st.tuples(st.just("many"), st.sampled_from(MONTHS), st.lists(legs, min_size=1, max_size=5)),
    st.tuples(st.just("reverse"), st.integers(0, 50), st.none()),
    st.tuples(st.just("close"), st.sampled_from(MONTHS), st.none()),
)


def balanced(pairs) -> list[tuple[str, int]]:
    """Debits as drawn, and one credit leg per debit on the next account: always balanced."""
    lines = []
    for n, (code, fen) in enumerate(pairs):
        lines += [(code, fen), (CODES[(CODES.index(code) + 1 + n) % len(CODES)], -fen)]
    return lines


class Model:
    """What the balances should be, kept by hand beside the database."""

    def __init__(self):
        self.sums: Counter = Counter()
        self.closed: set[date] = set()

    def add(self, lines, sign=1):
        for code, fen in lines:
            self.sums[code] += sign * fen


def check_invariants(book, model: Model):
    unbalanced = Leg.objects.filter(book=book).values("entry").annotate(s=Sum("amount_fen")).exclude(s=0)
    assert not unbalanced.exists()
    assert all(n >= 2 for n in Counter(Leg.objects.filter(book=book).values_list("entry", flat=True)).values())
    assert {k: v for k, v in queries.sums_by_account_code(book).items() if v} == \
        {k: v for k, v in model.sums.items() if v}
    rows = queries.balances(book)
    assert {r.account.code: r.closing_fen for r in rows if r.closing_fen} == {k: v for k, v in model.sums.items() if v}
    assert queries.trial_balance(book).balanced


def apply(step_, book, actor, model: Model):
    kind, arg, payload = step_
    if kind in ("post", "many"):
        month = arg
        lines = [balanced(payload)] if kind == "post" else [balanced(p) for p in payload]
        before = queries.sums_by_account_code(book)
        try:
            if kind == "post":
                actions.post(actor, book, month.replace(day=9), "记账", lines[0])
            else:
                actions.post_many(actor, book, [Draft(month.replace(day=9), "批量", x) for x in lines], chunk=2)
        except DomainError as error:
            assert error.code == "ledger.period_closed" and month in model.closed
            assert queries.sums_by_account_code(book) == before
            return
        assert month not in model.closed
        for x in lines:
            model.add(x)
    elif kind == "reverse":
        candidates = list(Entry.objects.filter(book=book, reverses__isnull=True, reversed_by__isnull=True)
                          .order_by("id"))
        if not candidates:
            return
        entry = candidates[arg % len(candidates)]
        lines = list(entry.legs.values_list("account__code", "amount_fen"))
        before = queries.sums_by_account_code(book)
        reversal = actions.reverse(actor, entry, "更正", day=date(2026, 10, 9))
        model.add(lines, -1)
        after = queries.sums_by_account_code(book)
        # The reversal moved every account by exactly minus the entry: the balances before it.
        for code, fen in lines:
            before[code] = before.get(code, 0) - fen
        assert {k: v for k, v in after.items() if v} == {k: v for k, v in before.items() if v}
        assert reversal.reverses_id == entry.pk
    else:
        if arg not in model.closed:
            actions.close_period(actor, book, arg)
            model.closed.add(arg)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
@pytest.mark.django_db
def test_any_sequence_of_actions_keeps_the_books_sound(books, steps):
    with transaction.atomic():
        model = Model()
        for s in steps:
            apply(s, books.a, books.treasurer, model)
            check_invariants(books.a, model)
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=legs, second=legs, month=st.sampled_from(MONTHS))
@pytest.mark.django_db
def test_a_reversal_restores_every_balance_and_period_figure(books, first, second, month):
    with transaction.atomic():
        actions.post(books.treasurer, books.a, month, "先", balanced(first))
        before = [(r.account.code, r.closing_fen) for r in queries.balances(books.a)]
        entry = actions.post(books.treasurer, books.a, month, "后", balanced(second))
        actions.reverse(books.treasurer, entry, "更正", day=month)
        after = queries.balances(books.a)
        assert [(r.account.code, r.closing_fen) for r in after] == before
        # Within the month both the entry and its reversal show, as debits and credits.
        moved = sum(r.debit_fen for r in queries.balances(books.a, start=month, end=month))
        assert moved >= 2 * sum(fen for _c, fen in second)
        transaction.set_rollback(True)
