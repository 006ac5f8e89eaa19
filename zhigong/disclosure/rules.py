"""Factory-affairs disclosure (厂务公开) and the three-party evaluation as pure functions: the
disclosure calendar, compliance, indicators and grades. No Django, no database. Progress roll-up
of decisions lives in zhigong/tracking/rules.py."""

import calendar as _calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY = "monthly", "quarterly", "half_yearly", "yearly"
ON_EVENT, BEFORE_VOTE = "on_event", "before_vote"
PERIODIC = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
MONTHS_PER_PERIOD = {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    due: date


def month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def period_label(frequency: str, year: int, index: int) -> str:
    """2026-03, 2026-Q1, 2026-H1, 2026."""
    return {MONTHLY: f"{year}-{index:02d}", QUARTERLY: f"{year}-Q{index}", HALF_YEARLY: f"{year}-H{index}",
            YEARLY: f"{year}"}[frequency]


def periods(frequency: str, year: int, grace_days: int) -> list[Period]:
    """The periods of a year for a periodic matter; each is due `grace_days` after it ends."""
    if frequency not in PERIODIC:
        return []
    step = MONTHS_PER_PERIOD[frequency]
    out = []
    for index, first in enumerate(range(1, 13, step), start=1):
        start = date(year, first, 1)
        end = month_end(year, first + step - 1)
        out.append(Period(period_label(frequency, year, index), start, end, end + timedelta(days=grace_days)))
    return out


def event_period(occurred_on: date, grace_days: int) -> Period:
    """A matter disclosed on event (an accident, a lay-off) is due `grace_days` after it."""
    return Period(f"event-{occurred_on.isoformat()}", occurred_on, occurred_on, occurred_on + timedelta(days=grace_days))


def vote_period(session_day: date, lead_days: int) -> Period:
    """A matter the congress must approve is disclosed before the vote: at least `lead_days`
    before the session."""
    return Period(f"vote-{session_day.isoformat()}", session_day, session_day, session_day - timedelta(days=lead_days))


# --- Compliance --------------------------------------------------------------------------------

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"


def status(period: Period, published_on: date | None, today: date) -> str:
    """On time when published by the due day; missing when the due day has passed without it."""
    if published_on is not None:
        return ON_TIME if published_on <= period.due else LATE
    return MISSING if today > period.due else NOT_DUE


@dataclass(frozen=True)
class Obligation:
    matter: str
    mandatory: bool
    period: Period
    published_on: date | None


def compliance(obligations: Sequence[Obligation], today: date) -> dict:
    """Counts over the mandatory obligations due so far, and the on-time rate."""
    counts = {ON_TIME: 0, LATE: 0, MISSING: 0, NOT_DUE: 0}
    for o in obligations:
        if o.mandatory:
            counts[status(o.period, o.published_on, today)] += 1
    due = counts[ON_TIME] + counts[LATE] + counts[MISSING]
    return {**counts, "due": due, "rate": Fraction(counts[ON_TIME], due) if due else None}


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def on_time_by_quarter(obligations: Sequence[Obligation], today: date) -> dict[str, Fraction | None]:
    """On-time rate of the obligations whose due date falls in each quarter."""
    buckets: dict[str, list[Obligation]] = {}
    for o in obligations:
        key = f"{o.period.due.year}-Q{quarter_of(o.period.due)}"
        buckets.setdefault(key, []).append(o)
    return {k: compliance(v, today)["rate"] for k, v in sorted(buckets.items())}


def reminder_due(period: Period, today: date, days_before: int) -> bool:
    """Remind the responsible department `days_before` days ahead of the due date."""
    return period.due - timedelta(days=days_before) == today


# --- Three-party evaluation --------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    code: str
    weight: int           # points of 100
    kind: str             # "auto" or "scored"
    party: str = ""       # for scored: federation / workers / assessor


def auto_score(code: str, facts: Mapping[str, object]) -> Fraction | None:
    """An automatic indicator as a share 0..1 of its weight, from the facts of the year; None
    when there is nothing to judge (e.g. no proposal was due)."""
    f = facts
    if code == "congress_on_time":
        needed = int(f["meetings_required"])
        return Fraction(min(int(f["meetings_held"]), needed), needed) if needed else None
    if code == "quorum_reached":
        opened = int(f["sessions_opened"])
        return Fraction(int(f["sessions_with_quorum"]), opened) if opened else None
    if code == "composition_compliant":
        return Fraction(1) if f["composition_ok"] else Fraction(0)
    rate_keys = {
        "proposals_on_time": ("proposals_answered_on_time", "proposals_due"),
        "proposal_satisfaction": ("proposals_satisfied", "proposals_rated"),
        "disclosure_on_time": ("disclosures_on_time", "disclosures_due"),
        "box_on_time": ("box_answered_on_time", "box_due"),
    }
    if code in rate_keys:
        done, due = (int(f[k]) for k in rate_keys[code])
        return Fraction(done, due) if due else None
    if code == "resolutions_carried_out":
        progress = list(f["resolution_progress"])
        return Fraction(sum(progress), 100 * len(progress)) if progress else None
    raise KeyError(code)


def combine(indicators: Sequence[Indicator], shares: Mapping[str, Fraction | None]) -> Fraction:
    """Weighted score out of 100. An indicator with nothing to judge gives its weight to the
    others in proportion, so an enterprise is not punished for having had no proposals."""
    judged = [(i, shares[i.code]) for i in indicators if shares.get(i.code) is not None]
    weight = sum(i.weight for i, _s in judged)
    if weight == 0:
        return Fraction(0)
    return Fraction(100) * sum(i.weight * s for i, s in judged) / weight


def grade(score: Fraction, bands: Sequence[tuple[int, str]]) -> str:
    """bands: (minimum score, grade) from the highest down, e.g. (90, 优秀), (80, 良好), (60, 合格), (0, 不合格)."""
    for minimum, name in bands:
        if score >= minimum:
            return name
    return bands[-1][1]


def score_error(value: object, maximum: int = 100) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "score.not_a_number"
    if not 0 <= value <= maximum:
        return "score.range"
    return None


def weights_error(indicators: Sequence[Indicator]) -> str | None:
    if sum(i.weight for i in indicators) != 100:
        return "indicators.weights"
    if len({i.code for i in indicators}) != len(indicators):
        return "indicators.duplicate"
    return None
