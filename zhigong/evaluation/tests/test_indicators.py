"""Indicator sets are versioned by year and region; weights must total 100, else nothing is
written."""

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.evaluation import actions, facts
from zhigong.evaluation.models import IndicatorSet

BANDS = [(85, "优秀"), (60, "合格"), (0, "不合格")]
INDICATORS = [
    {"code": "congress_on_time", "name": "职代会按期召开", "kind": "auto", "weight": 40},
    {"code": "disclosure_on_time", "name": "厂务公开按期率", "kind": "auto", "weight": 30},
    {"code": "federation_review", "name": "上级工会评价", "kind": "scored", "party": "federation", "weight": 30},
]


def test_the_national_default_totals_100(db):
    national = IndicatorSet.objects.get(region_code="")
    assert sum(national.indicators.values_list("weight", flat=True)) == 100
    assert set(national.indicators.filter(kind="scored").values_list("party", flat=True)) == {
        "federation", "workers", "assessor"}
    assert facts.indicator_set_for("320102", 2026) == national


def test_a_region_and_year_take_precedence(world):
    found = actions.define_indicator_set(world.cadre_a, 2026, "320102", "玄武区评价指标", INDICATORS, BANDS)
    assert facts.indicator_set_for("320102", 2026) == found
    assert facts.indicator_set_for("320102", 2027) == found     # until a later year's set
    assert facts.indicator_set_for("320102", 2025).region_code == ""
    assert facts.indicator_set_for("320104", 2026).region_code == ""   # the neighbouring county


@pytest.mark.parametrize("change,code", [
    (lambda i: i[:2], "indicators.weights"),
    (lambda i: [*i[:2], {**i[2], "party": ""}], "indicators.party"),
    (lambda i: [*i[:2], {**i[1], "weight": 30}], "indicators.duplicate"),
])
def test_bad_sets_are_refused_and_nothing_is_written(world, change, code):
    with pytest.raises(DomainError) as refused:
        actions.define_indicator_set(world.admin, 2026, "", "新指标", change(INDICATORS), BANDS)
    assert refused.value.code == code
    assert IndicatorSet.objects.count() == 1


def test_weights_error_says_the_total(world):
    with pytest.raises(DomainError) as refused:
        actions.define_indicator_set(world.admin, 2026, "", "新指标", INDICATORS[:2], BANDS)
    assert "70" in str(refused.value.message)


def test_bands_must_fall_to_zero(world):
    with pytest.raises(DomainError) as refused:
        actions.define_indicator_set(world.admin, 2026, "", "新指标", INDICATORS, [(60, "合格"), (80, "良好")])
    assert refused.value.code == "bands.order"


def test_who_defines(world):
    for user, region in ((world.outsider, "320102"), (world.enterprise_admin, "320102"), (world.cadre_a, "")):
        with pytest.raises(PermissionDenied):
            actions.define_indicator_set(user, 2026, region, "x", INDICATORS, BANDS)
    with pytest.raises(DomainError):
        actions.define_indicator_set(world.admin, 2020, "", "重复", INDICATORS, BANDS)
