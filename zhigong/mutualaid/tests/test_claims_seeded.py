"""The claim rules read the five example plans as M1's data migration seeds them (through
facts_claims, the converter the actions and the batch use): each plan pays what its text says."""

from datetime import date, timedelta

import pytest

from zhigong.mutualaid import facts_claims
from zhigong.mutualaid import rules_claims as r
from zhigong.mutualaid.models import BenefitRule, PlanVersion
from zhigong.mutualaid.tests.claims_plans import START, cover

pytestmark = pytest.mark.django_db
D = timedelta(days=1)


def seeded(code: str) -> r.PlanTerms:
    version = PlanVersion.objects.filter(plan__code=code).values(*facts_claims.VERSION_FIELDS).get()
    rows = BenefitRule.objects.filter(version_id=version["id"]).values(*facts_claims.RULE_FIELDS)
    return facts_claims.plan_terms(version, rows)


def stay(admitted: date, days: int) -> r.ClaimEvent:
    return r.ClaimEvent(event_on=admitted, admitted_on=admitted, discharged_on=admitted + days * D)


def illness(day: int, key: str, family: bool = False) -> r.ClaimEvent:
    return r.ClaimEvent(event_on=START + day * D, disease_key=key, family_member=family)


@pytest.mark.parametrize(("code", "facts", "event", "prior", "fen"), [
    # 在职职工住院津贴: 50 元/day beyond day 3, 4,500 元 a year for the allowance only
    ("zgbx-zhuyuan", {}, stay(date(2026, 5, 1), 10), [], 35000),
    ("zgbx-zhuyuan", {}, stay(date(2026, 5, 1), 3), [], 0),
    ("zgbx-zhuyuan", {}, stay(date(2026, 5, 1), 30), [("allowance", 420000)], 30000),
    ("zgbx-zhuyuan", {}, illness(29, "malignant_tumour"), [], 0),
    ("zgbx-zhuyuan", {}, illness(30, "malignant_tumour"), [], 50000),
    ("zgbx-zhuyuan", {}, illness(89, "malignant_tumour"), [], 50000),
    ("zgbx-zhuyuan", {}, illness(90, "malignant_tumour"), [("allowance", 450000)], 1000000),
    ("zgbx-zhuyuan", {"renewed": True}, illness(5, "malignant_tumour"), [], 1000000),
    # 重庆 重大疾病: 30 listed diseases 12,000 元, family 2,000 元
    ("cq-zhongji", {}, illness(120, "end_stage_renal"), [], 1200000),
    ("cq-zhongji", {}, illness(120, "end_stage_renal", family=True), [], 200000),
    ("cq-zhongji", {}, illness(60, "end_stage_renal"), [], 0),
    ("cq-zhongji", {}, illness(120, "influenza"), [], 0),
    # 上海 特种重病: severe 10,000 元, other listed 8,000 元
    ("sh-tezhong", {}, illness(200, "malignant_tumour"), [], 1000000),
    ("sh-tezhong", {}, illness(200, "blindness"), [], 800000),
    ("sh-tezhong", {}, illness(200, "blindness"), [("fixed_sum", 800000)], 200000),
    # 上海 会员基本保障: 20 元/day from day 1, 600 元 a claim, 1,200 元 a year
    ("sh-huiyuan", {}, stay(date(2026, 6, 1), 10), [], 20000),
    ("sh-huiyuan", {}, stay(date(2026, 6, 1), 45), [], 60000),
    ("sh-huiyuan", {}, stay(date(2026, 6, 1), 45), [("allowance", 90000)], 30000),
    # 南平 女职工特殊疾病: classes 6,000 / 3,000 / 2,000 / 1,000 元
    ("np-nvzhigong", {"sex": "F"}, illness(100, "breast_cancer"), [], 600000),
    ("np-nvzhigong", {"sex": "F"}, illness(100, "carcinoma_in_situ"), [], 300000),
    ("np-nvzhigong", {"sex": "F"}, illness(100, "3"), [], 200000),
    ("np-nvzhigong", {"sex": "F"}, illness(100, "other_women_illness"), [], 100000),
    ("np-nvzhigong", {"sex": "M"}, illness(100, "4"), [], 0),
])
def test_each_seeded_plan_pays_what_its_text_says(code, facts, event, prior, fen):
    plan = seeded(code)
    waiting = PlanVersion.objects.get(plan__code=code).waiting_days
    payments = [r.PriorPayment(f"P{n}", ((kind, amount),)) for n, (kind, amount) in enumerate(prior)]
    assert r.adjudicate(plan, cover(waiting, **facts), event, payments).amount_fen == fen


def test_the_seeded_allowance_plan_equals_the_plain_values_of_the_rule_tests():
    from zhigong.mutualaid.tests.claims_plans import PLANS

    assert set(seeded("zgbx-zhuyuan").rules) - {r.rule("contribution_split", union_fen=3000,
                                                       enterprise_permille=1000)} == set(PLANS["zgbx-zhuyuan"].rules)
