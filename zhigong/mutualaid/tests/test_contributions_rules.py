"""The contribution standard as tables of cases: profit bands (a loss pays less), the wage part
with its floor and cap, rounding to the fen with parts that add up exactly, hardship, pool
shares and the shortfall rule."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhigong.mutualaid import rules_contributions as rules
from zhigong.mutualaid.plans_seed import RULE_DEFAULTS

DEFAULTS = {key: value for key, value, _s, _v in RULE_DEFAULTS}
BANDS, UNKNOWN = rules.profit_bands(DEFAULTS["mutualaid.profit_bands"])
WAGE = rules.WagePart(True, 1, 300, 2000)
NO_WAGE = rules.WagePart(False, 0, 0, 0)
ALLOWANCE_SPLIT = rules.Split(3000, 1000)


@pytest.mark.parametrize("profit_fen, permille", [
    (-1, 800),                 # any loss: the loss band
    (-500_000_000, 800),
    (0, 1000),                 # break-even is not a loss
    (99_999_999, 1000),        # just under 1 million 元
    (100_000_000, 1100),       # exactly 1 million 元: the next band
    (999_999_999, 1100),
    (1_000_000_000, 1200),     # 10 million 元 and more
    (None, 1000),              # no profit on file
])
def test_profit_bands(profit_fen, permille):
    assert rules.profit_factor(profit_fen, BANDS, UNKNOWN)[0] == permille


def test_a_loss_says_so_in_the_reason():
    assert "亏损" in rules.profit_factor(-12_345, BANDS, UNKNOWN)[1]


@pytest.mark.parametrize("wage_fen, part_fen", [
    (650_000, 650),            # 6,500 元 × 1‰ = 6.50 元
    (100_000, 300),            # 1.00 元 is below the floor of 3 元
    (300_000, 300),            # exactly at the floor
    (2_000_000, 2000),         # exactly at the cap
    (5_000_000, 2000),         # 50 元 is above the cap of 20 元
    (650_050, 650),            # 650.05 fen rounds to 650
    (650_500, 651),            # 650.5 fen rounds half up to 651
    (None, 300),               # no wage on file: the floor
])
def test_wage_part_floor_and_cap(wage_fen, part_fen):
    assert rules.wage_part(wage_fen, WAGE)[0] == part_fen


def test_wage_part_off_adds_nothing():
    assert rules.wage_part(650_000, rules.WagePart(False, 1, 300, 2000)) == (0, "")


def _line(price=8000, shares=1, months=12, period=12, wage=None, hardship=False, factor=1000,
          wage_rule=NO_WAGE, split=ALLOWANCE_SPLIT):
    return rules.contribution_line(rules.LineInput(shares, price, months, period, wage, hardship), factor, "测试",
                                   wage_rule, split)


def test_the_allowance_plan_as_published():
    line = _line()
    assert (line.total_fen, line.union_fen, line.enterprise_fen, line.worker_fen) == (8000, 3000, 5000, 0)
    assert "每份80.00元 × 1份 × 系数1" in line.explanation and "工会补贴30.00元" in line.explanation


def test_a_loss_making_enterprise_pays_less():
    assert _line(factor=800).total_fen == 6400 < _line(factor=1000).total_fen


def test_critical_illness_split_union_10_worker_20():
    line = _line(price=3000, split=rules.Split(1000, 0))
    assert (line.union_fen, line.enterprise_fen, line.worker_fen) == (1000, 0, 2000)


def test_hardship_worker_share_is_paid_by_the_union():
    line = _line(price=3000, split=rules.Split(1000, 0), hardship=True)
    assert (line.union_fen, line.enterprise_fen, line.worker_fen) == (3000, 0, 0)
    assert "困难职工" in line.explanation


def test_half_year_of_the_member_guarantee_is_12_yuan():
    line = _line(price=2400, months=6, split=rules.Split(2400, 1000))
    assert (line.total_fen, line.union_fen, line.enterprise_fen) == (1200, 1200, 0)


def test_rounding_to_the_fen_and_parts_add_up():
    # 25 元 × 0.8 × 5/12 = 8.333… 元 → 8.33; the wage part 6.51 × 5/12 = 2.7125 → 2.71
    line = _line(price=2500, months=5, factor=800, wage=650_500, wage_rule=WAGE, split=rules.Split(0, 333))
    assert line.base_fen == 833 and line.wage_part_fen == 271 and line.total_fen == 1104
    assert line.enterprise_fen == 368 and line.worker_fen == 736  # 1104 × 0.333 = 367.6 → 368
    assert line.enterprise_fen + line.worker_fen + line.union_fen == line.total_fen


@given(price=st.integers(1, 100_000), shares=st.integers(1, 5), months=st.integers(1, 36),
       factor=st.integers(1, 3000), wage=st.one_of(st.none(), st.integers(0, 10_000_000)),
       union=st.integers(0, 100_000), enterprise=st.integers(0, 1000), hardship=st.booleans())
def test_parts_always_add_up_to_the_total(price, shares, months, factor, wage, union, enterprise, hardship):
    line = _line(price=price, shares=shares, months=min(months, 36), period=36, factor=factor, wage=wage,
                 hardship=hardship, wage_rule=WAGE, split=rules.Split(union, enterprise))
    assert line.enterprise_fen + line.worker_fen + line.union_fen == line.total_fen
    assert min(line.enterprise_fen, line.worker_fen, line.union_fen) >= 0
    assert not hardship or line.worker_fen == 0


@pytest.mark.parametrize("start, end, months", [
    (date(2026, 1, 1), date(2026, 12, 31), 12),
    (date(2026, 1, 1), date(2026, 6, 30), 6),
    (date(2026, 7, 1), date(2026, 12, 31), 6),
    (date(2026, 1, 15), date(2026, 2, 20), 2),
    (date(2026, 1, 1), date(2028, 12, 31), 36),
])
def test_months_between(start, end, months):
    assert rules.months_between(start, end) == months


def test_group_age_price():
    assert rules.group_price(6000, 44.9, (45, 7000))[0] == 6000
    assert rules.group_price(6000, 45.0, (45, 7000))[0] == 7000
    assert rules.group_price(6000, None, None) == (6000, "")


@pytest.mark.parametrize("total, weights, parts", [
    (10_000, [700, 200, 100], [7000, 2000, 1000]),
    (1, [700, 200, 100], [1, 0, 0]),
    (3, [1, 1, 1], [1, 1, 1]),
    (5, [1, 1, 1], [2, 2, 1]),
    (8001, [700, 200, 100], [5601, 1600, 800]),
    (0, [700, 200, 100], [0, 0, 0]),
])
def test_allocate_adds_up(total, weights, parts):
    assert rules.allocate(total, weights) == parts


def test_a_missing_level_gives_its_share_to_the_lowest_pool():
    assert rules.chain_weights(["city", "province"], {"county": 700, "city": 200, "province": 100}) == [900, 100]


@given(total=st.integers(0, 10**9), cut=st.integers(0, 10**9))
def test_instalments_share_exactly_like_the_whole(total, cut):
    cut = min(cut, total)
    weights = [700, 200, 100]
    first = rules.cumulative_share(0, cut, weights)
    second = rules.cumulative_share(cut, total - cut, weights)
    assert [a + b for a, b in zip(first, second, strict=True)] == rules.allocate(total, weights)


@pytest.mark.parametrize("available, amount, limit, upper, short, automatic", [
    (50_000, 35_000, 5_000_000, 0, 0, False),           # enough on hand
    (35_000, 35_000, 5_000_000, None, 0, False),        # exactly enough
    (10_000, 35_000, 5_000_000, 1_000_000, 25_000, True),
    (10_000, 35_000, 25_000, 1_000_000, 25_000, True),  # the limit itself is automatic
    (10_000, 35_000, 24_999, 1_000_000, 25_000, False),
    (10_000, 35_000, 5_000_000, 24_999, 25_000, False),  # the level above has not got it
    (10_000, 35_000, 5_000_000, None, 25_000, False),    # no level above
    (-5_000, 35_000, 5_000_000, 10**9, 35_000, True),    # a negative balance counts as none
])
def test_shortfall(available, amount, limit, upper, short, automatic):
    """One level above (the chain's further levels: tests/test_pools_chain.py)."""
    decision = rules.draw_plan(amount, [available] if upper is None else [available, upper], limit)
    assert (decision.shortfall_fen, decision.automatic) == (short, automatic)
    assert decision.needs_approval == (short > 0 and not automatic)


def test_suspension_after_the_grace_day_only():
    grace = date(2026, 3, 31)
    assert not rules.should_suspend("issued", grace, grace)
    assert rules.should_suspend("partial", grace, date(2026, 4, 1))
    assert not rules.should_suspend("paid", grace, date(2026, 4, 1))
