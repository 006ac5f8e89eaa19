"""Submitting a claim: by the worker or by the enterprise union for them; documents checked by
their first bytes; the bank account encrypted and shown masked; bad input refused with the field
and nothing written; possible duplicates flagged."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core import crypto
from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.models import Notification
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid.models import Claim, ClaimDocument
from zhigong.mutualaid.tests import claims_setup as setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world):
    return setup.build(world)


def test_worker_submits_with_a_document_and_sees_the_expected_amount(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    claim = actions.submit_claim(world.worker, setup.stay(coverage, date(2026, 5, 1), 10, invoice="FP001"),
                                 [("invoice", setup.pdf())])
    assert (claim.state, claim.channel, claim.computed_fen) == ("submitted", "worker", 35000)
    assert claim.pool == cw.county_pool and claim.person == world.worker_person
    assert any(step["text"] == "住院10天，超过3天部分按每天50元计7天，共350元。" for step in claim.explanation)
    assert claim.documents.get().content_type == "application/pdf"
    assert claim.flags == []
    assert claim.due_at is not None
    assert Notification.objects.filter(user=world.worker, title="互助金申请已受理").exists()


def test_bank_account_is_encrypted_and_masked(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    claim = actions.submit_claim(world.worker, setup.stay(coverage, date(2026, 5, 1), 10))
    number = "6222020200112233445"
    assert number.encode() not in bytes(claim.account_cipher)
    assert crypto.decrypt(claim.account_cipher, b"bank_account") == number
    assert claim.account_masked == "6222 **** **** 3445"
    assert actions.reveal_account(world.worker, claim) == number
    with pytest.raises(PermissionDenied):
        actions.reveal_account(cw.reviewer, claim)  # no personal-data permission
    assert actions.reveal_account(cw.approver, claim) == number


def test_union_submits_on_behalf_of_the_worker(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    claim = actions.submit_claim(world.enterprise_admin, setup.stay(coverage, date(2026, 5, 1), 10))
    assert (claim.channel, claim.submitted_by, claim.person) == ("union", world.enterprise_admin, world.worker_person)
    assert Notification.objects.filter(user=world.worker).exists()


def test_outsider_and_colleague_cannot_claim_on_the_coverage(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    with pytest.raises(NotFound):
        actions.submit_claim(world.outsider, setup.stay(coverage, date(2026, 5, 1), 10))
    with pytest.raises(PermissionDenied):
        actions.submit_claim(world.auditor, setup.stay(coverage, date(2026, 5, 1), 10))
    assert not Claim.objects.exists()


def test_discharge_before_admission_is_refused_beside_the_field_and_nothing_written(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    data = setup.stay(coverage, date(2026, 5, 10), 0)
    data.discharged_on = date(2026, 5, 9)
    with pytest.raises(DomainError) as refused:
        actions.submit_claim(world.worker, data, [("invoice", setup.pdf())])
    assert (refused.value.code, refused.value.field) == ("claim.discharge_before_admission", "discharged_on")
    assert str(refused.value.message) == "出院日期不能早于入院日期。"
    assert not Claim.objects.exists() and not ClaimDocument.objects.exists()


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"account_number": "12ab"}, "claim.account_number", "account_number"),
    ({"bank_name": ""}, "required", "bank_name"),
    ({"hospital_grade": "9"}, "claim.hospital_grade", "hospital_grade"),
    ({"admitted_on": date(2027, 1, 1), "discharged_on": date(2027, 1, 5)}, "claim.future_date", "discharged_on"),
    ({"lines": [{"invoice_no": "A", "total_fen": 100, "self_paid_fen": 200}]}, "claim.self_paid_above_total",
     "self_paid"),
    ({"lines": [{"invoice_no": "A", "total_fen": 100, "self_paid_fen": 0}] * 2}, "claim.invoice_twice", "invoice_no"),
])
def test_bad_input(cw, world, change, code, field):
    data = setup.stay(setup.cover(cw, "zgbx-zhuyuan"), date(2026, 5, 1), 10)
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(DomainError) as refused:
        actions.submit_claim(world.worker, data)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Claim.objects.exists()


def test_documents_are_checked_by_their_first_bytes(cw, world):
    data = setup.stay(setup.cover(cw, "zgbx-zhuyuan"), date(2026, 5, 1), 10)
    fake = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        actions.submit_claim(world.worker, data, [("invoice", fake)])
    assert refused.value.code == "file.type"
    big = SimpleUploadedFile("big.pdf", setup.PDF + b"0" * (21 * 1024 * 1024))
    with pytest.raises(DomainError) as refused:
        actions.submit_claim(world.worker, data, [("invoice", big)])
    assert refused.value.code == "file.too_large"
    assert not Claim.objects.exists()


def test_a_claim_without_documents_is_flagged_until_one_is_added(cw, world):
    claim = actions.submit_claim(world.worker, setup.stay(setup.cover(cw, "zgbx-zhuyuan"), date(2026, 5, 1), 10))
    assert claim.flags == [{"code": "no_documents"}]
    actions.add_document(world.worker, claim, "discharge", setup.pdf("出院小结.pdf"))
    assert claim.flags == [] and claim.documents.count() == 1


def test_possible_duplicates_are_flagged(cw, world):
    coverage = setup.cover(cw, "zgbx-zhuyuan")
    first = actions.submit_claim(world.worker, setup.stay(coverage, date(2026, 5, 1), 10, invoice="FP001"),
                                 [("invoice", setup.pdf())])
    overlapping = actions.submit_claim(world.worker, setup.stay(coverage, date(2026, 5, 8), 5, invoice="FP002"),
                                       [("invoice", setup.pdf())])
    assert overlapping.flags == [{"code": "overlap", "claim": first.number}]
    colleague = setup.cover(cw, "zgbx-zhuyuan", person=_colleague(world))
    same_invoice = actions.submit_claim(world.enterprise_admin, setup.stay(colleague, date(2026, 8, 1), 5,
                                                                           invoice="FP001"),
                                        [("invoice", setup.pdf())])
    assert same_invoice.flags == [{"code": "invoice", "claim": first.number, "invoice": "FP001"}]


def _colleague(world):
    from zhigong.core import actions as core
    from zhigong.core.identifiers import id_number

    person = core.register_person(world.admin, world.enterprise_a, "王芳",
                                  id_number("320102", date(1990, 4, 2), 124, male=False), "13812340000")
    core.start_employment(world.admin, person, world.enterprise_a, date(2016, 1, 1), "labour_contract", 500000)
    core.join_union(world.admin, person, world.union_a, date(2016, 2, 1))
    return person
