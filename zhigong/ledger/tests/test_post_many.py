"""The batch path: the checks of post() for every entry, bulk writes in chunks, one trail
event with the digest, keys skipped when already posted, all or nothing."""

import hashlib
from datetime import date

import pytest

from zhigong.core.errors import DomainError
from zhigong.ledger import actions, queries, rules
from zhigong.ledger.actions import Draft
from zhigong.ledger.models import Entry, Leg
from zhigong.ledger.rules import credit, debit
from zhigong.trail.models import Event


def drafts(n, start=0):
    return [Draft(date(2026, 1 + i % 12, 1 + i % 28), f"缴费 {i}", [debit("1122", 100 + i), credit("6001", 100 + i)],
                  key=f"k{i}") for i in range(start, start + n)]


def test_it_posts_in_chunks_with_one_event_and_a_digest(books):
    batch = actions.post_many(books.treasurer, books.a, drafts(25), chunk=7)
    assert (batch.posted, batch.skipped) == (25, 0)
    assert Entry.objects.count() == 25 and Leg.objects.count() == 50
    expected = hashlib.sha256(b"".join(rules.entry_digest_line(d.day, d.memo, d.key, d.legs)
                                       for d in drafts(25))).hexdigest()
    assert batch.digest == expected
    events = Event.objects.filter(verb="ledger.post_many")
    assert events.count() == 1 and expected in bytes(events.get().leaf).decode()
    assert queries.balance(books.a.accounts.get(code="1122")) == sum(100 + i for i in range(25))


def test_it_agrees_with_posting_one_at_a_time(books, world):
    actions.post_many(books.treasurer, books.a, drafts(12))
    for d in drafts(12):
        actions.post(world.outsider, books.b, d.day, d.memo, d.legs, key=d.key)
    a = queries.sums_by_account_code(books.a)
    assert a == queries.sums_by_account_code(books.b) and a["1122"] > 0
    assert sorted(Entry.objects.filter(book=books.a).values_list("day", "period", "memo", "key")) == \
        sorted(Entry.objects.filter(book=books.b).values_list("day", "period", "memo", "key"))


def test_a_rerun_skips_what_was_posted(books):
    actions.post_many(books.treasurer, books.a, drafts(10))
    batch = actions.post_many(books.treasurer, books.a, drafts(15))
    assert (batch.posted, batch.skipped) == (5, 10)
    assert Entry.objects.count() == 15


@pytest.mark.parametrize("bad, code", [
    (Draft(date(2026, 3, 1), "坏", [debit("1122", 1), credit("6001", 2)]), "ledger.unbalanced"),
    (Draft(date(2026, 3, 1), "坏", [debit("1122", 1)]), "ledger.too_few_legs"),
    (Draft(date(2026, 3, 1), "坏", [debit("8888", 1), credit("6001", 1)]), "ledger.account"),
    (Draft(date(2026, 3, 1), "", [debit("1122", 1), credit("6001", 1)]), "required"),
    (Draft(date(2026, 3, 1), "重键", [debit("1122", 1), credit("6001", 1)], key="k0"), "ledger.key_twice"),
])
def test_one_bad_entry_writes_nothing_and_names_its_row(books, bad, code):
    with pytest.raises(DomainError) as raised:
        actions.post_many(books.treasurer, books.a, drafts(8) + [bad] + drafts(3, start=8), chunk=4)
    assert raised.value.code == code and raised.value.details["row"] == 8
    assert not Entry.objects.exists() and not Event.objects.filter(verb="ledger.post_many").exists()


def test_a_batch_needs_the_posting_right(books, world):
    from zhigong.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.post_many(world.outsider, books.a, drafts(2))
