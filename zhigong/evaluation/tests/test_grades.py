"""Grades from the facts: each indicator shows its figures; the one-enterprise action and the
federation's column-wise batch give the same numbers."""

import pytest

from zhigong.core.errors import PermissionDenied
from zhigong.evaluation import actions, queries
from zhigong.evaluation.models import Evaluation
from zhigong.evaluation.tests.conftest import survey_answers
from zhigong.trail.models import Event


def snapshot(year):
    return {e.enterprise_id: (e.score_hundredths, e.grade, e.facts,
                              [(x.code, x.weight, x.done, x.due, x.share_permille, x.points_hundredths)
                               for x in e.lines.all()])
            for e in Evaluation.objects.filter(year=year).prefetch_related("lines")}


def _score_everything(ew, world):
    actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 88.5, "会议规范，材料齐全。")
    actions.enter_score(ew.assessor, world.enterprise_a, ew.year, "assessor_review", 79, "抽查三项决议，两项已落实。")
    actions.enter_score(world.cadre_a, ew.enterprise_c, ew.year, "federation_review", 61, "尚未建立职代会。")
    survey = actions.open_survey(world.cadre_a, world.enterprise_a, ew.year)
    survey_answers(survey, ew.cw.users[:4], rating=5)
    survey_answers(survey, ew.cw.users[4:7], rating=2)


def test_single_and_batch_agree(ew, world):
    _score_everything(ew, world)
    for enterprise in (world.enterprise_a, ew.enterprise_c, ew.enterprise_d):
        actions.compute_evaluation(world.cadre_a, enterprise, ew.year)
    one_by_one = snapshot(ew.year)
    summary = actions.compute_federation(world.cadre_a, world.county_a, ew.year)
    assert summary.enterprises == 3
    assert snapshot(ew.year) == one_by_one
    assert set(Evaluation.objects.values_list("computed_by", flat=True)) == {"batch"}
    # The three differ, so agreeing is not agreeing on zeros.
    assert len({v[0] for v in one_by_one.values()}) == 3


def test_each_indicator_shows_its_figures(ew, world):
    _score_everything(ew, world)
    evaluation = actions.compute_evaluation(world.cadre_a, world.enterprise_a, ew.year)
    lines = {x.code: x for x in queries.lines(evaluation)}
    assert (lines["congress_on_time"].done, lines["congress_on_time"].due) == (1, 1)
    assert (lines["quorum_reached"].done, lines["quorum_reached"].due) == (1, 1)
    assert lines["composition_compliant"].due == 4
    # due this year: answered -3, 0, +5 days late and -1 (answered), one unanswered and past due
    assert (lines["proposals_on_time"].done, lines["proposals_on_time"].due) == (3, 5)
    assert (lines["proposal_satisfaction"].done, lines["proposal_satisfaction"].due) == (2, 3)
    assert (lines["box_on_time"].done, lines["box_on_time"].due) == (2, 3)
    assert (lines["federation_review"].done, lines["assessor_review"].done) == (885, 790)
    # 7 answers x 5 questions: 4 rated 5 (4 points each), 3 rated 2 (1 point each)
    assert (lines["worker_survey"].done, lines["worker_survey"].due) == (4 * 5 * 4 + 3 * 5 * 1, 7 * 5 * 4)
    assert "按期答复的提案 3 ÷ 当年到期或已答复的提案 5" in lines["proposals_on_time"].formula
    assert evaluation.facts["rules"][0]["key"] == "congress.meetings_per_year"
    assert sum(x.points_hundredths for x in lines.values()) in range(evaluation.score_hundredths - 11,
                                                                      evaluation.score_hundredths + 12)


def test_nothing_to_judge_gives_its_weight_to_the_others(ew, world):
    actions.enter_score(world.cadre_a, ew.enterprise_d, ew.year, "federation_review", 90, "良好。")
    evaluation = actions.compute_evaluation(world.cadre_a, ew.enterprise_d, ew.year)
    lines = {x.code: x for x in queries.lines(evaluation)}
    assert lines["proposals_on_time"].share_permille == -1 and not lines["proposals_on_time"].judged
    judged = {code for code, line in lines.items() if line.judged}
    assert {"congress_on_time", "federation_review"} <= judged <= {"congress_on_time", "federation_review",
                                                                   "disclosure_on_time"}
    # congress held 0 of 1 (weight 10), federation 90% (weight 15), and, once the disclosure app
    # counts the enterprise's mandatory matters as missing, 0 of them (weight 10)
    weight = sum(lines[code].weight for code in judged)
    assert lines["disclosure_on_time"].done == 0
    assert evaluation.score_hundredths == round(1350 * 100 / weight) and evaluation.grade == "不合格"


def test_what_to_improve(ew, world):
    evaluation = actions.compute_evaluation(world.enterprise_admin, world.enterprise_a, ew.year)
    view = queries.enterprise_view(world.enterprise_admin, world.enterprise_a, ew.year)
    assert view["evaluation"] == evaluation
    lost = [x.weight * (1000 - x.share_permille) for x in view["improve"]]
    assert lost == sorted(lost, reverse=True) and len(lost) == 3
    assert lost[0] == max(x.weight * (1000 - x.share_permille) for x in view["lines"] if x.judged)
    # 2 of 5 proposals late: 8 x 400 points lost; only a missing disclosure loses more
    assert "proposals_on_time" in [x.code for x in view["improve"]][:2]


def test_outsiders_and_workers_compute_nothing(ew, world):
    before = Event.objects.count()
    with pytest.raises(PermissionDenied):
        actions.compute_evaluation(world.outsider, world.enterprise_a, ew.year)
    with pytest.raises(PermissionDenied):
        actions.compute_evaluation(world.worker, world.enterprise_a, ew.year)
    with pytest.raises(PermissionDenied):
        actions.compute_federation(world.enterprise_admin, world.county_a, ew.year)
    assert Event.objects.count() == before and not Evaluation.objects.exists()


def test_ranking_and_weakest(ew, world):
    _score_everything(ew, world)
    actions.compute_federation(world.cadre_a, world.county_a, ew.year)
    ranked = list(queries.ranking(world.cadre_a, world.county_a, ew.year))
    assert ranked[0].enterprise == world.enterprise_a
    assert [e.score_hundredths for e in ranked] == sorted((e.score_hundredths for e in ranked), reverse=True)
    weakest = queries.weakest(world.cadre_a, world.county_a, ew.year)
    assert weakest[0]["average_permille"] == min(w["average_permille"] for w in weakest)
    assert list(queries.ranking(world.outsider, world.county_a, ew.year)) == []
