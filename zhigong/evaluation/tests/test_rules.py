"""Indicators, weighting and grading, as tables."""

import numpy as np
import pytest

from zhigong.evaluation import rules as r

FACTS = {
    "meetings_counted": 1, "meetings_required": 1, "sessions_with_quorum": 1, "sessions_due": 2,
    "composition_passed": 4, "composition_checks": 4, "proposals_answered_on_time": 3, "proposals_due": 4,
    "proposals_satisfied": 0, "proposals_rated": 0, "disclosures_on_time": 9, "disclosures_due": 12,
    "box_answered_on_time": 1, "box_due": 2, "resolutions_done": 3, "resolutions_due": 4,
}


@pytest.mark.parametrize("code,rate", [
    ("congress_on_time", r.Rate(1, 1)), ("quorum_reached", r.Rate(1, 2)), ("composition_compliant", r.Rate(4, 4)),
    ("proposals_on_time", r.Rate(3, 4)), ("proposal_satisfaction", r.Rate(0, 0)),
    ("disclosure_on_time", r.Rate(9, 12)), ("box_on_time", r.Rate(1, 2)), ("resolutions_carried_out", r.Rate(3, 4)),
])
def test_auto_indicators(code, rate):
    assert r.auto_rate(code, FACTS) == rate


@pytest.mark.parametrize("held,required,counted", [(0, 1, 0), (1, 1, 1), (3, 1, 1), (1, 2, 1)])
def test_extra_meetings_earn_nothing_more(held, required, counted):
    assert r.meetings_counted(held, required) == counted


@pytest.mark.parametrize("points,answers,expected", [
    (0, 5, r.Rate(0, 5 * 4 * 4)),           # everyone rated every question 1
    (80, 5, r.Rate(80, 80)),                # everyone rated every question 5
    (30, 4, r.Rate(0, 0)),                  # fewer than 5 answers judge nothing
])
def test_survey_rate(points, answers, expected):
    assert r.survey_rate(points, answers, questions=4, scale=5, minimum=5) == expected


@pytest.mark.parametrize("done,due,share", [(1, 3, 333), (2, 3, 667), (1, 2, 500), (1, 2000, 1), (1, 2001, 0),
                                            (0, 0, -1), (5, 5, 1000)])
def test_share_in_per_mille_half_up(done, due, share):
    assert int(r.permille(done, due)) == share


WEIGHTS = [50, 30, 20]


def test_unjudged_weight_goes_to_the_others():
    scores, shares = r.score_hundredths(WEIGHTS, [1, 1, 0], [1, 2, 1])
    assert int(scores) == 6500 and list(shares) == [1000, 500, 0]
    scores, _ = r.score_hundredths(WEIGHTS, [1, 0, 1], [1, 0, 2])   # (50 + 10) / 70
    assert int(scores) == 8571
    assert int(r.score_hundredths(WEIGHTS, [0, 0, 0], [0, 0, 0])[0]) == 0


def test_one_row_and_a_matrix_give_the_same_numbers():
    rng = np.random.default_rng(3)
    due = rng.integers(0, 30, size=(500, 3))
    done = (due * rng.random((500, 3))).astype(np.int64)
    matrix, _ = r.score_hundredths(WEIGHTS, done, due)
    rows = [int(r.score_hundredths(WEIGHTS, list(done[i]), list(due[i]))[0]) for i in range(500)]
    assert rows == [int(x) for x in matrix]


def test_points_of_one_indicator():
    assert r.points_hundredths(30, 500, 100) == 1500
    assert r.points_hundredths(30, 500, 70) == 2143   # scaled up: 30 of 70 judged points
    assert r.points_hundredths(30, -1, 70) == 0


BANDS = [(90, "优秀"), (80, "良好"), (60, "合格"), (0, "不合格")]


@pytest.mark.parametrize("hundredths,expected", [(10000, "优秀"), (9000, "优秀"), (8999, "良好"), (8000, "良好"),
                                                 (6000, "合格"), (5999, "不合格"), (0, "不合格")])
def test_grade(hundredths, expected):
    assert r.grade(hundredths, BANDS) == expected


def test_what_to_improve_loses_the_most_points_first():
    indicators = [r.Indicator("a", 10, "auto"), r.Indicator("b", 40, "auto"), r.Indicator("c", 30, "auto"),
                  r.Indicator("d", 20, "auto")]
    assert r.to_improve(indicators, {"a": 0, "b": 900, "c": 500, "d": -1}) == ["c", "a", "b"]
    assert r.to_improve(indicators, {"a": 1000, "b": 1000, "c": 1000, "d": 1000}) == []


@pytest.mark.parametrize("value,error", [(0, None), (100, None), (85.5, None), (101, "score.range"),
                                         (-1, "score.range"), ("90", "score.not_a_number"),
                                         (None, "score.not_a_number"), (True, "score.not_a_number"),
                                         (float("nan"), "score.not_a_number"), (85.55, "score.precision")])
def test_score_error(value, error):
    assert r.score_error(value) == error


def test_score_in_tenths():
    assert (r.score_tenths(85.5), r.score_tenths(100), r.score_rate(855), r.score_rate(None)) == (
        855, 1000, r.Rate(855, 1000), r.Rate(0, 0))


@pytest.mark.parametrize("indicators,error", [
    ([r.Indicator("congress_on_time", 60, "auto"), r.Indicator("x", 40, "scored", "assessor")], None),
    ([r.Indicator("congress_on_time", 60, "auto")], "indicators.weights"),
    ([r.Indicator("congress_on_time", 50, "auto"), r.Indicator("congress_on_time", 50, "auto")],
     "indicators.duplicate"),
    ([r.Indicator("congress_on_time", 110, "auto"), r.Indicator("x", -10, "scored", "assessor")],
     "indicators.weight_positive"),
    ([r.Indicator("made_up", 100, "auto")], "indicators.unknown_auto"),
    ([r.Indicator("x", 100, "scored", "neighbour")], "indicators.party"),
])
def test_weights_must_total_100(indicators, error):
    assert r.weights_error(indicators) == error


@pytest.mark.parametrize("bands,error", [
    (BANDS, None), ([(0, "合格")], None), ([(60, "合格"), (80, "良好"), (0, "差")], "bands.order"),
    ([(60, "合格"), (10, "差")], "bands.order"), ([(60, "合格"), (0, " ")], "bands.values"), ([], "bands.order"),
])
def test_bands(bands, error):
    assert r.bands_error(bands) == error


@pytest.mark.parametrize("ratings,error", [
    ({"a": 1, "b": 5}, None), ({"a": 1}, "survey.incomplete"), ({"a": 1, "b": 5, "c": 3}, "survey.incomplete"),
    ({"a": 0, "b": 5}, "survey.rating"), ({"a": 6, "b": 5}, "survey.rating"), ({"a": "5", "b": 5}, "survey.rating"),
    ({"a": 2.5, "b": 5}, "survey.rating"),
])
def test_ratings(ratings, error):
    assert r.ratings_error(ratings, ["a", "b"], 5) == error


def test_answer_points():
    assert r.answer_points({"a": 1, "b": 5, "c": 3}) == 6


def test_rates_and_outcomes_from_facts():
    indicators = [r.Indicator("congress_on_time", 40, "auto"), r.Indicator("proposals_on_time", 20, "auto"),
                  r.Indicator("worker_survey", 20, "scored", "workers"),
                  r.Indicator("assessor_review", 20, "scored", "assessor")]
    facts = {**FACTS, "survey_points": 60, "survey_answers": 5, "survey_questions": 4, "survey_scale": 5,
             "survey_minimum": 5, "scores": {"assessor_review": 755}}
    found = r.rates(indicators, facts)
    assert found == [r.Rate(1, 1), r.Rate(3, 4), r.Rate(60, 80), r.Rate(755, 1000)]
    [outcome] = r.outcomes(indicators, BANDS, [[x.done for x in found]], [[x.due for x in found]])
    # 40·1 + 20·0.75 + 20·0.75 + 20·0.755 = 85.1
    assert (outcome.score_hundredths, outcome.grade, outcome.shares) == (8510, "良好", [1000, 750, 750, 755])
    assert outcome.points == [4000, 1500, 1500, 1510]
    [unscored] = r.outcomes(indicators, BANDS, [[1, 3, 0, 0]], [[1, 4, 0, 0]])
    assert (unscored.score_hundredths, unscored.points) == (9167, [6667, 2500, 0, 0])
