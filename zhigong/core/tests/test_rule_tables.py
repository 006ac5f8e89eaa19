"""Rule rows: the most specific region in force on the day wins, then the latest date."""

from datetime import date

import pytest

from zhigong.core import actions, rulebook
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.rules import RuleRowData, pick_rule

ROWS = [
    RuleRowData(1, "k", "", date(2000, 1, 1), "national-2000"),
    RuleRowData(2, "k", "", date(2024, 7, 1), "national-2024"),
    RuleRowData(3, "k", "610000", date(2010, 1, 1), "shaanxi-2010"),
    RuleRowData(4, "k", "610100", date(2026, 1, 1), "xian-2026"),
    RuleRowData(5, "k", "610102", date(2030, 1, 1), "xincheng-2030"),
]


@pytest.mark.parametrize("region,day,expected", [
    ("320102", date(2020, 1, 1), "national-2000"),   # no regional row: national
    ("320102", date(2024, 7, 1), "national-2024"),   # effective on the day itself
    ("320102", date(2024, 6, 30), "national-2000"),  # the day before
    ("610202", date(2025, 1, 1), "shaanxi-2010"),    # province beats a newer national row
    ("610102", date(2025, 12, 31), "shaanxi-2010"),  # the city row is not yet in force
    ("610102", date(2026, 1, 1), "xian-2026"),
    ("610102", date(2030, 1, 1), "xincheng-2030"),   # county, most specific
    ("610103", date(2030, 1, 1), "xian-2026"),       # a sibling county keeps the city row
    ("", date(2030, 1, 1), "national-2024"),
])
def test_pick_rule(region, day, expected):
    assert pick_rule(ROWS, region, day).value == expected


def test_nothing_in_force():
    assert pick_rule(ROWS, "320102", date(1999, 12, 31)) is None


def test_lookup_and_override_through_the_action(world):
    from zhigong.core.models import RuleRow

    RuleRow.objects.create(key="test.rate", region_code="", effective_from=date(2000, 1, 1),
                           value=20, source="测试")
    actions.set_rule(world.admin, "test.rate", "320100", date(2026, 1, 1), 16, "南京市文件")
    used = rulebook.lookup("test.rate", "320102", date(2026, 3, 1))
    assert (used.value, used.region_code) == (16, "320100")
    assert used.cite()["region"] == "320100"
    assert rulebook.lookup("test.rate", "320205", date(2026, 3, 1)).value == 20
    with pytest.raises(PermissionDenied):
        actions.set_rule(world.cadre_a, "test.rate", "320102", date(2026, 1, 1), 1, "x")
    with pytest.raises(DomainError) as err:
        actions.set_rule(world.admin, "test.rate", "320100", date(2026, 1, 1), 17, "重复")
    assert err.value.code == "rule.exists"
    with pytest.raises(DomainError) as err:
        rulebook.lookup("no.such.rule", "320102", date(2026, 1, 1))
    assert err.value.code == "rule.missing"
