"""Adjudication of each example plan for typical and edge cases (DOMAIN.md, issue #6 quality
bars): a stay of exactly 3 days, a cap reached mid-claim, a waiting period ending on the event
day, a renewal without break; and the result does not depend on the order of anything."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhigong.mutualaid import rules_claims as r
from zhigong.mutualaid.tests.claims_plans import PLANS, START, cover, lines

D = timedelta(days=1)


def stay(admitted: date, days: int, **more) -> r.ClaimEvent:
    return r.ClaimEvent(event_on=admitted, admitted_on=admitted, discharged_on=admitted + days * D, **more)


def texts(result: r.Adjudication) -> list[str]:
    return [step.text() for step in result.steps]


# --- Hospitalisation allowance (中国职工保险互助会): 50 元/day beyond day 3, 4,500 元 a year ---------

@pytest.mark.parametrize(("days", "paid_fen"), [
    (1, 0), (3, 0), (4, 5000), (10, 35000), (30, 135000), (93, 450000), (120, 450000),
])
def test_allowance_counts_days_beyond_the_third(days, paid_fen):
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), stay(date(2026, 5, 1), days))
    assert result.amount_fen == paid_fen
    assert result.payable is (paid_fen > 0)


def test_allowance_explains_each_step_in_chinese():
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), stay(date(2026, 5, 1), 10))
    assert "住院10天，超过3天部分按每天50元计7天，共350元。" in texts(result)
    assert texts(result)[-1] == "核定给付金额合计350元。"


def test_a_stay_of_exactly_three_days_says_why_nothing_is_paid():
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), stay(date(2026, 5, 1), 3))
    assert result.refusal == "nothing_payable"
    assert "住院3天，未超过3天，不计住院津贴。" in texts(result)


def test_year_cap_reached_mid_claim():
    prior = [r.PriorPayment("A1", (("allowance", 420000),))]
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), stay(date(2026, 6, 1), 13), prior)
    assert result.amount_fen == 30000  # 10 days × 50 = 500 元, only 300 元 of the 4,500 left
    assert "住院津贴每个保障年度以4,500元为限，本年度已给付4,200元，尚余300元，本次核减为300元。" in texts(result)


def test_nothing_left_under_the_year_cap():
    prior = [r.PriorPayment("A1", (("allowance", 450000),))]
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), stay(date(2026, 6, 1), 13), prior)
    assert (result.payable, result.amount_fen, result.refusal) == (False, 0, "cap_reached")


@pytest.mark.parametrize(("day", "paid_fen"), [(29, 0), (30, 50000), (89, 50000), (90, 1000000), (200, 1000000)])
def test_critical_illness_by_day_after_start(day, paid_fen):
    event = r.ClaimEvent(event_on=START + day * D, disease_key="malignant_tumour")
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), event)
    assert result.amount_fen == paid_fen


def test_critical_illness_is_not_cut_by_the_allowance_cap():
    prior = [r.PriorPayment("A1", (("allowance", 450000),))]
    event = stay(START + 100 * D, 10, disease_key="malignant_tumour")
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30), event, prior)
    assert result.components == {"critical": 1000000}


def test_critical_illness_on_a_renewal_pays_in_full_on_any_day():
    event = r.ClaimEvent(event_on=START + 5 * D, disease_key="malignant_tumour")
    result = r.adjudicate(PLANS["zgbx-zhuyuan"], cover(30, renewed=True), event)
    assert result.amount_fen == 1000000
    assert "连续续保" in texts(result)[0]


# --- Waiting period --------------------------------------------------------------------------------

def test_waiting_period_ending_on_the_event_day_counts_as_covered():
    facts = cover(90)
    on_the_day = stay(facts.waiting_ends_on, 10)
    day_before = stay(facts.waiting_ends_on - D, 10)
    assert r.adjudicate(PLANS["sh-huiyuan"], facts, on_the_day).amount_fen == 20000
    refused = r.adjudicate(PLANS["sh-huiyuan"], facts, day_before)
    assert refused.refusal == "waiting"
    assert "等待期满日为2026-04-01，当日起可申请" in texts(refused)[0]


def test_accidents_never_wait():
    event = stay(START + 2 * D, 10, is_accident=True)
    assert r.adjudicate(PLANS["sh-huiyuan"], cover(90), event).amount_fen == 20000


def test_unbroken_renewal_does_not_wait_again():
    event = stay(START + 2 * D, 10)
    assert r.adjudicate(PLANS["sh-huiyuan"], cover(90), event).refusal == "waiting"
    assert r.adjudicate(PLANS["sh-huiyuan"], cover(90, renewed=True), event).amount_fen == 20000


# --- Covered and eligible ------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "event_on", "refusal"), [
    ({}, date(2025, 12, 31), "not_covered"),
    ({}, date(2027, 1, 1), "not_covered"),
    ({"state": "suspended"}, date(2026, 6, 1), "suspended"),
    ({"birth_date": date(1965, 5, 1)}, date(2026, 6, 1), "age"),
    ({"birth_date": date(2010, 7, 1)}, date(2026, 6, 1), "age"),
    ({"member": False}, date(2026, 6, 1), "not_member"),
    ({"medical_insured": False}, date(2026, 6, 1), "no_medical_insurance"),
])
def test_refusals(changes, event_on, refusal):
    result = r.adjudicate(PLANS["sh-huiyuan"], cover(90, **changes), stay(event_on, 10))
    assert (result.payable, result.refusal, result.amount_fen) == (False, refusal, 0)
    assert len(result.steps) == 1


def test_age_limits_include_both_ends():
    sixty_today = cover(90, birth_date=date(1966, 6, 1))
    sixteen_today = cover(90, birth_date=date(2010, 6, 1))
    assert r.adjudicate(PLANS["sh-huiyuan"], sixty_today, stay(date(2026, 6, 1), 10)).payable
    assert r.adjudicate(PLANS["sh-huiyuan"], sixteen_today, stay(date(2026, 6, 1), 10)).payable


def test_an_ended_coverage_still_covers_up_to_its_end():
    facts = cover(90, state="ended", ends_on=date(2026, 8, 31))
    assert r.adjudicate(PLANS["sh-huiyuan"], facts, stay(date(2026, 8, 31), 10)).payable
    assert r.adjudicate(PLANS["sh-huiyuan"], facts, stay(date(2026, 9, 1), 10)).refusal == "not_covered"


def test_women_only_plan():
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key="2")
    assert r.adjudicate(PLANS["np-nvzhigong"], cover(90), event).refusal == "women_only"
    assert r.adjudicate(PLANS["np-nvzhigong"], cover(90, sex="F"), event).amount_fen == 300000


# --- Fixed sums, classes, family --------------------------------------------------------------------

def test_listed_disease_pays_its_sum_once_a_coverage():
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key="malignant_tumour")
    first = r.adjudicate(PLANS["cq-zhongji"], cover(90), event)
    assert first.amount_fen == 1200000
    assert "所患“恶性肿瘤”属约定病种，定额给付12,000元。" in texts(first)
    again = r.adjudicate(PLANS["cq-zhongji"], cover(90), event,
                         [r.PriorPayment("C1", (("fixed_sum", 1200000),), (r.fixed_key(event),))])
    assert again.amount_fen == 0


def test_unlisted_disease_pays_nothing():
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key="influenza")
    assert r.adjudicate(PLANS["cq-zhongji"], cover(90), event).refusal == "nothing_payable"


def test_family_member_gets_the_family_sum():
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key="uraemia", family_member=True)
    result = r.adjudicate(PLANS["cq-zhongji"], cover(90), event)
    assert result.components == {"family": 200000}


def test_family_member_without_family_benefit():
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key="severe", family_member=True)
    assert r.adjudicate(PLANS["sh-tezhong"], cover(90), event).amount_fen == 0


@pytest.mark.parametrize(("key", "paid_fen"), [("uraemia", 1000000), ("stroke", 800000), ("severe", 1000000)])
def test_classes_by_disease_or_class(key, paid_fen):
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key=key)
    assert r.adjudicate(PLANS["sh-tezhong"], cover(90), event).amount_fen == paid_fen


@pytest.mark.parametrize(("klass", "paid_fen"), [("1", 600000), ("2", 300000), ("3", 200000), ("4", 100000)])
def test_nanping_class_sums(klass, paid_fen):
    event = r.ClaimEvent(event_on=date(2026, 6, 1), disease_key=klass)
    assert r.adjudicate(PLANS["np-nvzhigong"], cover(90, sex="F"), event).amount_fen == paid_fen


def test_shares_multiply_amounts_and_caps():
    event = stay(date(2026, 6, 1), 40)
    one = r.adjudicate(PLANS["sh-huiyuan"], cover(90), event)
    two = r.adjudicate(PLANS["sh-huiyuan"], cover(90, shares=2), event)
    assert (one.amount_fen, two.amount_fen) == (60000, 120000)  # claim cap 600 元 a share


# --- Cost share: deductible and ratio by hospital grade, claim and year caps ------------------------

@pytest.mark.parametrize(("grade", "paid_fen"), [("1", 1554000), ("2", 1332000), ("3", 1110000)])
def test_cost_share_by_grade(grade, paid_fen):
    event = stay(date(2026, 6, 1), 10, hospital_grade=grade, lines=lines((3000000, 1800000), (500000, 500000)))
    result = r.adjudicate(PLANS["cost-share"], cover(90), event)
    assert result.amount_fen == paid_fen  # (23,000 − 800) × 70 % / 60 % / 50 %


def test_cost_share_below_the_deductible_pays_nothing():
    event = stay(date(2026, 6, 1), 2, hospital_grade="3", lines=lines((100000, 80000)))
    assert r.adjudicate(PLANS["cost-share"], cover(90), event).amount_fen == 0


def test_cost_share_claim_and_year_caps_together():
    event = stay(date(2026, 6, 1), 10, hospital_grade="1", lines=lines((9000000, 6000000)))
    assert r.adjudicate(PLANS["cost-share"], cover(90), event).amount_fen == 2000000
    prior = [r.PriorPayment("X", (("cost_share", 2000000),)), r.PriorPayment("Y", (("cost_share", 1500000),))]
    result = r.adjudicate(PLANS["cost-share"], cover(90), event, prior)
    assert result.amount_fen == 1500000
    assert texts(result)[-2] == ("各项给付合计每个保障年度以50,000元为限，本年度已给付35,000元，"
                                 "尚余15,000元，本次核减为15,000元。")


def test_half_fen_rounds_up():
    assert r.ratio_of(1, 500) == 1 and r.ratio_of(3, 500) == 2 and r.ratio_of(1, 499) == 0


# --- Order never matters ----------------------------------------------------------------------------

cost_lines = st.lists(st.tuples(st.integers(0, 5_000_000), st.integers(0, 5_000_000)).map(
    lambda p: (max(p), min(p))), min_size=1, max_size=8)
priors = st.lists(st.tuples(st.sampled_from(["cost_share", "allowance"]), st.integers(1, 2_000_000)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(pairs=cost_lines, paid=priors, grade=st.sampled_from(["1", "2", "3"]), data=st.data())
def test_result_does_not_depend_on_the_order_of_lines_rows_or_payments(pairs, paid, grade, data):
    event_lines = lines(*pairs)
    prior = [r.PriorPayment(f"P{n}", ((kind, fen),)) for n, (kind, fen) in enumerate(paid)]
    plan = PLANS["cost-share"]
    base = r.adjudicate(plan, cover(90), stay(date(2026, 6, 1), 5, hospital_grade=grade, lines=event_lines), prior)
    shuffled_plan = r.PlanTerms(**{**plan.__dict__, "rules": tuple(data.draw(st.permutations(plan.rules)))})
    shuffled = r.adjudicate(
        shuffled_plan, cover(90),
        stay(date(2026, 6, 1), 5, hospital_grade=grade, lines=tuple(data.draw(st.permutations(event_lines)))),
        data.draw(st.permutations(prior)))
    assert (shuffled.amount_fen, shuffled.components, shuffled.explanation()) == \
        (base.amount_fen, base.components, base.explanation())
    assert 0 <= base.amount_fen <= 2000000


@settings(max_examples=100, deadline=None)
@given(days=st.integers(0, 200), paid=st.integers(0, 500000), data=st.data())
def test_allowance_never_exceeds_its_year_cap(days, paid, data):
    plan = PLANS["zgbx-zhuyuan"]
    plan = r.PlanTerms(**{**plan.__dict__, "rules": tuple(data.draw(st.permutations(plan.rules)))})
    result = r.adjudicate(plan, cover(30), stay(date(2026, 6, 1), days), [r.PriorPayment("A", (("allowance", paid),))])
    assert result.amount_fen <= max(450000 - paid, 0)
    assert result.amount_fen == min(max(days - 3, 0) * 5000, max(450000 - paid, 0))


# --- Review flow, limits, duplicates, bad input -----------------------------------------------------

def test_second_review_only_above_the_threshold():
    assert not r.needs_second_review(500000, 500000)
    assert r.needs_second_review(500001, 500000)


def test_one_appeal_within_the_window():
    decided = date(2026, 6, 1)
    assert r.may_appeal("rejected", False, decided, decided + 30 * D, 30) == ""
    assert r.may_appeal("rejected", False, decided, decided + 31 * D, 30) == "claim.appeal_late"
    assert r.may_appeal("rejected", True, decided, decided, 30) == "claim.appeal_once"
    assert r.may_appeal("approved", False, decided, decided, 30) == "claim.appeal_state"


def test_state_machine():
    assert r.next_state("submitted", "first_approve") == "first_approved"
    assert r.next_state("appealed", "approve") == "approved"
    with pytest.raises(r.TransitionError):
        r.next_state("approved", "reject")
    with pytest.raises(r.TransitionError):
        r.next_state("submitted", "appeal")


def test_overdue_only_while_waiting_for_a_review():
    due = date(2026, 6, 10)
    assert not r.is_overdue("submitted", due, due)
    assert r.is_overdue("submitted", due, due + D)
    assert not r.is_overdue("approved", due, due + D)


def test_duplicates_by_overlapping_stay_or_same_invoice():
    key = r.ClaimKey("C1", 7, date(2026, 6, 1), date(2026, 6, 10), frozenset({"FP1"}))
    others = [
        r.ClaimKey("C2", 7, date(2026, 6, 10), date(2026, 6, 12), frozenset()),   # same person, touching
        r.ClaimKey("C3", 7, date(2026, 6, 11), date(2026, 6, 12), frozenset()),   # after: fine
        r.ClaimKey("C4", 8, date(2026, 1, 1), date(2026, 1, 2), frozenset({"FP1"})),  # same invoice
        r.ClaimKey("C5", 8, date(2026, 6, 1), date(2026, 6, 10), frozenset()),   # other person: fine
    ]
    flags = r.duplicate_flags(key, others)
    assert flags == [{"code": "invoice", "claim": "C4", "invoice": "FP1"}, {"code": "overlap", "claim": "C2"}]
    assert r.duplicate_flags(key, reversed(others)) == flags


def test_discharge_before_admission_is_refused():
    event = r.ClaimEvent(event_on=date(2026, 6, 5), admitted_on=date(2026, 6, 5), discharged_on=date(2026, 6, 4))
    assert [e[:2] for e in r.validate_event(event)] == [("discharged_on", "claim.discharge_before_admission")]
    bad = r.ClaimEvent(event_on=date(2026, 6, 5), lines=lines((100, 200)))
    assert [e[1] for e in r.validate_event(bad)] == ["claim.self_paid_above_total"]


events = st.builds(
    lambda day, days, disease, family, accident: r.ClaimEvent(
        event_on=START + day * D, admitted_on=START + day * D if days is not None else None,
        discharged_on=START + (day + days) * D if days is not None else None, hospital_grade="2",
        disease_key=disease, family_member=family, is_accident=accident),
    st.integers(0, 330), st.one_of(st.none(), st.integers(0, 90)),
    st.sampled_from(["", "malignant_tumour", "stroke", "uraemia", "severe", "1", "3", "influenza"]),
    st.booleans(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(sorted(PLANS)), event=events, renewed=st.booleans(), paid=priors, data=st.data())
def test_every_plan_is_order_independent_and_within_its_caps(code, event, renewed, paid, data):
    plan = PLANS[code]
    facts = cover(90, renewed=renewed, sex="F")
    prior = [r.PriorPayment(f"P{n}", ((kind, fen),)) for n, (kind, fen) in enumerate(paid)]
    base = r.adjudicate(plan, facts, event, prior)
    shuffled = r.PlanTerms(**{**plan.__dict__, "rules": tuple(data.draw(st.permutations(plan.rules)))})
    again = r.adjudicate(shuffled, facts, event, data.draw(st.permutations(prior)))
    assert (again.amount_fen, again.components, again.explanation()) == \
        (base.amount_fen, base.components, base.explanation())
    assert base.amount_fen == sum(base.components.values()) >= 0
    for row in plan.rules:
        if row.code == "year_cap":
            scope = r.cap_scope(row)
            already = sum(fen for kind, fen in paid if kind in scope)
            assert sum(base.components.get(c, 0) for c in scope) <= max(row.amount_fen - already, 0)
