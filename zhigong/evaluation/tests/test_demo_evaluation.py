"""zhigong demo ends with the three-party evaluation: every demo enterprise graded for this year
from its facts, the federation's and the assessor's scores (labelled as demo data) and an
anonymous survey; the worker persona finds the persona enterprise's survey open.

The demo (600 workers, this app's part only) is built once for the module inside a transaction
that is rolled back at the end."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.management.commands import demo as demo_command
from zhigong.core.models import Organization, User
from zhigong.evaluation import queries
from zhigong.evaluation.models import Evaluation, PartyScore, Survey, SurveyAnswer, SurveyRoll


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            mock.patch.object(demo_command, "DEMO_PARTS", ["zhigong.evaluation.demo"]):
        out = StringIO()
        call_command("demo", members=600, seed=3, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def built(demo, db):
    return demo


def test_every_enterprise_is_graded(built):
    year = timezone.localdate().year
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).count()
    assert Evaluation.objects.filter(year=year).count() == enterprises > 0
    assert Evaluation.objects.filter(computed_by="batch").count() == enterprises
    assert len(set(Evaluation.objects.values_list("score_hundredths", flat=True))) > 1
    assert "三位一体评价（演示数据）" in built


def test_scores_are_labelled_and_surveys_answered(built):
    assert PartyScore.objects.count() == 2 * Organization.objects.filter(kind="enterprise").count()
    assert not PartyScore.objects.exclude(note__startswith="【演示数据】").exists()
    assert SurveyAnswer.objects.count() == SurveyRoll.objects.count() > 0


def test_the_worker_persona_can_answer_and_the_assessor_assess(built):
    worker = User.objects.get(username="worker")
    [open_survey] = queries.open_surveys(worker)
    assert open_survey.status == Survey.Status.OPEN
    assessor = User.objects.get(username="assessor")
    county = assessor.grants.get().organization
    enterprise = Organization.objects.filter(kind="enterprise", path__startswith=county.path).first()
    assert policy.may_organization(assessor, "assess", enterprise)
    assert "assessor" in built
