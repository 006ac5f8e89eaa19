"""Decision tracking (决策可追踪) as pure functions: progress roll-up from weighted measures, the
checks on a progress entry (range, never backwards without a reason, dates), overdue flags, the
state of a tracked resolution, the rows of a bulk import and the carried-out tally that the
evaluation reads. No Django, no database."""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

# --- Roll-up and one entry ---------------------------------------------------------------------


def rolled_up_progress(measures: Sequence[tuple[int, int]]) -> int:
    """Weighted progress of a resolution from its measures: (weight, percent) pairs; whole
    percent, rounded down so that 100 means every measure is done."""
    total = sum(w for w, _p in measures)
    if total <= 0:
        return 0
    return int(Fraction(sum(w * p for w, p in measures), total))


def progress_error(percent: object, previous: int, reason: str = "") -> str | None:
    """Why a new percent may not follow `previous`, or None. Progress goes down only with a
    stated reason (a measure found undone, an inspection that failed): the record must say why."""
    if not isinstance(percent, int) or isinstance(percent, bool):
        return "progress.not_a_number"
    if not 0 <= percent <= 100:
        return "progress.range"
    if percent < previous and not reason.strip():
        return "progress.backwards"
    return None


def entry_date_error(on: date, today: date, earliest: date) -> str | None:
    """An entry is dated on a day that has happened, not before the decision it carries out."""
    if on > today:
        return "progress.future"
    if on < earliest:
        return "progress.before_decision"
    return None


WEIGHT_MIN, WEIGHT_MAX = 1, 100


def weight_error(weight: object) -> str | None:
    if not isinstance(weight, int) or isinstance(weight, bool):
        return "measure.weight"
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        return "measure.weight"
    return None


# --- Dates and states --------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks falls on its last day
    (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_due(voted_on: date, months: int) -> date:
    """A resolution without a plan of its own is due `months` after the vote. The period is the
    rule row tracking.default_due_months (national default 12: the congress meets at least once
    a year and hears at its next session how its resolutions were carried out; DOMAIN.md,
    Meetings and 工会法 art. 36), read by the caller for the region and the day of the vote."""
    return add_months(voted_on, months)


def decision_day(recorded_on: date, session_day: date) -> date:
    """A resolution is decided at its session; a record made later (a session closed days
    after it began) keeps the session's day."""
    return min(recorded_on, session_day)


def is_overdue(due: date | None, done_on: date | None, today: date) -> bool:
    """Overdue when not done by the end of the due day; done on the due day is on time."""
    if due is None:
        return False
    return (done_on or today) > due


UNPLANNED, CARRYING_OUT, CARRIED_OUT, NOT_TRACKED = "unplanned", "carrying_out", "carried_out", "not_tracked"
STATES = (UNPLANNED, CARRYING_OUT, CARRIED_OUT)


def resolution_state(trackable: bool, measures: int, progress: int) -> str:
    """Not tracked: a vote that failed, an election or an appraisal (nothing to carry out).
    Unplanned until broken into measures; carried out at 100 %."""
    if not trackable:
        return NOT_TRACKED
    if measures == 0:
        return UNPLANNED
    return CARRIED_OUT if progress >= 100 else CARRYING_OUT


def carried_out_tally(pairs: Sequence[tuple[date, date | None]], year: int, today: date) -> tuple[int, int]:
    """(resolutions due in `year`, of those carried out) over (due date, carried out on) pairs,
    as of `today`. A resolution counts once its due date has passed or it has been carried out,
    like the proposals' on-time rate; a late carrying-out still counts as carried out (the
    overdue flag showed it while it lasted)."""
    due = carried = 0
    for due_on, done_on in pairs:
        done = done_on is not None and done_on <= today
        if due_on.year != year or not (due_on <= today or done):
            continue
        due += 1
        carried += done
    return due, carried


# --- Bulk import rows --------------------------------------------------------------------------

COLUMNS = ("measure", "resolution", "title", "department", "due_on", "previous", "percent", "on", "note",
           "reason")
# The accepted proposals' template: the same progress columns at the same places, no reason
# column (a proposal's progress never goes down: participation's rule, by hand as in bulk).
PROPOSAL_COLUMNS = ("proposal", "number", "proposal_title", "lead_department", "answer_due", "previous", "percent",
                    "on", "note")
NOTE_MAX, REASON_MAX = 5000, 2000


@dataclass(frozen=True)
class OpenItem:
    """What a row is checked against: the current percent of the measure or proposal and the
    earliest day an entry may carry (the decision's date; a proposal's assignment)."""

    id: int
    progress: int
    decided_on: date


OpenMeasure = OpenItem


@dataclass(frozen=True)
class ImportRow:
    """One spreadsheet row as parsed: values are None where a cell was empty, and a cell that
    could not be parsed keeps its raw text in `bad` under the column's name."""

    number: int  # the spreadsheet's row number, header = 1
    target: int | None  # column A: the measure's or the proposal's id
    percent: int | None
    on: date | None
    note: str
    reason: str
    bad: Mapping[str, str]


def row_errors(row: ImportRow, known: Mapping[int, OpenItem], seen: set[int], today: date,
               target: str = "measure") -> list[tuple[str, str]]:
    """(column, code) for everything wrong with a row that has something to say; `seen` holds
    the ids of earlier rows (a measure or proposal is updated once per file). `target` names
    column A: "measure", or "proposal", whose progress may not go down even with a reason."""
    errors = [(column, f"import.{column}_format") for column in row.bad]
    if target not in row.bad:
        if row.target is None:
            errors.append((target, f"import.{target}_missing"))
        elif row.target not in known:
            errors.append((target, f"import.{target}_unknown"))
        elif row.target in seen:
            errors.append((target, f"import.{target}_twice"))
    item = known.get(row.target) if row.target is not None else None
    if "percent" not in row.bad:
        if row.percent is None:
            errors.append(("percent", "import.percent_missing"))
        else:
            reason = row.reason if target == "measure" else ""
            code = progress_error(row.percent, item.progress if item else 0, reason)
            if code == "progress.backwards" and target == "proposal":
                code = "proposal.backwards"
            if code:
                errors.append(("percent", code))
    if "on" not in row.bad and row.on is not None and item is not None:
        code = entry_date_error(row.on, today, item.decided_on)
        if code:
            errors.append(("on", code))
    if not row.note.strip():
        errors.append(("note", "import.note_missing"))
    elif len(row.note) > NOTE_MAX:
        errors.append(("note", "import.note_too_long"))
    if len(row.reason) > REASON_MAX:
        errors.append(("reason", "import.reason_too_long"))
    return errors


def is_blank(row: ImportRow) -> bool:
    """A row with nothing to update: entirely empty, or a template row left as it was (its
    percent not filled in)."""
    return row.percent is None and "percent" not in row.bad and not row.note.strip() and not row.reason.strip() \
        and (row.on is None and "on" not in row.bad)
