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
