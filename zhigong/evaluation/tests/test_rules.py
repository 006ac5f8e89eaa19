"""Indicators, weighting and grading, as tables."""

from fractions import Fraction

import pytest

from zhigong.evaluation import rules as r

FACTS = {
    "meetings_required": 1, "meetings_held": 2, "sessions_opened": 2, "sessions_with_quorum": 1,
    "composition_ok": True, "proposals_answered_on_time": 3, "proposals_due": 4, "proposals_satisfied": 0,
    "proposals_rated": 0, "disclosures_on_time": 9, "disclosures_due": 12, "box_answered_on_time": 1,
    "box_due": 2, "resolution_progress": [100, 50],
}


@pytest.mark.parametrize("code,share", [
    ("congress_on_time", Fraction(1)), ("quorum_reached", Fraction(1, 2)), ("composition_compliant", Fraction(1)),
    ("proposals_on_time", Fraction(3, 4)), ("proposal_satisfaction", None), ("disclosure_on_time", Fraction(3, 4)),
    ("box_on_time", Fraction(1, 2)), ("resolutions_carried_out", Fraction(3, 4)),
])
def test_auto_indicators(code, share):
    assert r.auto_score(code, FACTS) == share


def test_combine_redistributes_unjudged_weight():
    indicators = [r.Indicator("a", 50, "auto"), r.Indicator("b", 30, "auto"), r.Indicator("c", 20, "scored")]
    assert r.combine(indicators, {"a": Fraction(1), "b": Fraction(1, 2), "c": Fraction(0)}) == 65
    assert r.combine(indicators, {"a": Fraction(1), "b": None, "c": Fraction(1, 2)}) == Fraction(100 * 60, 70)
    assert r.combine(indicators, {}) == 0


BANDS = [(90, "优秀"), (80, "良好"), (60, "合格"), (0, "不合格")]


@pytest.mark.parametrize("score,expected", [(100, "优秀"), (90, "优秀"), (Fraction(8999, 100), "良好"),
                                            (80, "良好"), (60, "合格"), (Fraction(5999, 100), "不合格"), (0, "不合格")])
def test_grade(score, expected):
    assert r.grade(Fraction(score), BANDS) == expected


@pytest.mark.parametrize("value,error", [(0, None), (100, None), (85.5, None), (101, "score.range"),
                                         (-1, "score.range"), ("90", "score.not_a_number"),
                                         (None, "score.not_a_number")])
def test_score_error(value, error):
    assert r.score_error(value) == error


def test_weights_must_total_100():
    assert r.weights_error([r.Indicator("a", 60, "auto"), r.Indicator("b", 40, "scored")]) is None
    assert r.weights_error([r.Indicator("a", 60, "auto")]) == "indicators.weights"
    assert r.weights_error([r.Indicator("a", 50, "auto"), r.Indicator("a", 50, "auto")]) == "indicators.duplicate"
