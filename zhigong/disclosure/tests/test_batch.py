"""batch.on_time_rates (the federation's figures and the evaluation's indicator) gives exactly
what the per-enterprise compliance gives, enterprise by enterprise."""

from datetime import date

from django.utils import timezone

from zhigong.core import actions as core
from zhigong.core.identifiers import credit_code
from zhigong.core.models import Organization
from zhigong.disclosure import batch, queries
from zhigong.disclosure.models import Publication
from zhigong.disclosure.tests.conftest import publish
from zhigong.disclosure.tests.helpers import disclose_before_vote


def test_batch_equals_one_at_a_time(world, dw):
    publish(world, dw, "safety", "2026-Q1")
    publish(world, dw, "awards_penalties", "2026-Q1")
    publish(world, dw, "operations_finance", "2025-H2")
    Publication.objects.update(published_on=date(2026, 4, 10))
    Publication.objects.filter(matter__code="awards_penalties").update(published_on=date(2026, 6, 1))
    from zhigong.democracy import actions as congress
    body = congress.create_congress(world.enterprise_admin, world.enterprise_a)
    term = congress.start_term(world.enterprise_admin, body, 1, date(2025, 1, 1), date(2029, 12, 31), 350, 140)
    session = congress.schedule_session(world.enterprise_admin, term, "", timezone.now(), "")
    congress.add_agenda_item(world.enterprise_admin, session, "集体合同", "approve", matter="collective_contract")
    disclose_before_vote(world.enterprise_admin, session)  # late: published on the session's day
    extra = core.create_organization(world.admin, Organization.Kind.ENTERPRISE, world.county_a, name="第三家企业",
                                     credit_code=credit_code("320102", 3003))
    ids = [world.enterprise_a.pk, world.enterprise_b.pk, extra.pk]
    for year, today in ((2026, date(2026, 8, 20)), (2025, date(2026, 8, 20)), (timezone.localdate().year,
                                                                                timezone.localdate())):
        together = batch.on_time_rates(ids, year, today)
        alone = {pk: (queries.compliance(Organization.objects.get(pk=pk), year, today)["due"],
                      queries.compliance(Organization.objects.get(pk=pk), year, today)["on_time"]) for pk in ids}
        assert together == alone
        months = batch.months(ids, year, today)
        assert months[world.enterprise_a.pk] == queries.compliance(world.enterprise_a, year, today)["by_month"]
    assert batch.on_time_rates(ids, 2026, date(2026, 8, 20))[world.enterprise_a.pk][1] == 1  # safety Q1
