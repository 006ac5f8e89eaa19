"""The five example plans' terms as plain values for the pure rule tests, in the codes of
docs/mutualaid/plans.md (the seeded rows are checked against these in test_claims_seeded.py)."""

from datetime import date, timedelta

from zhigong.mutualaid.rules_claims import CostLine, CoverageFacts, PlanTerms, rule

START = date(2026, 1, 1)
END = date(2026, 12, 31)

ZHUYUAN = (
    rule("per_day", amount_fen=5000),
    rule("min_stay_days", days=3, counts="beyond"),
    rule("year_cap", amount_fen=450000, codes=["per_day"]),
    rule("early_illness", amount_fen=50000, from_day=30, to_day=89),
    rule("critical_sum", amount_fen=1000000, from_day=90),
)
CHONGQING = tuple(rule("listed_disease", key, 1200000, name=name) for key, name in (
    ("malignant_tumour", "恶性肿瘤"), ("stroke", "脑中风后遗症"), ("uraemia", "尿毒症"))) + (
    rule("family_sum", amount_fen=200000, relations=["spouse", "child"]),
    rule("year_cap", amount_fen=1200000),
)
SHANGHAI_SPECIAL = (
    rule("class_sum", "severe", 1000000, name="特别重大疾病", diseases=["malignant_tumour", "uraemia"]),
    rule("class_sum", "other", 800000, name="其他重大疾病", diseases=["stroke"]),
    rule("year_cap", amount_fen=1000000),
)
SHANGHAI_MEMBER = (
    rule("per_day", amount_fen=2000),
    rule("min_stay_days", days=0, counts="all"),
    rule("claim_cap", amount_fen=60000),
    rule("year_cap", amount_fen=120000),
)
NANPING = tuple(rule("class_sum", str(n), fen, name=f"第{n}类") for n, fen in (
    (1, 600000), (2, 300000), (3, 200000), (4, 100000))) + (rule("year_cap", amount_fen=600000),)
COST_SHARE = (
    rule("deductible", amount_fen=80000),
    rule("ratio", "1", permille=700), rule("ratio", "2", permille=600), rule("ratio", "3", permille=500),
    rule("claim_cap", amount_fen=2000000), rule("year_cap", amount_fen=5000000),
)


def plan(kind: str, rows, waiting_days: int = 90, women_only: bool = False) -> PlanTerms:
    return PlanTerms(kind=kind, waiting_days=waiting_days, min_age=16, max_age=60, requires_membership=True,
                     requires_medical_insurance=True, employment_forms=(), women_only=women_only, rules=tuple(rows))


PLANS = {
    "zgbx-zhuyuan": plan("hospital_allowance", ZHUYUAN, waiting_days=30),
    "cq-zhongji": plan("critical_illness", CHONGQING),
    "sh-tezhong": plan("critical_illness", SHANGHAI_SPECIAL),
    "sh-huiyuan": plan("hospital_allowance", SHANGHAI_MEMBER),
    "np-nvzhigong": plan("women_illness", NANPING, women_only=True),
    "cost-share": plan("hospital_cost", COST_SHARE),
}


def cover(waiting_days: int = 90, renewed: bool = False, **changes) -> CoverageFacts:
    values = dict(starts_on=START, waiting_ends_on=START if renewed else START + timedelta(days=waiting_days),
                  ends_on=END, state="active", renewed=renewed, shares=1, birth_date=date(1988, 3, 14),
                  sex="M", member=True, medical_insured=True, employment_form="labour_contract")
    values.update(changes)
    return CoverageFacts(**values)


def lines(*pairs) -> tuple[CostLine, ...]:
    return tuple(CostLine(f"FP{n:04d}", total, self_paid) for n, (total, self_paid) in enumerate(pairs, 1))
