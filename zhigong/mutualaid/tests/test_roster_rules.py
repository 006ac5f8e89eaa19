"""The roster's pure rules: the column-wise ID check agrees with core.rules.parse_id_number
(python-stdnum) on every input, cell values parse exactly, and the coverage dates follow the
plan's terms (waiting period, renewal without a break, leaving, period ends)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhigong.core import rules as core_rules
from zhigong.core.identifiers import id_number
from zhigong.mutualaid import rules_roster as rules

REGIONS = frozenset({"320000", "320100", "320102", "110000", "110101"})
TODAY = date(2026, 1, 1)


def reference(raw) -> tuple[str | None, date | None]:
    try:
        facts = core_rules.parse_id_number(rules.compact_id(raw), REGIONS, TODAY)
    except core_rules.IdentifierError as exc:
        return exc.code, None
    except ValueError:
        return "id_number.format", None
    return None, facts.birth_date


def column(values) -> list[tuple[str | None, date | None]]:
    checked = rules.check_id_numbers(values, REGIONS, TODAY)
    return list(zip(checked.errors, checked.birth, strict=True))


CASES = [
    id_number("320102", date(1988, 3, 14), 101),
    id_number("320102", date(1988, 3, 14), 101).lower(),
    " " + id_number("110101", date(2000, 2, 29), 7) + " ",
    id_number("320102", date(1988, 3, 14), 101)[:17] + "0",
    "32010219880230101X",  # 30 February
    "320102208803141011",  # born in the future
    "990102198803141011",  # unknown province
    "320199198803141010",  # unknown county in a known province: accepted
    "３２０１０２１９８８０３１４１０１Ｘ",  # full-width
    "32010219880314101",
    "32010219880314101XX",
    "3201021988031410A1",
    "",
    "320102000003141017",
]


@pytest.mark.parametrize("raw", CASES)
def test_the_column_check_gives_what_stdnum_gives(raw):
    assert column([raw]) == [reference(raw)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet="0123456789X ", min_size=16, max_size=19),
    st.builds(lambda d, s, r: id_number(r, d, s), st.dates(date(1900, 1, 1), date(2030, 1, 1)),
              st.integers(0, 999), st.sampled_from(sorted(REGIONS) + ["990101"])),
    st.builds(lambda d, s, k: id_number("320102", d, s)[:17] + k, st.dates(date(1900, 1, 1), date(2025, 1, 1)),
              st.integers(0, 999), st.sampled_from("0123456789X")),
), max_size=20))
def test_the_column_check_agrees_with_stdnum_on_any_input(values):
    assert column(values) == [reference(v) for v in values]


@pytest.mark.parametrize("value,fen", [(6500.5, 650050), (0.1, 10), ("6,500.50", 650050), ("¥3000", 300000),
                                       (1e6, 100_000_000), (4999.99, 499999)])
def test_wages_become_fen_exactly(value, fen):
    assert rules.parse_yuan(value) == fen


@pytest.mark.parametrize("value,code", [("abc", "wage.format"), (1.005, "wage.decimals"), (-1, "wage.range"),
                                        ("1000000.01", "wage.range"), ("nan", "wage.format")])
def test_bad_wages_are_refused(value, code):
    with pytest.raises(ValueError, match=code):
        rules.parse_yuan(value)


@pytest.mark.parametrize("value,day", [("2015-07-01", date(2015, 7, 1)), ("2015/7/1", date(2015, 7, 1)),
                                       ("2015.07.01", date(2015, 7, 1)), ("2015年7月1日", date(2015, 7, 1))])
def test_date_texts(value, day):
    assert rules.parse_date(value) == day


@pytest.mark.parametrize("value", ["07/01/2015", "2015-13-01", "20150701", 42186.0, "2015年7月"])
def test_bad_date_texts(value):
    with pytest.raises(ValueError):
        rules.parse_date(value)


PLAN = rules.PlanTerms("p", "计划", 16, 60, 3, False, 90, date(2026, 1, 1), date(2026, 12, 31))


def test_waiting_period_and_renewal():
    start = date(2026, 1, 1)
    assert rules.waiting_ends(start, 90, unbroken=False) == start + timedelta(days=90)
    assert rules.waiting_ends(start, 90, unbroken=True) == start
    assert rules.waiting_ends(start, 0, unbroken=False) == start
    assert rules.continues(date(2025, 12, 31), start)
    assert not rules.continues(date(2025, 12, 30), start)  # a day's break: wait again


@pytest.mark.parametrize("start,months,end", [(date(2026, 1, 1), 12, date(2026, 12, 31)),
                                              (date(2026, 3, 15), 12, date(2027, 3, 14)),
                                              (date(2026, 1, 31), 1, date(2026, 2, 27)),
                                              (date(2026, 7, 1), 36, date(2029, 6, 30))])
def test_period_ends(start, months, end):
    assert rules.period_end(start, months) == end


def test_age_limits_are_inclusive_on_the_first_day():
    assert rules.eligibility_problem(date(1966, 1, 1), True, date(2026, 1, 1), PLAN) is None  # 60 that day
    assert rules.eligibility_problem(date(1964, 12, 31), True, date(2026, 1, 1), PLAN)[0] == "eligibility.age"  # 61
    assert rules.eligibility_problem(date(2010, 1, 1), True, date(2026, 1, 1), PLAN) is None  # 16 that day
    assert rules.eligibility_problem(date(2010, 1, 2), True, date(2026, 1, 1), PLAN)[0] == "eligibility.age"


def test_leaving_ends_at_the_paid_period_containing_the_day():
    paid = [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))]
    args = (date(2026, 1, 1), date(2026, 12, 31))
    assert rules.end_on_leaving(date(2026, 5, 3), *args, paid) == date(2026, 6, 30)
    assert rules.end_on_leaving(date(2026, 8, 3), *args, paid) == date(2026, 8, 3)
    long_paid = [(date(2026, 1, 1), date(2027, 6, 30))]
    assert rules.end_on_leaving(date(2026, 12, 31), *args, long_paid) == date(2026, 12, 31)
    with pytest.raises(ValueError):
        rules.end_on_leaving(date(2025, 12, 31), *args, paid)


def test_placement_against_cover_held():
    start = date(2026, 1, 1)
    held = [("p", 9, date(2025, 1, 1), date(2025, 12, 31), 50, 5, False)]
    placement, problem = rules.place(1, held, PLAN, start, 7, None)
    assert problem is None and placement.continues_from == 50 and placement.waiting_ends_on == start
    renewed = [held[0][:6] + (True,)]
    placement, _ = rules.place(1, renewed, PLAN, start, 7, None)
    assert placement.continues_from is None and placement.waiting_ends_on == start + timedelta(days=90)
    overlapping = [("p", 9, date(2025, 6, 1), date(2026, 5, 31), 50, 5, False)]
    assert rules.place(1, overlapping, PLAN, start, 7, None)[1][0] == "coverage.elsewhere"
    assert rules.place(1, overlapping, PLAN, start, 9, None)[1][0] == "coverage.overlap"
    assert rules.place(1, overlapping, PLAN, start, 9, 5)[0].already
    other_plan = [("q", 9, date(2025, 6, 1), date(2026, 5, 31), 50, 5, False)]
    assert rules.place(1, other_plan, PLAN, start, 7, None)[1] is None


def test_participation():
    assert rules.participation(8, 10, 80) == (80, False)
    assert rules.participation(7, 9, 80) == (77, True)
    assert rules.participation(0, 0, 80) == (None, False)


def test_the_bulk_blind_index_is_the_one_at_a_time_index():
    from zhigong.core import crypto

    values = [id_number("320102", date(1988, 3, 14), n) for n in range(20)] + ["", "中文"]
    assert crypto.blind_indexes(values, b"id_number") == [crypto.blind_index(v, b"id_number") for v in values]
