"""Adjudication of mutual-aid claims (互助金核定) as pure functions over plain values: is the
worker covered on the event day, past the waiting period and eligible; what the plan's benefit
rule rows pay for the event, given what was already paid in the same coverage year; and every
step said in Chinese. Also the claim state machine, review thresholds, time limits and the
possible-duplicate checks. No Django, no database: actions_claims.py and batch.py both call
`adjudicate`, so the single action and the batch cannot disagree.

Readings (docs/mutualaid/claims.md states them with examples):
- Waiting period: `waiting_ends_on` is the first day a claim is possible; an event ON that day
  is covered. Accidents never wait; an unbroken renewal never waits again.
- Length of stay: discharge date minus admission date (入院当天算、出院当天不算), at least 1.
- "50 元/day for stays over 3 days": `min_stay_days` 3 and `per_day` 5,000 fen counted from day
  4 (params beyond_min_stay true); a stay of exactly 3 days pays nothing.
- Cost share: (in-catalogue self-paid part − deductible of the hospital grade) × payout ratio of
  the grade, rounded half up to the fen.
- Limits: every cap is a minimum taken over all of them at once on totals (never line by line),
  so the result does not depend on the order of cost lines, rule rows or earlier payments.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta


def gettext_noop(text: str) -> str:  # marks the step sentences for makemessages; no Django here
    return text


# --- Plain values --------------------------------------------------------------------------------

ACCIDENT_KIND = "accident"


@dataclass(frozen=True)
class BenefitRuleValue:
    """One BenefitRule row of a plan version: `code` (see CODES), `key` (grade, disease, class,
    component), `amount_fen` and `params`."""

    code: str
    key: str = ""
    amount_fen: int | None = None
    params: tuple[tuple[str, object], ...] = ()

    def param(self, name: str, default=None):
        return dict(self.params).get(name, default)


def rule(code: str, key: str = "", amount_fen: int | None = None, **params) -> BenefitRuleValue:
    """A rule value from keyword params (lists kept as tuples, so values compare and hash)."""
    frozen = ((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())
    return BenefitRuleValue(code, key, amount_fen, tuple(sorted(frozen)))


# The benefit rule codes a plan version may carry are M1's contract, docs/mutualaid/plans.md;
# codes not listed there are ignored. Amounts are per share unless params.per_share is false.
CODES = ("per_day", "min_stay_days", "claim_cap", "year_cap", "deductible", "ratio", "listed_disease",
         "class_sum", "family_sum", "critical_sum", "early_illness", "accident_sum")

# Benefit components (what a claim's amount is made of; caps keyed by a component apply to it).
ALLOWANCE, COST_SHARE, FIXED_SUM, FAMILY, CRITICAL, ACCIDENT = (
    "allowance", "cost_share", "fixed_sum", "family", "critical", "accident")
COMPONENTS = (ALLOWANCE, COST_SHARE, FIXED_SUM, FAMILY, CRITICAL, ACCIDENT)
COMPONENT_LABELS = {
    "": gettext_noop("各项给付合计"), ALLOWANCE: gettext_noop("住院津贴"), COST_SHARE: gettext_noop("医疗费用分担"),
    FIXED_SUM: gettext_noop("病种定额"), FAMILY: gettext_noop("家属给付"), CRITICAL: gettext_noop("重大疾病"),
    ACCIDENT: gettext_noop("意外伤害"),
}


@dataclass(frozen=True)
class PlanTerms:
    """A plan version as plain values."""

    kind: str
    waiting_days: int
    min_age: int
    max_age: int
    requires_membership: bool
    requires_medical_insurance: bool
    employment_forms: tuple[str, ...]
    women_only: bool
    rules: tuple[BenefitRuleValue, ...]


@dataclass(frozen=True)
class CoverageFacts:
    """The worker's coverage and status on the event day."""

    starts_on: date
    waiting_ends_on: date
    ends_on: date
    state: str  # active / suspended / ended (ended still covers up to ends_on)
    renewed: bool  # an unbroken renewal: never waits again
    shares: int
    birth_date: date
    sex: str  # "M" / "F"
    member: bool
    medical_insured: bool
    employment_form: str


@dataclass(frozen=True)
class CostLine:
    invoice_no: str
    total_fen: int
    self_paid_fen: int


@dataclass(frozen=True)
class ClaimEvent:
    event_on: date
    admitted_on: date | None = None
    discharged_on: date | None = None
    hospital_grade: str = ""
    disease_key: str = ""
    is_accident: bool = False
    family_member: bool = False
    lines: tuple[CostLine, ...] = ()


@dataclass(frozen=True)
class PriorPayment:
    """Amounts of one earlier approved claim of the same coverage year, by component."""

    claim: str
    components: tuple[tuple[str, int], ...]
    diseases: tuple[str, ...] = ()  # listed diseases or classes already paid a fixed sum


@dataclass(frozen=True)
class Step:
    """One sentence of the computation: a Chinese template (translated on display) and its
    values; `amount_fen` is the running figure the step arrives at, if any."""

    code: str
    template: str
    values: tuple[tuple[str, object], ...] = ()
    amount_fen: int | None = None

    def text(self, translate=lambda s: s) -> str:
        return translate(self.template) % dict(self.values)

    def as_dict(self) -> dict:
        return {"code": self.code, "template": self.template, "values": dict(self.values),
                "amount_fen": self.amount_fen, "text": self.text()}


@dataclass(frozen=True)
class Adjudication:
    payable: bool
    amount_fen: int
    components: dict[str, int]
    steps: tuple[Step, ...]
    refusal: str = ""  # a code when not payable
    rules_used: tuple[tuple[str, str], ...] = field(default=())

    def explanation(self) -> list[dict]:
        return [s.as_dict() for s in self.steps]


# --- Small helpers -------------------------------------------------------------------------------

def yuan(fen: int) -> str:
    """12345 -> "123.45", 35000 -> "350" (sentences, not tables)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}" if cents == 0 else f"{sign}{whole:,}.{cents:02d}"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def stay_days(admitted: date, discharged: date) -> int:
    """入院当天算、出院当天不算; a same-day stay is one day."""
    return max((discharged - admitted).days, 1)


def ratio_of(amount_fen: int, permille: int) -> int:
    """amount × permille / 1000, rounded half up to the fen (integers only)."""
    return (amount_fen * permille + 500) // 1000


def _step(code: str, template: str, amount_fen: int | None = None, **values) -> Step:
    return Step(code, template, tuple(sorted(values.items())), amount_fen)


class Rules:
    """Index of a version's rule rows by (code, key): row order never matters."""

    def __init__(self, rows: Iterable[BenefitRuleValue]) -> None:
        self.by: dict[tuple[str, str], BenefitRuleValue] = {}
        for row in rows:
            self.by[(row.code, row.key)] = row
        self.used: set[tuple[str, str]] = set()

    def get(self, code: str, key: str = "") -> BenefitRuleValue | None:
        row = self.by.get((code, key))
        if row is not None:
            self.used.add((code, key))
        return row

    def graded(self, code: str, grade: str) -> BenefitRuleValue | None:
        return self.get(code, grade) or self.get(code, "")

    def of(self, code: str) -> list[BenefitRuleValue]:
        return sorted((r for (c, _k), r in self.by.items() if c == code), key=lambda r: r.key)

    def has(self, code: str) -> bool:
        return any(c == code for c, _k in self.by)


# --- Covered, waited, eligible ------------------------------------------------------------------

def check_cover(plan: PlanTerms, cover: CoverageFacts, event: ClaimEvent) -> list[Step]:
    """The steps that stop a claim; empty when the worker is covered, waited and eligible."""
    day = event.event_on
    if not cover.starts_on <= day <= cover.ends_on:
        return [_step("not_covered", gettext_noop("出险日期%(day)s不在保障期%(start)s至%(end)s内，不予给付。"),
                      day=day.isoformat(), start=cover.starts_on.isoformat(), end=cover.ends_on.isoformat())]
    if cover.state == "suspended":
        return [_step("suspended", gettext_noop("出险时保障因欠费暂停，不予给付。"))]
    stops = _waiting(plan, cover, event)
    return stops or _eligibility(plan, cover, day)


def no_waiting_reason(plan: PlanTerms, cover: CoverageFacts, event: ClaimEvent) -> str:
    if event.is_accident or plan.kind == ACCIDENT_KIND:
        return "accident"
    if cover.renewed:
        return "renewal"
    return ""


def _waiting(plan: PlanTerms, cover: CoverageFacts, event: ClaimEvent) -> list[Step]:
    if no_waiting_reason(plan, cover, event) or event.event_on >= cover.waiting_ends_on:
        return []
    rules = Rules(plan.rules)
    if _is_critical(rules, event) and rules.has("early_illness"):
        return []  # the early-illness sum is the plan's own answer to an illness in the wait
    return [_step("waiting", gettext_noop("出险日期%(day)s在等待期内（等待期满日为%(end)s，当日起可申请），不予给付。"),
                  day=event.event_on.isoformat(), end=cover.waiting_ends_on.isoformat())]


def _eligibility(plan: PlanTerms, cover: CoverageFacts, day: date) -> list[Step]:
    age = age_on(cover.birth_date, day)
    if not plan.min_age <= age <= plan.max_age:
        return [_step("age", gettext_noop("出险时年龄%(age)d岁，不在本计划%(low)d至%(high)d岁的范围内，不予给付。"),
                      age=age, low=plan.min_age, high=plan.max_age)]
    if plan.requires_membership and not cover.member:
        return [_step("not_member", gettext_noop("出险时不是工会会员，不予给付。"))]
    if plan.requires_medical_insurance and not cover.medical_insured:
        return [_step("no_medical_insurance", gettext_noop(
            "本计划要求参加职工基本医疗保险；花名册登记该职工未参加职工医保（“参加职工医保”为“否”），不予给付。"))]
    if plan.employment_forms and cover.employment_form not in plan.employment_forms:
        return [_step("employment_form", gettext_noop("用工形式不在本计划适用范围内，不予给付。"))]
    if plan.women_only and cover.sex != "F":
        return [_step("women_only", gettext_noop("本计划仅限女职工。"))]
    return []


def cover_step(plan: PlanTerms, cover: CoverageFacts, event: ClaimEvent) -> Step:
    reason = no_waiting_reason(plan, cover, event)
    if reason == "accident":
        text = gettext_noop("出险日期%(day)s在保障期内；意外事故不设等待期。")
    elif reason == "renewal":
        text = gettext_noop("出险日期%(day)s在保障期内；连续续保，不再设等待期。")
    elif event.event_on >= cover.waiting_ends_on:
        text = gettext_noop("出险日期%(day)s在保障期内，且已过等待期（等待期满日%(end)s）。")
    else:
        text = gettext_noop("出险日期%(day)s在等待期内（等待期满日%(end)s），只按等待期内重大疾病的规定给付。")
    return _step("covered", text, day=event.event_on.isoformat(), end=cover.waiting_ends_on.isoformat())


# --- Benefit components --------------------------------------------------------------------------

def _per_share(row: BenefitRuleValue, shares: int) -> int:
    """Amounts are per share (plans.md) unless params.per_share is false."""
    return (row.amount_fen or 0) * (max(shares, 1) if row.param("per_share", True) else 1)


def allowance(rules: Rules, cover: CoverageFacts, event: ClaimEvent) -> tuple[int, list[Step]]:
    per_day = rules.get("per_day")
    if per_day is None or event.admitted_on is None or event.discharged_on is None:
        return 0, []
    days = stay_days(event.admitted_on, event.discharged_on)
    minimum_row = rules.get("min_stay_days")
    minimum = int(minimum_row.param("days", 0)) if minimum_row else 0
    beyond = (minimum_row.param("counts", "beyond") if minimum_row else "beyond") == "beyond"
    rate = _per_share(per_day, cover.shares)
    if days <= minimum:
        return 0, [_step(ALLOWANCE, gettext_noop("住院%(days)d天，未超过%(min)d天，不计住院津贴。"), 0,
                         days=days, min=minimum)]
    counted = days - minimum if beyond else days
    amount = counted * rate
    if beyond and minimum:
        text = gettext_noop("住院%(days)d天，超过%(min)d天部分按每天%(rate)s元计%(counted)d天，共%(amount)s元。")
    else:
        text = gettext_noop("住院%(days)d天，按每天%(rate)s元计%(counted)d天，共%(amount)s元。")
    return amount, [_step(ALLOWANCE, text, amount, days=days, min=minimum, rate=yuan(rate),
                          counted=counted, amount=yuan(amount))]


def cost_share(rules: Rules, event: ClaimEvent) -> tuple[int, list[Step]]:
    ratio = rules.graded("ratio", event.hospital_grade)
    if ratio is None:
        return 0, []
    lines = sorted(event.lines, key=lambda line: (line.invoice_no, line.total_fen, line.self_paid_fen))
    total = sum(line.total_fen for line in lines)
    self_paid = sum(line.self_paid_fen for line in lines)
    steps = [_step("cost_lines", gettext_noop("医疗费用%(n)d张发票合计%(total)s元，其中目录内自付%(self_paid)s元。"),
                   self_paid, n=len(lines), total=yuan(total), self_paid=yuan(self_paid))]
    deductible_row = rules.graded("deductible", event.hospital_grade)
    deductible = (deductible_row.amount_fen or 0) if deductible_row else 0
    base = max(self_paid - deductible, 0)
    permille = int(ratio.param("permille", 0))
    amount = ratio_of(base, permille)
    steps.append(_step(COST_SHARE, gettext_noop(
        "%(grade)s级医院：起付线%(deductible)s元，超过部分%(base)s元按%(percent)s%%给付，共%(amount)s元。"), amount,
        grade=event.hospital_grade or "-", deductible=yuan(deductible), base=yuan(base),
        percent=_percent(permille), amount=yuan(amount)))
    return amount, steps


def _percent(permille: int) -> str:
    whole, tenth = divmod(permille, 10)
    return str(whole) if tenth == 0 else f"{whole}.{tenth}"


def _class_of(rules: Rules, key: str) -> BenefitRuleValue | None:
    """The class row named by `key`, or the class whose `diseases` list holds `key`."""
    if not key:
        return None
    direct = rules.get("class_sum", key)
    if direct is not None:
        return direct
    for row in rules.of("class_sum"):
        if key in (row.param("diseases") or ()):
            return rules.get("class_sum", row.key)
    return None


def _disease_name(row: BenefitRuleValue | None, key: str) -> str:
    return str(row.param("name", key)) if row is not None else key


def fixed_sum(rules: Rules, cover: CoverageFacts, event: ClaimEvent,
              paid_diseases: frozenset[str]) -> tuple[str, int, list[Step]]:
    """A listed disease's or a class's fixed sum, or a family member's sum; once per coverage."""
    key = event.disease_key
    listed = rules.get("listed_disease", key) if key else None
    klass = None if listed is not None else _class_of(rules, key)
    row = listed or klass
    if row is None:
        return FIXED_SUM, 0, []
    name = _disease_name(row, key)
    component = FAMILY if event.family_member else FIXED_SUM
    paid_key = ("family:" if event.family_member else "") + key
    if paid_key in paid_diseases:
        return component, 0, [_step(component, gettext_noop("“%(disease)s”在本保障期内已给付过定额，不再给付。"), 0,
                                    disease=name)]
    if event.family_member:
        family = rules.get("family_sum", key) or rules.get("family_sum")
        if family is None:
            return FAMILY, 0, [_step(FAMILY, gettext_noop("本计划不保障家属。"), 0)]
        amount = _per_share(family, cover.shares)
        return FAMILY, amount, [_step(FAMILY, gettext_noop("家属患“%(disease)s”，按家属给付标准%(amount)s元。"),
                                      amount, disease=name, amount=yuan(amount))]
    amount = _per_share(row, cover.shares)
    if listed is not None:
        text = gettext_noop("所患“%(disease)s”属约定病种，定额给付%(amount)s元。")
    else:
        text = gettext_noop("所患“%(disease)s”属“%(klass)s”类，定额给付%(amount)s元。")
    return FIXED_SUM, amount, [_step(FIXED_SUM, text, amount, disease=name, klass=_disease_name(klass, klass.key if
                                     klass else ""), amount=yuan(amount))]


def _is_critical(rules: Rules, event: ClaimEvent) -> bool:
    """A critical illness of the worker: named on the claim, and listed when the plan lists any."""
    if event.family_member or not event.disease_key:
        return False
    if not (rules.has("critical_sum") or rules.has("early_illness")):
        return False
    return not rules.has("listed_disease") or ("listed_disease", event.disease_key) in rules.by


def critical(rules: Rules, cover: CoverageFacts, event: ClaimEvent) -> tuple[int, list[Step]]:
    """critical_sum from day `from_day` after the start (any day on a renewal); early_illness
    (a reduced sum) between its from_day and to_day of a new enrolment; before that nothing."""
    if not _is_critical(rules, event):
        return 0, []
    day = (event.event_on - cover.starts_on).days  # the start day is day 0
    full, early = rules.get("critical_sum"), rules.get("early_illness")
    if full is not None and (cover.renewed or day >= int(full.param("from_day", 0))):
        amount = _per_share(full, cover.shares)
        text = (gettext_noop("重大疾病“%(disease)s”确诊于连续续保期间，给付%(amount)s元。") if cover.renewed else
                gettext_noop("重大疾病“%(disease)s”确诊于保障开始后第%(day)d天（第%(low)d天起），给付%(amount)s元。"))
        return amount, [_step(CRITICAL, text, amount, disease=event.disease_key, day=day,
                              low=int(full.param("from_day", 0)), amount=yuan(amount))]
    if early is not None:
        low, high = int(early.param("from_day", 0)), int(early.param("to_day", day))
        if low <= day <= high:
            amount = _per_share(early, cover.shares)
            return amount, [_step(CRITICAL, gettext_noop(
                "重大疾病“%(disease)s”确诊于保障开始后第%(day)d天（第%(low)d至%(high)d天），按早期给付%(amount)s元。"),
                amount, disease=event.disease_key, day=day, low=low, high=high, amount=yuan(amount))]
    return 0, [_step(CRITICAL, gettext_noop("重大疾病确诊于保障开始后第%(day)d天，未到可给付的时间，不予给付。"), 0,
                     day=day)]


def accident(rules: Rules, cover: CoverageFacts, event: ClaimEvent) -> tuple[int, list[Step]]:
    """Accident sums by outcome: key `death` or the disability grade `1`…`10` (disease_key)."""
    if not event.is_accident or not event.disease_key:
        return 0, []
    row = rules.get("accident_sum", event.disease_key)
    if row is None:
        return 0, []
    amount = _per_share(row, cover.shares)
    return amount, [_step(ACCIDENT, gettext_noop("意外事故，结果“%(outcome)s”，定额给付%(amount)s元。"), amount,
                          outcome=event.disease_key, amount=yuan(amount))]


# --- Limits ----------------------------------------------------------------------------------------

# Which component each benefit rule code produces (a cap's params.codes names rule codes).
COMPONENT_OF_CODE = {
    "per_day": ALLOWANCE, "min_stay_days": ALLOWANCE, "deductible": COST_SHARE, "ratio": COST_SHARE,
    "listed_disease": FIXED_SUM, "class_sum": FIXED_SUM, "family_sum": FAMILY, "critical_sum": CRITICAL,
    "early_illness": CRITICAL, "accident_sum": ACCIDENT,
}


def _paid_before(prior: Sequence[PriorPayment]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for payment in prior:
        for component, fen in payment.components:
            totals[component] = totals.get(component, 0) + fen
    return totals


def cap_scope(row: BenefitRuleValue) -> tuple[str, ...]:
    """The components a cap row limits: its key (a component), the components of the rule
    codes in params.codes, or else everything."""
    if row.key in COMPONENTS:
        return (row.key,)
    codes = row.param("codes") or ()
    if codes:
        return tuple(c for c in COMPONENTS if c in {COMPONENT_OF_CODE.get(code, code) for code in codes})
    return COMPONENTS


def apply_limits(rules: Rules, components: dict[str, int], prior: Sequence[PriorPayment],
                 shares: int) -> tuple[dict[str, int], list[Step]]:
    """Every claim cap and year cap as a minimum on totals, narrow caps before wide ones (a
    fixed order, whatever the order of the rows); a cut falls on the components of the cap's
    scope in the fixed order of COMPONENTS, last first."""
    paid = _paid_before(prior)
    caps = [row for code in ("claim_cap", "year_cap") for row in rules.of(code)]
    caps.sort(key=lambda row: (len(cap_scope(row)), row.code, row.key))
    steps: list[Step] = []
    result = dict(components)
    for row in caps:
        scope = cap_scope(row)
        wanted = sum(result.get(c, 0) for c in scope)
        if wanted <= 0:
            continue
        rules.get(row.code, row.key)
        room, step = _room(row, scope, wanted, sum(paid.get(c, 0) for c in scope), shares)
        if room < wanted:
            result = _reduce(result, scope, wanted - room)
            steps.append(step)
    return result, steps


def _what(scope: tuple[str, ...]) -> str:
    return COMPONENT_LABELS[""] if scope == COMPONENTS else "、".join(COMPONENT_LABELS[c] for c in scope)


def _room(row: BenefitRuleValue, scope: tuple[str, ...], wanted: int, paid: int, shares: int) -> tuple[int, Step]:
    """The most that may still be paid under one cap row."""
    cap = _per_share(row, shares)
    if row.code == "claim_cap":
        return cap, _step("claim_cap", gettext_noop("%(what)s单次以%(cap)s元为限，本次核减为%(amount)s元。"),
                          cap, cap=yuan(cap), what=_what(scope), amount=yuan(min(cap, wanted)))
    left = max(cap - paid, 0)
    return left, _step("year_cap", gettext_noop(
        "%(what)s每个保障年度以%(cap)s元为限，本年度已给付%(paid)s元，尚余%(left)s元，本次核减为%(amount)s元。"),
        left, cap=yuan(cap), what=_what(scope), paid=yuan(paid), left=yuan(left), amount=yuan(min(left, wanted)))


def _reduce(components: dict[str, int], scope: tuple[str, ...], excess: int) -> dict[str, int]:
    result = dict(components)
    for component in reversed(scope):
        cut = min(result.get(component, 0), excess)
        if cut:
            result[component] -= cut
            excess -= cut
    return result


# --- The whole adjudication ----------------------------------------------------------------------

def adjudicate(plan: PlanTerms, cover: CoverageFacts, event: ClaimEvent,
               prior: Sequence[PriorPayment] = ()) -> Adjudication:
    """What the claim pays and why, step by step. `prior`: earlier approved claims of the same
    coverage (one coverage = one person, plan and period)."""
    stops = check_cover(plan, cover, event)
    if stops:
        return Adjudication(False, 0, {}, tuple(stops), refusal=stops[0].code)
    rules = Rules(plan.rules)
    steps = [cover_step(plan, cover, event)]
    components: dict[str, int] = {}
    if bool(no_waiting_reason(plan, cover, event)) or event.event_on >= cover.waiting_ends_on:
        paid_diseases = frozenset(d for payment in prior for d in payment.diseases)
        found = [(ALLOWANCE, *allowance(rules, cover, event)), (COST_SHARE, *cost_share(rules, event)),
                 fixed_sum(rules, cover, event, paid_diseases), (ACCIDENT, *accident(rules, cover, event))]
        for component, amount, more in found:
            components[component] = components.get(component, 0) + amount
            steps += more
    amount, more = critical(rules, cover, event)
    components[CRITICAL] = amount
    steps += more
    components = {k: v for k, v in components.items() if v > 0}
    if not components:
        steps.append(_step("nothing", gettext_noop("本次事故不符合本计划任何给付项目，不予给付。"), 0))
        return Adjudication(False, 0, {}, tuple(steps), refusal="nothing_payable",
                            rules_used=tuple(sorted(rules.used)))
    components, more = apply_limits(rules, components, prior, cover.shares)
    steps += more
    total = sum(components.values())
    steps.append(_step("total", gettext_noop("核定给付金额合计%(amount)s元。"), total, amount=yuan(total)))
    return Adjudication(total > 0, total, {k: v for k, v in components.items() if v > 0}, tuple(steps),
                        refusal="" if total > 0 else "cap_reached", rules_used=tuple(sorted(rules.used)))


def fixed_key(event: ClaimEvent) -> str:
    """What a paid claim records in PriorPayment.diseases (a fixed sum is paid once a coverage)."""
    return ("family:" if event.family_member else "") + event.disease_key if event.disease_key else ""


# --- Review flow, time limits, duplicates ---------------------------------------------------------

SUBMITTED, FIRST_APPROVED, APPROVED, REJECTED = "submitted", "first_approved", "approved", "rejected"
APPEALED, IN_BATCH, PAID, PAYMENT_FAILED = "appealed", "in_batch", "paid", "payment_failed"

# verb -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "first_approve": (frozenset({SUBMITTED}), FIRST_APPROVED),
    "approve": (frozenset({SUBMITTED, FIRST_APPROVED, APPEALED}), APPROVED),
    "reject": (frozenset({SUBMITTED, FIRST_APPROVED, APPEALED}), REJECTED),
    "appeal": (frozenset({REJECTED}), APPEALED),
}


class TransitionError(ValueError):
    def __init__(self, code: str, **details) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def next_state(state: str, verb: str) -> str:
    sources, target = TRANSITIONS[verb]
    if state not in sources:
        raise TransitionError("claim.illegal_transition", state=state, verb=verb)
    return target


def review_stage(state: str) -> str:
    """Which review a claim in `state` waits for: first, second or appeal."""
    return {SUBMITTED: "first", FIRST_APPROVED: "second", APPEALED: "appeal"}.get(state, "")


def needs_second_review(amount_fen: int, threshold_fen: int) -> bool:
    """Above the threshold (超过: not at it) a fund approver decides after the first review."""
    return amount_fen > threshold_fen


def may_appeal(state: str, appealed_before: bool, decided_on: date, today: date, window_days: int) -> str:
    """'' when an appeal is allowed, else the code of why not. One appeal per claim."""
    if state != REJECTED:
        return "claim.appeal_state"
    if appealed_before:
        return "claim.appeal_once"
    if today > decided_on + timedelta(days=window_days):
        return "claim.appeal_late"
    return ""


def due_on(start: date, days: int) -> date:
    """届满: the limit includes its last day."""
    return start + timedelta(days=days)


def is_overdue(state: str, due: date | None, today: date) -> bool:
    return review_stage(state) != "" and due is not None and today > due


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


@dataclass(frozen=True)
class ClaimKey:
    """What a duplicate check compares: the claim's number, person, dates and invoices."""

    number: str
    person: int
    starts: date
    ends: date
    invoices: frozenset[str]


def duplicate_flags(claim: ClaimKey, others: Iterable[ClaimKey]) -> list[dict]:
    """Possible duplicates: the same person with overlapping dates, or the same invoice number
    (any person). Sorted, so the flags do not depend on the order of `others`."""
    flags = []
    for other in others:
        if other.number == claim.number:
            continue
        if other.person == claim.person and overlaps(claim.starts, claim.ends, other.starts, other.ends):
            flags.append({"code": "overlap", "claim": other.number})
        for invoice in sorted(claim.invoices & other.invoices):
            flags.append({"code": "invoice", "claim": other.number, "invoice": invoice})
    return sorted(flags, key=lambda f: (f["code"], f["claim"], f.get("invoice", "")))


def validate_event(event: ClaimEvent) -> list[tuple[str, str, str]]:
    """Bad input as (field, code, Chinese message); nothing may be written when any is found."""
    errors = []
    if event.admitted_on and event.discharged_on and event.discharged_on < event.admitted_on:
        errors.append(("discharged_on", "claim.discharge_before_admission", gettext_noop("出院日期不能早于入院日期。")))
    for line in event.lines:
        if line.total_fen < 0 or line.self_paid_fen < 0:
            errors.append(("total_cost", "claim.negative_amount", gettext_noop("金额不能为负数。")))
            break
        if line.self_paid_fen > line.total_fen:
            errors.append(("self_paid", "claim.self_paid_above_total",
                           gettext_noop("目录内自付部分不能超过医疗费用总额。")))
            break
    return errors
