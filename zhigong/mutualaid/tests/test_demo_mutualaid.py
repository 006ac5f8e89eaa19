"""zhigong demo builds a year of the mutual-aid fund through the fund's actions: pools for the
whole province with their books, fund officers who can sign in, rosters (one upload with
mistakes left for its report), contributions, claims in every state and paid batches; every
book balances and the worker persona sees a paid claim.

The demo (600 workers, this app's part only) is built once for the module inside a transaction
that is rolled back at the end."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from zhigong.core.management.commands import demo as demo_command
from zhigong.core.models import Organization, RoleGrant, User
from zhigong.ledger.models import Leg
from zhigong.mutualaid.models import Claim, PaymentBatch, Payout, Pool, RosterUpload


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            mock.patch.object(demo_command, "DEMO_PARTS", ["zhigong.mutualaid.demo"]):
        out = StringIO()
        call_command("demo", members=600, seed=3, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def built(demo, db):
    return demo


def test_pools_cover_the_province_each_with_a_balanced_book(built):
    federations = Organization.objects.filter(kind=Organization.Kind.FEDERATION).count()
    assert Pool.objects.count() == federations and not Pool.objects.filter(book__isnull=True).exists()
    per_book = Leg.objects.values("book").annotate(s=Sum("amount_fen"))
    assert per_book and all(row["s"] == 0 for row in per_book)


def test_claims_occur_in_every_state(built):
    assert set(Claim.objects.values_list("state", flat=True)) == set(Claim.State.values)


def test_a_batch_is_paid_and_another_waits_at_the_bank(built):
    assert set(PaymentBatch.objects.values_list("state", flat=True)) == {"settled", "exported"}
    failed = Payout.objects.get(state=Payout.State.FAILED)
    assert failed.bank_reason and failed.claim.state == Claim.State.PAYMENT_FAILED
    assert all(p.entry_id for p in Payout.objects.filter(state=Payout.State.PAID))


def test_the_worker_persona_has_a_paid_claim_and_officers_can_sign_in(built, client):
    worker = User.objects.get(username="worker")
    assert Claim.objects.filter(person_id=worker.person_id, state=Claim.State.PAID).exists()
    for name, role in (("fund_reviewer", "fund_reviewer"), ("fund_approver", "fund_approver"),
                       ("treasurer", "treasurer")):
        assert RoleGrant.objects.filter(user__username=name, role=role).exists()
        assert client.login(username=name, password=demo_command.DEMO_PASSWORD)
        client.logout()
    assert "treasurer" in built and "互助金初审员" in built


def test_a_roster_with_mistakes_is_kept_with_its_report(built):
    assert RosterUpload.objects.filter(state=RosterUpload.State.DISCARDED, error_rows__gt=0).exists()
    assert RosterUpload.objects.filter(state=RosterUpload.State.IMPORTED).exists()


def test_a_credit_is_kept_and_deducted_and_a_shortfall_is_drawn_through_two_levels(built):
    from zhigong.mutualaid.models import ContributionPayment, Invoice, PoolTransfer

    overpaid = ContributionPayment.objects.filter(credit_fen__gt=0).select_related("invoice").get()
    deducted = Invoice.objects.filter(enterprise=overpaid.invoice.enterprise, credit_applied_fen__gt=0)
    assert deducted.exists() or overpaid.credit_fen > 0
    assert deducted.get().credit_applied_fen <= overpaid.credit_fen
    drawn = [t for t in PoolTransfer.objects.filter(automatic=True).select_related("source", "target")
             if t.claim_id and PoolTransfer.objects.filter(claim_id=t.claim_id, automatic=True).count() == 2]
    levels = {(t.source.level, t.target.level) for t in drawn}
    assert {("province", "city"), ("city", "county")} <= levels
    per_book = Leg.objects.values("book").annotate(s=Sum("amount_fen"))
    assert all(row["s"] == 0 for row in per_book)
