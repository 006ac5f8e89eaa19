"""An evaluation world on top of the standing personas: enterprise A's congress (30 delegates,
a session opened with its quorum), proposals due this year in every outcome, a suggestion box
with answered and overdue messages, a third-party assessor over enterprise A, and two more
enterprises in county A: one with a box only, one with nothing at all."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from zhigong.conftest import PASSWORD
from zhigong.core import actions as core
from zhigong.core.identifiers import credit_code
from zhigong.core.models import Organization, Role
from zhigong.democracy.tests.conftest import CongressWorld, build_congress, start
from zhigong.participation import actions as voice
from zhigong.participation.models import BoxMessage, Proposal


@dataclass
class EvaluationWorld:
    cw: CongressWorld
    year: int
    assessor: object
    enterprise_c: Organization  # a suggestion box only
    enterprise_d: Organization  # nothing at all


# (due days from the year's first day, answered after due (None: not answered), rating)
PROPOSALS = [(10, -3, "satisfied"), (20, 0, "basically_satisfied"), (30, 5, "not_satisfied"), (40, None, ""),
             (50, -1, "")]


def _proposals(cw: CongressWorld, year: int) -> None:
    first = timezone.datetime(year, 1, 1).date()
    for n, (days, late, rating) in enumerate(PROPOSALS):
        due = first + timedelta(days=days)
        Proposal.objects.create(
            congress=cw.congress, session=cw.session, number=f"T-{n}", title=f"提案{n}", cause="理由", measures="措施",
            category="wages", state="closed" if rating else "assigned", proposer=cw.delegates[n], due_on=due,
            answered_on=None if late is None else due + timedelta(days=late), rating=rating,
            region_id=cw.congress.region_id)


def _box(actor, enterprise: Organization, answered: int, overdue: int) -> None:
    box = voice.open_box(actor, enterprise)
    for i in range(answered + overdue):
        message, _code = voice.drop_message(box, f"意见{i}", "other", False, [], f"10.0.{enterprise.pk}.{i}")
        if i < answered:
            voice.answer_message(actor, message, "已答复")
        else:  # set-up: a message received long ago and never answered
            BoxMessage.objects.filter(pk=message.pk).update(due_on=timezone.localdate() - timedelta(days=3))


@pytest.fixture
def ew(world, settings) -> EvaluationWorld:
    from django.core.cache import cache

    cache.clear()  # the box's rate limit
    cw = build_congress(world, delegates=30)
    start(cw, present=25, items=[("审议企业生产经营情况报告", "advise", {})])
    year = timezone.localtime(cw.session.starts_at).year
    _proposals(cw, year)
    _box(world.enterprise_admin, world.enterprise_a, answered=2, overdue=1)
    assessor = core.create_account(world.admin, "assessor", PASSWORD)
    core.grant_role(world.admin, assessor, Role.ASSESSOR, world.enterprise_a)
    c = core.create_organization(world.admin, "enterprise", world.county_a, name="玄武食品有限公司",
                                 credit_code=credit_code("320102", 1003), employee_count=80)
    d = core.create_organization(world.admin, "enterprise", world.county_a, name="玄武物流有限公司",
                                 credit_code=credit_code("320102", 1004), employee_count=40)
    c_admin = core.create_account(world.admin, "c_admin", PASSWORD)
    core.grant_role(world.admin, c_admin, Role.ENTERPRISE_ADMIN, c)
    _box(c_admin, c, answered=1, overdue=2)
    return EvaluationWorld(cw, year, assessor, c, d)


def survey_answers(survey, users, rating=4):
    from zhigong.evaluation import actions

    for user in users:
        actions.answer_survey(user, survey, {q["code"]: rating for q in survey.questions})


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese; a page test in English must not leave its language
    active in this thread for the next test."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
