"""Calendar, compliance and grading, as tables."""

from datetime import date
from fractions import Fraction

import pytest

from zhigong.disclosure import rules as r


def test_monthly_calendar_handles_month_ends_and_leap_years():
    months = r.periods("monthly", 2028, grace_days=15)
    assert len(months) == 12
    feb = months[1]
    assert (feb.label, feb.start, feb.end, feb.due) == ("2028-02", date(2028, 2, 1), date(2028, 2, 29),
                                                        date(2028, 3, 15))
    assert r.periods("monthly", 2026, 15)[1].end == date(2026, 2, 28)
    assert months[-1].due == date(2029, 1, 15)  # December's is due next year


@pytest.mark.parametrize("frequency,count,first_end,labels", [
    ("quarterly", 4, date(2026, 3, 31), ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
    ("half_yearly", 2, date(2026, 6, 30), ["2026-H1", "2026-H2"]),
    ("yearly", 1, date(2026, 12, 31), ["2026"]),
    ("on_event", 0, None, []),
])
def test_other_frequencies(frequency, count, first_end, labels):
    found = r.periods(frequency, 2026, 30)
    assert [p.label for p in found] == labels
    if count:
        assert found[0].end == first_end and found[-1].end == date(2026, 12, 31)


def test_event_and_vote_periods():
    assert r.event_period(date(2026, 5, 20), 7).due == date(2026, 5, 27)
    assert r.vote_period(date(2026, 3, 10), 5).due == date(2026, 3, 5)


Q1 = r.Period("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30))


@pytest.mark.parametrize("published,today,expected", [
    (date(2026, 4, 30), date(2026, 6, 1), "on_time"),   # on the due day
    (date(2026, 5, 1), date(2026, 6, 1), "late"),
    (None, date(2026, 4, 30), "not_due"),
    (None, date(2026, 5, 1), "missing"),
])
def test_status(published, today, expected):
    assert r.status(Q1, published, today) == expected


def test_compliance_counts_mandatory_only():
    obligations = [
        r.Obligation("finance", True, Q1, date(2026, 4, 1)),
        r.Obligation("pay", True, Q1, date(2026, 5, 5)),
        r.Obligation("safety", True, Q1, None),
        r.Obligation("canteen", False, Q1, None),
    ]
    result = r.compliance(obligations, date(2026, 6, 1))
    assert (result["on_time"], result["late"], result["missing"], result["due"]) == (1, 1, 1, 3)
    assert result["rate"] == Fraction(1, 3)
    assert r.compliance([], date(2026, 6, 1))["rate"] is None


def test_rate_by_quarter_of_the_due_date():
    dec = r.Period("2025-12", date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 15))
    rates = r.on_time_by_quarter([r.Obligation("x", True, dec, date(2026, 1, 10)),
                                  r.Obligation("y", True, Q1, None)], date(2026, 6, 1))
    assert rates == {"2026-Q1": Fraction(1), "2026-Q2": Fraction(0)}


def test_reminder():
    assert r.reminder_due(Q1, date(2026, 4, 23), 7)
    assert not r.reminder_due(Q1, date(2026, 4, 22), 7)


# --- Obligations, readers, content -----------------------------------------------------------

GRACE = {"monthly": 15, "quarterly": 30, "half_yearly": 30, "yearly": 60, "on_event": 7}
MATTERS = [r.MatterFacts("safety", "quarterly", True), r.MatterFacts("canteen", "monthly", False),
           r.MatterFacts("contract", "before_vote", True), r.MatterFacts("layoffs", "on_event", True)]


def test_obligations_of_a_year():
    found = r.obligations(MATTERS, 2026, GRACE, {("safety", "2026-Q1"): date(2026, 4, 2)},
                          votes=[("contract", date(2026, 3, 10)), ("contract", date(2025, 12, 1)),
                                 ("unknown", date(2026, 3, 10))],
                          lead_days=7, events=[("layoffs", date(2026, 5, 20), date(2026, 5, 30))])
    labels = [(o.matter, o.period.label) for o in found]
    assert labels[:4] == [("safety", "2026-Q1"), ("safety", "2026-Q2"), ("safety", "2026-Q3"), ("safety", "2026-Q4")]
    assert sum(1 for m, _l in labels if m == "canteen") == 12
    assert ("contract", "vote-2026-03-10") in labels and ("contract", "vote-2025-12-01") not in labels
    assert not any(m == "unknown" for m, _l in labels)
    vote = next(o for o in found if o.matter == "contract")
    assert vote.period.due == date(2026, 3, 3) and vote.published_on is None
    event = next(o for o in found if o.matter == "layoffs")
    assert event.period.due == date(2026, 5, 27)
    assert r.status(event.period, event.published_on, date(2026, 6, 1)) == "late"
    result = r.compliance(found, date(2026, 6, 1))
    # Mandatory and due by 1 June: safety Q1 (on time), the vote (missing), the event (late).
    assert (result["due"], result["on_time"], result["late"], result["missing"]) == (3, 1, 1, 1)


@pytest.mark.parametrize("frequency,label,due", [
    ("quarterly", "2024-Q1", date(2024, 4, 30)), ("monthly", "2024-02", date(2024, 3, 30)),
    ("half_yearly", "2026-H2", date(2027, 1, 30)), ("yearly", "2026", date(2027, 1, 30)),
    ("quarterly", "2026-Q5", None), ("monthly", "2026-13", None), ("yearly", "两千", None), ("quarterly", "", None),
    ("on_event", "2026", None),
])
def test_find_period(frequency, label, due):
    found = r.find_period(frequency, label, 30)
    assert (found.due if found else None) == due


def test_months_of_the_heat_map_and_reminders():
    found = r.obligations(MATTERS[:1], 2026, GRACE, {("safety", "2026-Q1"): date(2026, 4, 2),
                                                     ("safety", "2026-Q2"): date(2026, 8, 1)})
    cells = r.by_month(found, date(2026, 9, 1))
    assert cells[2] == (1, 1) and cells[5] == (1, 0) and cells[8] == (0, 0) and len(cells) == 12
    assert [(o.period.label, d) for o, d in r.upcoming(found, date(2026, 10, 23), [7, 1])] == [("2026-Q3", 7)]
    assert r.upcoming(found, date(2026, 7, 23), [7]) == []  # Q2 is published (late)


@pytest.mark.parametrize("capacities,audiences", [
    (set(), set()), ({"worker"}, {"workers"}), ({"worker", "delegate"}, {"workers", "delegates"}),
    ({"manager"}, {"workers", "managers"}), ({"full"}, {"workers", "delegates", "managers"}),
])
def test_who_reads_which_audience(capacities, audiences):
    assert r.audiences(capacities) == audiences


def test_tables_from_text_and_their_checks():
    assert r.parse_table("  \n") is None
    assert r.parse_table("岗位|涨幅\n操作工 | 6%\n") == {"columns": ["岗位", "涨幅"], "rows": [["操作工", "6%"]]}
    assert r.parse_table("a\tb\r\n1\t2") == {"columns": ["a", "b"], "rows": [["1", "2"]]}
    assert r.table_error(None) is None
    assert r.table_error({"columns": ["a"], "rows": [["1"]]}) is None
    assert r.table_error({"columns": ["a"], "rows": [["1", "2"]]}) == "table.row_width"
    assert r.table_error({"columns": ["a", " "], "rows": []}) == "table.column_name"
    assert r.table_error({"columns": ["a"]}) == "table.shape"
    assert r.table_error("a|b") == "table.shape"
    assert r.table_error({"columns": ["a"], "rows": [[1]]}) == "table.cell"
    assert r.table_error({"columns": ["a"] * 21, "rows": []}) == "table.too_large"


def test_content_digest_is_canonical():
    a = r.content_digest({"b": 1, "a": "中文"})
    assert a == r.content_digest({"a": "中文", "b": 1}) and len(a) == 64
    import hashlib
    assert a == hashlib.sha256('{"a":"中文","b":1}'.encode()).hexdigest()
