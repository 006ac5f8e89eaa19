"""The batch path and the single-claim action agree: the same claims adjudicated one at a time
by actions_claims.adjudicate_claim and all at once by batch_claims.adjudicate_claims end with
the same amounts and the same explanations."""

from datetime import date

import pytest

from zhigong.core.errors import PermissionDenied
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid import batch_claims
from zhigong.mutualaid.models import Claim
from zhigong.mutualaid.tests import claims_setup as setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(world):
    cw = setup.build(world)
    allowance = setup.cover(cw, "zgbx-zhuyuan")
    critical = setup.cover(cw, "cq-zhongji")
    member = setup.cover(cw, "sh-huiyuan")
    made = [
        setup.stay(allowance, date(2026, 2, 1), 60, invoice="A1"), setup.stay(allowance, date(2026, 5, 1), 40),
        setup.stay(allowance, date(2026, 7, 1), 3), setup.illness(allowance, date(2026, 2, 15), "stroke_sequelae"),
        setup.illness(allowance, date(2026, 1, 10), "malignant_tumour"),
        setup.illness(critical, date(2026, 2, 1), "malignant_tumour"),  # waiting period
        setup.illness(critical, date(2026, 6, 1), "malignant_tumour"),
        setup.illness(critical, date(2026, 6, 1), "liver_failure", family_member=True),
        setup.stay(member, date(2026, 6, 1), 45), setup.stay(member, date(2026, 3, 30), 5, is_accident=True),
    ]
    submitted = [actions.submit_claim(world.worker, data) for data in made]
    actions.approve_claim(cw.reviewer, submitted[0])  # counts against the others' caps
    return cw, submitted


def _outcomes(ids):
    return {c.pk: (c.computed_fen, c.explanation) for c in Claim.objects.filter(pk__in=ids)}


def test_batch_results_equal_the_single_claim_action(claims):
    cw, submitted = claims
    ids = [c.pk for c in submitted]
    for claim in submitted:
        actions.adjudicate_claim(cw.reviewer, Claim.objects.get(pk=claim.pk))
    single = _outcomes(ids)
    Claim.objects.filter(pk__in=ids).update(computed_fen=None, explanation=[])
    result = batch_claims.adjudicate_claims(cw.reviewer, ids)
    assert _outcomes(ids) == single
    amounts = sorted(fen for fen, _steps in single.values())
    assert amounts.count(0) == 3 and result.payable == len(ids) - 3
    assert result.total_fen == sum(amounts)
    assert {fen for fen, _s in single.values()} >= {285000, 165000, 1200000, 200000, 50000, 60000}


def test_batch_refuses_claims_outside_the_officers_scope(claims, world):
    _cw, submitted = claims
    with pytest.raises(PermissionDenied):
        batch_claims.adjudicate_claims(world.outsider, [submitted[0].pk])
    with pytest.raises(PermissionDenied):
        batch_claims.adjudicate_claims(world.enterprise_admin, [c.pk for c in submitted])
