"""The payment rules: what a bank's answer does to a payout, when a batch is settled, and the
total in Chinese capital figures."""

import pytest

from zhigong.mutualaid import rules_payments as rules


@pytest.mark.parametrize("state, has_live, expected", [
    ("approved", False, True), ("payment_failed", False, True), ("approved", True, False),
    ("in_batch", False, False), ("paid", False, False), ("submitted", False, False),
])
def test_which_claims_may_enter_a_batch(state, has_live, expected):
    assert rules.payable(state, has_live) is expected


@pytest.mark.parametrize("payout_state, paid, verb", [
    ("exported", True, "paid"), ("exported", False, "failed"),
    ("paid", True, "skip"), ("failed", False, "skip"),
    ("paid", False, "conflict"), ("failed", True, "conflict"),
    ("pending", True, "not_exported"),
])
def test_what_a_return_row_does(payout_state, paid, verb):
    line = rules.ReturnLine(2, "R1", paid)
    assert rules.outcome(line, rules.PayoutFact("R1", payout_state, 100)).verb == verb


def test_reconcile_does_not_depend_on_row_order():
    facts = {"A": rules.PayoutFact("A", "exported", 1), "B": rules.PayoutFact("B", "paid", 2)}
    lines = [rules.ReturnLine(2, "A", True), rules.ReturnLine(3, "B", True)]
    forward = {o.reference: o.verb for o in rules.reconcile(lines, facts)}
    backward = {o.reference: o.verb for o in rules.reconcile(lines[::-1], facts)}
    assert forward == backward == {"A": "paid", "B": "skip"}


def test_a_batch_is_settled_when_the_bank_answered_every_payout():
    assert rules.settled(["paid", "failed"])
    assert not rules.settled(["paid", "exported"])


@pytest.mark.parametrize("fen, words", [
    (450000, "肆仟伍佰元整"), (123456, "壹仟贰佰叁拾肆元伍角陆分"), (5, "伍分"), (0, "零元整"),
    (100000007, "壹佰万元零柒分"), (100500, "壹仟零伍元整"),
])
def test_capital_figures(fen, words):
    assert rules.capital_figures(fen) == words
