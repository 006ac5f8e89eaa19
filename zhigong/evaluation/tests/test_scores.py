"""The federation and the assessor score their own indicators only, 0–100 with one decimal and
a reason; bad input is refused with a clear message and writes nothing."""

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.evaluation import actions
from zhigong.evaluation.models import PartyScore
from zhigong.trail.models import Event


@pytest.mark.parametrize("value,code", [(101, "score.range"), (-0.5, "score.range"), ("90", "score.not_a_number"),
                                        (None, "score.not_a_number"), (88.25, "score.precision")])
def test_bad_scores_are_refused_and_nothing_is_written(ew, world, value, code):
    before = Event.objects.count()
    with pytest.raises(DomainError) as refused:
        actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", value, "理由")
    assert refused.value.code == code and refused.value.field == "value"
    assert str(refused.value.message).startswith("得分")
    assert not PartyScore.objects.exists() and Event.objects.count() == before


def test_a_reason_is_required(ew, world):
    with pytest.raises(DomainError) as refused:
        actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 90, "  ")
    assert refused.value.code == "score.note" and not PartyScore.objects.exists()


def test_each_party_scores_its_own_indicator(ew, world):
    row = actions.enter_score(ew.assessor, world.enterprise_a, ew.year, "assessor_review", 72.5, "资料不全。")
    assert (row.value_tenths, row.party, row.by) == (725, "assessor", ew.assessor)
    for user, code in ((world.cadre_a, "assessor_review"), (ew.assessor, "federation_review"),
                       (world.enterprise_admin, "federation_review"), (world.enterprise_admin, "assessor_review"),
                       (world.outsider, "federation_review")):
        with pytest.raises(PermissionDenied):
            actions.enter_score(user, world.enterprise_a, ew.year, code, 100, "自评满分")
    assert PartyScore.objects.count() == 1


def test_automatic_and_survey_indicators_are_not_entered(ew, world):
    for code in ("proposals_on_time", "worker_survey", "made_up"):
        with pytest.raises(DomainError) as refused:
            actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, code, 90, "理由")
        assert refused.value.code == "score.indicator"


def test_entering_again_replaces_and_the_trail_keeps_both(ew, world):
    actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 80, "初评")
    actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 85, "复核后调整")
    assert list(PartyScore.objects.values_list("value_tenths", "note")) == [(850, "复核后调整")]
    assert Event.objects.filter(verb="evaluation.score").count() == 2


def test_a_future_year_is_refused(ew, world):
    with pytest.raises(DomainError) as refused:
        actions.enter_score(world.cadre_a, world.enterprise_a, ew.year + 1, "federation_review", 80, "x")
    assert refused.value.code == "evaluation.year"
