"""Decision tracking (决策可追踪) as pure functions: progress roll-up from weighted measures, the
checks on a progress entry (range, never backwards without a reason, dates), overdue flags, the
state of a tracked resolution, the rows of a bulk import and the carried-out tally that the
evaluation reads. No Django, no database."""

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


def default_due(voted_on: date) -> date:
    """A resolution without a plan of its own is due one year after the vote: the congress meets
    at least once a year (DOMAIN.md, Meetings), and reports on the carrying-out of its
    resolutions at the next session (工会法 art. 36: the union checks it in between)."""
    try:
        return voted_on.replace(year=voted_on.year + 1)
    except ValueError:  # 29 February
        return voted_on.replace(year=voted_on.year + 1, day=28)


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


@dataclass(frozen=True)
class OpenMeasure:
    """What a row is checked against: the measure's current percent and the decision's date."""

    id: int
    progress: int
    decided_on: date


@dataclass(frozen=True)
class ImportRow:
    """One spreadsheet row as parsed: values are None where a cell was empty, and a cell that
    could not be parsed keeps its raw text in `bad` under the column's name."""

    number: int  # the spreadsheet's row number, header = 1
    measure: int | None
    percent: int | None
    on: date | None
    note: str
    reason: str
    bad: Mapping[str, str]


def row_errors(row: ImportRow, measures: Mapping[int, OpenMeasure], seen: set[int], today: date,
               ) -> list[tuple[str, str]]:
    """(column, code) for everything wrong with a row that has something to say; `seen` holds
    the measures of earlier rows (a measure is updated once per file)."""
    errors = [(column, f"import.{column}_format") for column in row.bad]
    if "measure" not in row.bad:
        if row.measure is None:
            errors.append(("measure", "import.measure_missing"))
        elif row.measure not in measures:
            errors.append(("measure", "import.measure_unknown"))
        elif row.measure in seen:
            errors.append(("measure", "import.measure_twice"))
    known = measures.get(row.measure) if row.measure is not None else None
    if "percent" not in row.bad:
        if row.percent is None:
            errors.append(("percent", "import.percent_missing"))
        else:
            code = progress_error(row.percent, known.progress if known else 0, row.reason)
            if code:
                errors.append(("percent", code))
    if "on" not in row.bad and row.on is not None and known is not None:
        code = entry_date_error(row.on, today, known.decided_on)
        if code:
            errors.append(("on", code))
    if not row.note.strip():
        errors.append(("note", "import.note_missing"))
    return errors


def is_blank(row: ImportRow) -> bool:
    """A row with nothing to update: entirely empty, or a template row left as it was (its
    percent not filled in)."""
    return row.percent is None and "percent" not in row.bad and not row.note.strip() and not row.reason.strip() \
        and (row.on is None and "on" not in row.bad)
