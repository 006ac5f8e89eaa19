"""A shortfall drawn through more than one level: when the city pool cannot cover the county's
shortfall it first draws what it lacks from the province, each draw a recorded transfer under
the one rule row mutualaid.shortfall_auto_limit; above it nothing is drawn and an approved
transfer is needed. The draw plan is a pure rule (hypothesis: no pool below zero except through
a recorded transfer; what the levels above give, net, is the shortfall); the action posts it."""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from zhigong.core.errors import DomainError
from zhigong.core.models import RuleRow
from zhigong.ledger import queries as ledger_queries
from zhigong.mutualaid import actions_pools
from zhigong.mutualaid import rules_contributions as rules
from zhigong.mutualaid.models import PoolTransfer
from zhigong.mutualaid.tests import pools_setup
from zhigong.mutualaid.tests.test_pools_reserve import DAY, _claim, _fill


def test_one_level_when_the_city_has_it():
    plan = rules.draw_plan(35_000, [10_000, 1_000_000, 0], 5_000_000)
    assert plan == rules.DrawPlan(25_000, (rules.Draw(1, 0, 25_000),), False)


def test_two_levels_when_the_city_is_short_too():
    plan = rules.draw_plan(35_000, [10_000, 5_000, 1_000_000], 5_000_000)
    assert plan.draws == (rules.Draw(2, 1, 20_000), rules.Draw(1, 0, 25_000)) and not plan.needs_approval


@pytest.mark.parametrize("available,limit", [
    ([10_000, 5_000, 1_000_000], 22_000),  # the city's draw (25,000) is above the limit
    ([10_000, 5_000, 10_000], 5_000_000),  # the province cannot cover the city's part
    ([10_000, 5_000], 5_000_000),  # no province above the city
    ([-5_000, 0, 1_000_000], 30_000),  # a county already below zero gives nothing: short 40,000
])
def test_no_draw_at_all_when_one_step_needs_approval(available, limit):
    plan = rules.draw_plan(35_000, available, limit)
    assert plan.needs_approval and plan.draws == () and plan.shortfall_fen == 35_000 - max(0, available[0])


@given(amount=st.integers(1, 10**8), available=st.lists(st.integers(-10**6, 10**8), min_size=1, max_size=4),
       limit=st.integers(0, 10**8))
def test_draw_plan_keeps_every_pool_at_or_above_zero(amount, available, limit):
    plan = rules.draw_plan(amount, available, limit)
    balance = list(available)
    for draw in plan.draws:  # posted in this order
        assert draw.source == draw.target + 1 and 0 < draw.amount_fen <= limit
        # a source only gives what it has or has just received (one already below zero gets no lower)
        assert balance[draw.source] - draw.amount_fen >= min(0, available[draw.source])
        balance[draw.source] -= draw.amount_fen
        balance[draw.target] += draw.amount_fen
    if plan.needs_approval:
        assert plan.draws == () and plan.shortfall_fen > 0
        return
    balance[0] -= amount  # the claim is paid
    # no pool ends below zero (one already below zero, which the ledger never lets happen, gets no lower)
    assert all(b >= min(0, a) for a, b in zip(available, balance, strict=True))
    given_up = sum(available[i] - balance[i] for i in range(1, len(available)))
    assert given_up == plan.shortfall_fen  # what the levels above gave, net, is the shortfall
    into_claim_pool = sum(d.amount_fen for d in plan.draws if d.target == 0)
    assert into_claim_pool == plan.shortfall_fen


@pytest.fixture
def fund(world):
    return pools_setup.build(world)


def _reserve(fund, fen, claim):
    with transaction.atomic():
        return actions_pools.reserve_for_claim(fund.approver, fund.county, fen, claim, DAY)


def _balanced(fund):
    for pool in (fund.county, fund.city, fund.province):
        assert ledger_queries.trial_balance(pool.book).balanced


def test_the_city_draws_from_the_province_before_it_pays_the_county(fund):
    _fill(fund, fund.county, 10_000)
    _fill(fund, fund.city, 5_000)
    _fill(fund, fund.province, 1_000_000)
    reservation = _reserve(fund, 35_000, _claim(fund))
    moves = [(t.source, t.target, t.amount_fen, t.automatic, t.state) for t in reservation.transfers]
    assert moves == [(fund.province, fund.city, 20_000, True, PoolTransfer.State.POSTED),
                     (fund.city, fund.county, 25_000, True, PoolTransfer.State.POSTED)]
    assert reservation.transfer == reservation.transfers[-1]
    assert all(t.entry_out and t.entry_in for t in reservation.transfers)
    assert "由上级资金池补入" in reservation.transfers[0].reason
    assert [actions_pools.available_fen(p) for p in (fund.county, fund.city, fund.province)] == [0, 0, 980_000]
    _balanced(fund)


def test_above_the_limit_nothing_is_drawn_and_the_chain_is_unchanged(fund):
    RuleRow.objects.filter(key="mutualaid.shortfall_auto_limit").update(value=22_000)
    _fill(fund, fund.county, 10_000)
    _fill(fund, fund.city, 5_000)
    _fill(fund, fund.province, 1_000_000)
    with pytest.raises(DomainError) as refused:
        _reserve(fund, 35_000, _claim(fund))
    assert refused.value.code == "mutualaid.pool_short" and refused.value.details["shortfall_fen"] == 25_000
    assert not PoolTransfer.objects.exists()
    assert [actions_pools.available_fen(p) for p in (fund.county, fund.city, fund.province)] == [
        10_000, 5_000, 1_000_000]
