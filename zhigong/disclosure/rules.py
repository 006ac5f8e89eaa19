"""Factory-affairs disclosure (厂务公开) as pure functions: the disclosure calendar and
compliance. No Django, no database. Progress roll-up of decisions lives in
zhigong/tracking/rules.py; indicators and grades of the three-party evaluation in
zhigong/evaluation/rules.py."""

import calendar as _calendar
import functools
import hashlib
import json
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
    due = occurred_on + timedelta(days=grace_days)
    return Period(f"event-{occurred_on.isoformat()}", occurred_on, occurred_on, due)


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


# --- Obligations of an enterprise's year ------------------------------------------------------

@dataclass(frozen=True)
class MatterFacts:
    """A catalogue matter as the compliance sees it."""

    code: str
    frequency: str
    mandatory: bool


def obligations(matters: Sequence[MatterFacts], year: int, grace: Mapping[str, int],
                published: Mapping[tuple[str, str], date], votes: Sequence[tuple[str, date]] = (),
                lead_days: int = 0, events: Sequence[tuple[str, date, date]] = ()) -> list[Obligation]:
    """Everything an enterprise owed in `year`: each period of its periodic matters, each matter a
    congress session of the year voted on (due `lead_days` before the session) and each event it
    disclosed (due `grace["on_event"]` after the event). `published` maps (matter code, period
    label) to the day the first version appeared; `votes` are (matter code, session day);
    `events` are (matter code, event day, published day)."""
    out: list[Obligation] = []
    for m in matters:
        for p in _periods(m.frequency, year, grace.get(m.frequency, 0)):
            out.append(Obligation(m.code, m.mandatory, p, published.get((m.code, p.label))))
    mandatory = {m.code: m.mandatory for m in matters}
    for code, day in sorted(set(votes)):
        if day.year == year and code in mandatory:
            p = vote_period(day, lead_days)
            out.append(Obligation(code, mandatory[code], p, published.get((code, p.label))))
    for code, day, published_on in sorted(events):
        if day.year == year and code in mandatory:
            out.append(Obligation(code, mandatory[code], event_period(day, grace.get(ON_EVENT, 0)), published_on))
    return out


@functools.lru_cache(maxsize=256)
def _periods(frequency: str, year: int, grace_days: int) -> tuple[Period, ...]:
    """periods() once per (frequency, year, grace): a federation's enterprises share them."""
    return tuple(periods(frequency, year, grace_days))


def find_period(frequency: str, label: str, grace_days: int) -> Period | None:
    """The period of a periodic matter named by its label (2026-03, 2026-Q1, 2026-H1, 2026)."""
    try:
        year = int(label[:4])
    except ValueError:
        return None
    if not 1900 < year < 3000:
        return None
    return next((p for p in periods(frequency, year, grace_days) if p.label == label), None)


def by_month(obligations: Sequence[Obligation], today: date) -> list[tuple[int, int]]:
    """(due so far, on time) of the mandatory obligations per month of the period's end, for
    the heat map, January first."""
    cells = [[0, 0] for _month in range(12)]
    for o in obligations:
        if not o.mandatory:
            continue
        state = status(o.period, o.published_on, today)
        if state != NOT_DUE:
            cell = cells[o.period.end.month - 1]
            cell[0] += 1
            cell[1] += state == ON_TIME
    return [(due, on_time) for due, on_time in cells]


def due_and_on_time(obligations: Sequence[Obligation], today: date) -> tuple[int, int]:
    result = compliance(obligations, today)
    return result["due"], result[ON_TIME]


def upcoming(obligations: Sequence[Obligation], today: date, days: Sequence[int]) -> list[tuple[Obligation, int]]:
    """Unpublished obligations whose reminder falls today: (obligation, days before due)."""
    return [(o, d) for o in obligations if o.published_on is None for d in days if reminder_due(o.period, today, d)]


# --- Readers ----------------------------------------------------------------------------------

WORKERS, DELEGATES, MANAGERS = "workers", "delegates", "managers"
# The capacities of a reader each audience admits ("full": those who run or oversee the
# enterprise). Delegates' matters are for delegates only, managers' matters for managers only.
ADMITS = {WORKERS: {"worker", "delegate", "manager", "full"}, DELEGATES: {"delegate", "full"},
          MANAGERS: {"manager", "full"}}


def audiences(capacities: set[str]) -> set[str]:
    return {audience for audience, admitted in ADMITS.items() if capacities & admitted}


# --- Content ----------------------------------------------------------------------------------

MAX_COLUMNS, MAX_ROWS, MAX_CELL = 20, 500, 500


def parse_table(text: str) -> dict | None:
    """A table typed or pasted as lines: the first line holds the column names; cells are
    separated by a tab (pasted from a spreadsheet) or by "|". None for an empty text."""
    lines = [line for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        return None
    separator = "\t" if "\t" in lines[0] else "|"
    cells = [[c.strip() for c in line.strip().strip("|").split(separator)] for line in lines]
    return {"columns": cells[0], "rows": cells[1:]}


def table_error(table: object) -> str | None:
    """None when the table is {"columns": [names], "rows": [[cells]]}, every row as wide as the
    columns, within the limits; otherwise the error code."""
    if table is None:
        return None
    if not isinstance(table, Mapping) or set(table) != {"columns", "rows"}:
        return "table.shape"
    columns, rows = table["columns"], table["rows"]
    if not isinstance(columns, list) or not isinstance(rows, list) or not columns:
        return "table.shape"
    if len(columns) > MAX_COLUMNS or len(rows) > MAX_ROWS:
        return "table.too_large"
    if any(not isinstance(c, str) or not c.strip() for c in columns):
        return "table.column_name"
    for row in rows:
        if not isinstance(row, list) or len(row) != len(columns):
            return "table.row_width"
        if any(not isinstance(c, str) or len(c) > MAX_CELL for c in row):
            return "table.cell"
    return None


def content_digest(fields: Mapping[str, object]) -> str:
    """SHA-256 of the canonical JSON of what a publication says (sorted keys, UTF-8, no spaces):
    the encoding of the trail's leaves, so anyone holding the content can recompute it."""
    raw = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
