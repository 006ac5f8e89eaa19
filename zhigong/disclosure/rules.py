"""Factory-affairs disclosure (厂务公开) as pure functions: the disclosure calendar and
compliance. No Django, no database. Progress roll-up of decisions lives in
zhigong/tracking/rules.py; indicators and grades of the three-party evaluation in
zhigong/evaluation/rules.py."""

import calendar as _calendar
from collections.abc import Sequence
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
