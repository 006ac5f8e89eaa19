"""Progress roll-up, the checks on an entry, overdue, states, the import rows and the
carried-out tally, as tables."""

from datetime import date

import pytest

from zhigong.tracking import rules as r


@pytest.mark.parametrize("measures,expected", [
    ([(1, 100), (1, 0)], 50),
    ([(3, 100), (1, 0)], 75),
    ([(2, 99), (1, 100)], 99),   # rounded down: not done until all are done
    ([(1, 100), (2, 100)], 100),
    ([], 0),
    ([(0, 50)], 0),
])
def test_rolled_up_progress(measures, expected):
    assert r.rolled_up_progress(measures) == expected


@pytest.mark.parametrize("percent,previous,reason,error", [
    (50, 40, "", None), (40, 40, "", None), (30, 40, "", "progress.backwards"),
    (30, 40, "  ", "progress.backwards"),          # blank is no reason
    (30, 40, "验收不合格，返工", None),              # down with a reason
    (101, 0, "", "progress.range"), (-1, 0, "", "progress.range"),
    ("50", 0, "", "progress.not_a_number"), (True, 0, "", "progress.not_a_number"),
    (None, 0, "", "progress.not_a_number"),
])
def test_progress_error(percent, previous, reason, error):
    assert r.progress_error(percent, previous, reason) == error


@pytest.mark.parametrize("on,error", [
    (date(2026, 5, 1), None), (date(2026, 6, 1), None), (date(2026, 6, 2), "progress.future"),
    (date(2026, 2, 28), "progress.before_decision"), (date(2026, 3, 1), None),
])
def test_entry_date(on, error):
    assert r.entry_date_error(on, today=date(2026, 6, 1), earliest=date(2026, 3, 1)) == error


@pytest.mark.parametrize("weight,error", [(1, None), (100, None), (0, "measure.weight"), (101, "measure.weight"),
                                          ("3", "measure.weight"), (False, "measure.weight")])
def test_weight(weight, error):
    assert r.weight_error(weight) == error


@pytest.mark.parametrize("voted,months,due", [
    (date(2026, 3, 10), 12, date(2027, 3, 10)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),    # leap day + a year: the last day of February
    (date(2028, 2, 29), 48, date(2032, 2, 29)),    # ... unless that year is a leap year too
    (date(2026, 1, 31), 1, date(2026, 2, 28)),     # a month-end falls on the shorter month's end
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 12, 31), 1, date(2027, 1, 31)),    # across the year
    (date(2026, 5, 15), 6, date(2026, 11, 15)),
])
def test_default_due_is_the_rule_rows_months_after_the_vote(voted, months, due):
    assert r.default_due(voted, months) == due


def test_decision_day_is_the_session_day_unless_recorded_earlier():
    assert r.decision_day(date(2026, 3, 12), date(2026, 3, 10)) == date(2026, 3, 10)
    assert r.decision_day(date(2026, 3, 10), date(2026, 3, 17)) == date(2026, 3, 10)


@pytest.mark.parametrize("due,done,today,overdue", [
    (date(2026, 5, 1), None, date(2026, 5, 1), False),          # due today: not yet
    (date(2026, 5, 1), None, date(2026, 5, 2), True),
    (date(2026, 5, 1), date(2026, 5, 1), date(2026, 9, 1), False),
    (date(2026, 5, 1), date(2026, 5, 3), date(2026, 9, 1), True),  # done, but late
    (None, None, date(2026, 9, 1), False),
])
def test_overdue(due, done, today, overdue):
    assert r.is_overdue(due, done, today) is overdue


@pytest.mark.parametrize("trackable,measures,progress,state", [
    (False, 0, 0, "not_tracked"), (True, 0, 0, "unplanned"), (True, 2, 0, "carrying_out"),
    (True, 2, 99, "carrying_out"), (True, 1, 100, "carried_out"),
])
def test_resolution_state(trackable, measures, progress, state):
    assert r.resolution_state(trackable, measures, progress) == state


def test_carried_out_tally():
    pairs = [
        (date(2026, 3, 1), date(2026, 2, 1)),    # due and carried out
        (date(2026, 4, 1), None),                # due, not carried out
        (date(2026, 5, 1), date(2026, 6, 1)),    # carried out late: counts
        (date(2026, 12, 1), None),               # not due yet on 2026-09-01
        (date(2026, 11, 1), date(2026, 8, 1)),   # carried out early: counts as due
        (date(2025, 12, 31), None),              # another year
        (date(2026, 7, 1), date(2026, 10, 1)),   # carried out after today: not yet
    ]
    assert r.carried_out_tally(pairs, 2026, date(2026, 9, 1)) == (5, 3)
    assert r.carried_out_tally([], 2026, date(2026, 9, 1)) == (0, 0)


M = {7: r.OpenMeasure(7, 40, date(2026, 3, 1)), 8: r.OpenMeasure(8, 0, date(2026, 3, 1))}
TODAY = date(2026, 6, 1)


def row(measure=7, percent=60, on=date(2026, 5, 1), note="完成招标", reason="", bad=None, number=2):
    return r.ImportRow(number, measure, percent, on, note, reason, bad or {})


@pytest.mark.parametrize("given,errors", [
    (row(), []),
    (row(on=None), []),                                          # no date: the day of the import
    (row(measure=99), [("measure", "import.measure_unknown")]),
    (row(measure=None), [("measure", "import.measure_missing")]),
    (row(measure=None, bad={"measure": "七"}), [("measure", "import.measure_format")]),
    (row(percent=30), [("percent", "progress.backwards")]),
    (row(percent=30, reason="返工"), []),
    (row(percent=120), [("percent", "progress.range")]),
    (row(percent=None, bad={"percent": "六成"}), [("percent", "import.percent_format")]),
    (row(percent=None), [("percent", "import.percent_missing")]),
    (row(on=None, bad={"on": "五月一日"}), [("on", "import.on_format")]),
    (row(on=date(2026, 7, 1)), [("on", "progress.future")]),
    (row(on=date(2026, 1, 1)), [("on", "progress.before_decision")]),
    (row(note=" "), [("note", "import.note_missing")]),
    (row(measure=99, percent=120, note=""), [("measure", "import.measure_unknown"), ("percent", "progress.range"),
                                             ("note", "import.note_missing")]),
])
def test_row_errors(given, errors):
    assert sorted(r.row_errors(given, M, set(), TODAY)) == sorted(errors)


P = {5: r.OpenItem(5, 40, date(2026, 3, 1))}


@pytest.mark.parametrize("given,errors", [
    (row(measure=5), []),
    (row(measure=5, percent=100), []),
    (row(measure=5, percent=30), [("percent", "proposal.backwards")]),
    (row(measure=5, percent=30, reason="返工"), [("percent", "proposal.backwards")]),  # never down, even so
    (row(measure=6), [("proposal", "import.proposal_unknown")]),
    (row(measure=None), [("proposal", "import.proposal_missing")]),
    (row(measure=None, bad={"proposal": "五"}), [("proposal", "import.proposal_format")]),
    (row(measure=5, on=date(2026, 2, 1)), [("on", "progress.before_decision")]),
    (row(measure=5, note="字" * 5001), [("note", "import.note_too_long")]),
])
def test_proposal_row_errors(given, errors):
    assert sorted(r.row_errors(given, P, set(), TODAY, "proposal")) == sorted(errors)
    assert r.row_errors(row(measure=5), P, {5}, TODAY, "proposal") == [("proposal", "import.proposal_twice")]


def test_a_measure_once_per_file():
    assert r.row_errors(row(), M, {7}, TODAY) == [("measure", "import.measure_twice")]


def test_blank_rows():
    assert r.is_blank(r.ImportRow(3, None, None, None, "", "", {}))
    assert r.is_blank(r.ImportRow(3, 7, None, None, "", "", {}))       # a template row left alone
    assert not r.is_blank(r.ImportRow(3, 7, None, None, "说明", "", {}))
    assert not r.is_blank(r.ImportRow(3, 7, None, None, "", "", {"percent": "x"}))
