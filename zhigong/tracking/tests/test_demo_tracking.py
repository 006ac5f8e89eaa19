"""zhigong demo tracks the demo congresses' resolutions: a carried-out collective contract with
evidence, the business report's opinions under way with an overdue measure and a reasoned step
back, the proposal rules updated from a spreadsheet; the other enterprises' resolutions planned.

The demo (600 workers) is built once for the module inside a transaction rolled back at the end."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhigong.core.models import User
from zhigong.democracy.models import Resolution
from zhigong.tracking import batch, queries
from zhigong.tracking.models import Entry, Evidence, ImportBatch, Plan
from zhigong.trail.verify import verify


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        out = StringIO()
        call_command("demo", members=600, seed=3, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_every_trackable_resolution_is_planned(demo, db):
    trackable = Resolution.objects.filter(batch.trackable_filter())
    assert trackable.count() >= 3
    assert Plan.objects.count() == trackable.count()
    assert "决策追踪" in demo


def test_the_persona_enterprise_shows_every_state(demo, db):
    admin = User.objects.get(username="enterprise_admin")
    plan = Plan.objects.filter(measures__entries__batch__isnull=True).first()
    enterprise = plan.enterprise
    figures = queries.overview(admin, enterprise, timezone.localdate())
    assert figures["resolution_states"]["carried_out"] >= 1
    assert figures["resolution_states"]["carrying_out"] >= 1
    assert figures["measures_overdue"] >= 1
    assert Entry.objects.filter(measure__plan__enterprise=enterprise).exclude(reason="").exists()
    assert Evidence.objects.exists() and ImportBatch.objects.filter(enterprise=enterprise).count() == 1


def test_the_worker_sees_a_tracking_page_with_proofs(demo, db, client):
    worker = User.objects.get(username="worker")
    client.force_login(worker, backend="zhigong.core.auth.UsernameOrMobileBackend")
    plan = Plan.objects.filter(progress=100).first()
    page = client.get(f"/tracking/resolutions/{plan.resolution_id}/")
    assert page.status_code == 200 and "留痕证明" in page.content.decode()


def test_the_trail_verifies(demo, db):
    assert verify().ok
