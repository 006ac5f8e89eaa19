"""The five example plans are seeded with their figures and texts; a next-year version copies
the current one with its changes and never changes what this year's coverage enrolled under."""

from datetime import date

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.mutualaid import actions_plans, queries_plans
from zhigong.mutualaid.models import BenefitRule, Plan
from zhigong.mutualaid.tests import pools_setup


def _rules(version):
    return {(r.code, r.key): r for r in version.benefit_rules.all()}


@pytest.mark.django_db
def test_the_five_example_plans_with_their_figures():
    plans = {p.code: p for p in Plan.objects.all()}
    assert {"zgbx-zhuyuan", "cq-zhongji", "sh-tezhong", "sh-huiyuan", "np-nvzhigong"} <= set(plans)
    zhuyuan = plans["zgbx-zhuyuan"].versions.get()
    rows = _rules(zhuyuan)
    assert zhuyuan.price_fen == 8000 and rows[("per_day", "")].amount_fen == 5000
    assert rows[("min_stay_days", "")].params == {"days": 3, "counts": "beyond"}
    assert rows[("year_cap", "")].amount_fen == 450000 and rows[("year_cap", "")].params == {"codes": ["per_day"]}
    assert rows[("early_illness", "")].params == {"from_day": 30, "to_day": 89}
    assert "超过3天的部分按每天50元" in zhuyuan.text and "未核实" in zhuyuan.text
    zhongji = _rules(plans["cq-zhongji"].versions.get())
    assert sum(code == "listed_disease" for code, _k in zhongji) == 30
    assert zhongji[("family_sum", "")].amount_fen == 200000
    tezhong = plans["sh-tezhong"].versions.get()
    assert tezhong.period_months == 36 and _rules(tezhong)[("price_group_age", "")].amount_fen == 7000
    women = plans["np-nvzhigong"].versions.get()
    assert women.women_only and [r.amount_fen for r in women.benefit_rules.filter(code="class_sum").order_by("key")] \
        == [600000, 300000, 200000, 100000]
    assert plans["sh-huiyuan"].versions.get().price_fen == 2400


def test_next_year_never_changes_this_years_coverage(world):
    fund = pools_setup.build(world)
    plan, current = fund.plan, fund.version
    rules = [{"code": "per_day", "amount_fen": 6000, "note": "每天60元"},
             {"code": "min_stay_days", "params": {"days": 3, "counts": "beyond"}},
             {"code": "year_cap", "amount_fen": 540000, "params": {"codes": ["per_day"]}}]
    nxt = actions_plans.create_next_version(world.admin, plan, date(2027, 1, 1), "2027年度", price_fen=9000,
                                            rules=rules)
    current.refresh_from_db()
    assert current.price_fen == 8000 and _rules(current)[("per_day", "")].amount_fen == 5000
    assert BenefitRule.objects.filter(version=current).count() == 6
    assert all(c.version_id == current.pk for c in fund.coverages)
    assert fund.enrolment.version_id == current.pk
    assert nxt.waiting_days == current.waiting_days and _rules(nxt)[("per_day", "")].amount_fen == 6000
    assert queries_plans.version_on(plan, date(2026, 12, 31)) == current
    assert queries_plans.version_on(plan, date(2027, 1, 1)) == nxt


def test_a_copy_keeps_the_rules_when_none_are_given(world):
    plan = Plan.objects.get(code="cq-zhongji")
    nxt = actions_plans.create_next_version(world.admin, plan, date(2027, 1, 1), "2027年度", waiting_days=60)
    assert nxt.benefit_rules.count() == 33 and nxt.waiting_days == 60 and nxt.price_fen == 3000


@pytest.mark.parametrize("changes, code", [
    ({"effective_from": date(2026, 1, 1)}, "mutualaid.version_date"),
    ({"effective_from": date(2025, 6, 1)}, "mutualaid.version_date"),
    ({"label": ""}, "required"),
    ({"price_fen": 0}, "mutualaid.amount"),
    ({"rules": [{"code": "per_week", "amount_fen": 1}]}, "mutualaid.rule_code"),
    ({"rules": [{"code": "per_day", "amount_fen": 1}, {"code": "per_day", "amount_fen": 2}]}, "mutualaid.rule_twice"),
    ({"rules": [{"code": "per_day", "amount_fen": -1}]}, "mutualaid.amount"),
    ({"text_color": "red"}, "mutualaid.version_field"),
])
def test_bad_versions_are_refused_with_nothing_written(world, changes, code):
    plan = Plan.objects.get(code="zgbx-zhuyuan")
    args = {"effective_from": date(2027, 1, 1), "label": "2027年度", **changes}
    with pytest.raises(DomainError) as refused:
        actions_plans.create_next_version(world.admin, plan, **args)
    assert refused.value.code == code and plan.versions.count() == 1


def test_only_platform_admins_version_national_plans(world):
    plan = Plan.objects.get(code="zgbx-zhuyuan")
    with pytest.raises(PermissionDenied):
        actions_plans.create_next_version(world.province_cadre, plan, date(2027, 1, 1), "2027年度")
