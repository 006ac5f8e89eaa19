"""zhigong demo builds a year of disclosures: the persona enterprise's through the actions, with
overdue matters, a correction, an on-event disclosure, acknowledgements and an answered question;
the congress's disclosures before its votes; every resolution published; the other enterprises
in bulk with a spread of on-time rates that batch and one-at-a-time agree on; the trail verifies.

Built once for the module inside a transaction that is rolled back at the end."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from zhigong.core.models import Organization, User
from zhigong.democracy.models import Resolution
from zhigong.disclosure import batch, queries
from zhigong.disclosure.models import Acknowledgement, Publication, Question
from zhigong.trail.models import Event
from zhigong.trail.verify import verify


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        out = StringIO()
        call_command("demo", members=600, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def persona(demo, db) -> Organization:
    return User.objects.get(username="enterprise_admin").grants.get().organization


def test_the_persona_enterprise_has_a_year_with_some_overdue(demo, persona):
    assert "厂务公开" in demo or "Disclosure" in demo
    today = timezone.localdate()
    result = queries.compliance(persona, today.year, today)
    missing = {d.matter.code for d in result["missing_items"]}
    assert missing and missing <= {"labour_disputes", "training_funds"}
    assert result["on_time"] > result["late"] > 0 or result["on_time"] > 0
    mine = Publication.objects.filter(enterprise=persona)
    assert mine.filter(previous__isnull=False).count() == 1
    assert mine.filter(kind="event", resolution__isnull=True).exists() and mine.filter(kind="vote").exists()
    assert Acknowledgement.objects.filter(publication__enterprise=persona).count() == 5
    assert Question.objects.filter(publication__enterprise=persona, answered_at__isnull=False).count() == 1


def test_every_resolution_is_published_and_votes_were_disclosed_in_time(demo, db):
    assert Resolution.objects.exists()
    assert Publication.objects.filter(resolution__isnull=False).count() == Resolution.objects.count()
    for vote in Publication.objects.filter(kind="vote").select_related("session"):
        assert vote.published_on <= vote.due_on


def test_other_enterprises_in_bulk_with_a_spread(demo, persona):
    today = timezone.localdate()
    ids = list(Organization.objects.filter(kind="enterprise").values_list("pk", flat=True))
    assert Publication.objects.exclude(enterprise=persona).count() > 10 * (len(ids) - 1)
    rates = batch.on_time_rates(ids, today.year, today)
    shares = {round(on_time / due, 1) for due, on_time in rates.values() if due}
    assert len(shares) >= 3
    for pk in ids[:5]:
        result = queries.compliance(Organization.objects.get(pk=pk), today.year, today)
        assert rates[pk] == (result["due"], result["on_time"])


def test_the_trail_verifies(demo, db):
    assert Event.objects.filter(verb="demo.backdate_disclosure").exists()
    assert verify().ok
