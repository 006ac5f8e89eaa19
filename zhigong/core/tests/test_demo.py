"""zhigong demo: a small run builds valid, unique, reproducible data whose member counts add up;
the personas log in and see what their role allows; a second run into the same database is
refused; each chunk's trail digest matches the rows in the database."""

import hashlib
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from zhigong.core import actions, batch, policy, rules
from zhigong.core.management.commands.demo import DEMO_PASSWORD, load_places
from zhigong.core.models import Employment, Membership, Organization, Person, Region, User
from zhigong.trail.models import Event

MEMBERS = 300
Kind = Organization.Kind


@pytest.fixture
def demo(db) -> str:
    out = StringIO()
    call_command("demo", members=MEMBERS, seed=1, stdout=out)
    return out.getvalue()


def _plan(seed: int, people: int = MEMBERS) -> batch.DemoPlan:
    return batch.plan_demo(*load_places("320000"), people, seed, timezone.localdate())


def test_people_have_valid_unique_id_numbers(demo):
    today = timezone.localdate()
    regions = set(Region.objects.values_list("code", flat=True))
    people = list(Person.objects.prefetch_related("employments__enterprise"))
    numbers = [actions.reveal_number(p) for p in people]
    assert len(people) == MEMBERS and len(set(numbers)) == MEMBERS
    for person, number in zip(people, numbers, strict=True):
        facts = rules.parse_id_number(number, known_regions=regions, today=today)
        enterprise = person.employments.get().enterprise
        assert (facts.birth_date, facts.sex, facts.region_code) == (person.birth_date, person.sex, person.region_id)
        assert person.region_id == enterprise.region_id and person.scope_path == enterprise.path
        assert person.id_masked == rules.mask_id_number(number) and person.id_last4 == number[-4:]
        assert person.id_number_index == actions.id_index(number)
        assert 18 <= rules.age_on(person.birth_date, today) <= 60
        assert rules.validate_mobile(person.mobile) == person.mobile
    assert len({p.mobile for p in people}) == MEMBERS


def test_enterprises_have_unique_valid_credit_codes(demo):
    enterprises = list(Organization.objects.filter(kind=Kind.ENTERPRISE))
    codes = [e.credit_code for e in enterprises]
    assert len(enterprises) == batch.enterprise_count(MEMBERS) and len(set(codes)) == len(codes)
    for enterprise in enterprises:
        assert rules.validate_credit_code(enterprise.credit_code) == enterprise.credit_code
        assert enterprise.credit_code[2:8] == enterprise.region_id
        assert enterprise.employee_count == enterprise.employments.count() > 0
        assert enterprise.profits.count() == batch.PROFIT_YEARS
        assert enterprise.children.get().kind == Kind.ENTERPRISE_UNION


def test_member_counts_match_memberships(demo):
    current = Membership.objects.filter(left_on__isnull=True)
    province = Organization.objects.get(parent=None)
    assert province.member_count == current.count()
    assert 0.75 * MEMBERS < current.count() < 0.95 * MEMBERS
    for union in Organization.objects.filter(kind=Kind.ENTERPRISE_UNION):
        assert union.member_count == current.filter(union=union).count() == union.parent.member_count
    for federation in Organization.objects.filter(kind=Kind.FEDERATION):
        below = Organization.objects.filter(kind=Kind.ENTERPRISE_UNION, path__startswith=federation.path)
        assert federation.member_count == below.aggregate(n=Sum("member_count"))["n"]


def test_every_worker_has_one_job_with_a_plausible_wage(demo):
    jobs = Employment.objects.all()
    assert jobs.count() == MEMBERS == jobs.values("person").distinct().count()
    below_minimum = jobs.filter(monthly_wage_fen__lt=batch.MINIMUM_WAGE_YUAN * 100)
    assert below_minimum.count() == below_minimum.filter(form="part_time").count()
    assert jobs.filter(form="labour_contract").count() > MEMBERS / 2
    assert not jobs.filter(start_date__gt=timezone.localdate()).exists()


def test_personas_log_in(demo, client):
    for username in ("admin", "province_cadre", "county_cadre", "enterprise_admin", "worker", "auditor"):
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()
    worker = User.objects.get(username="worker")
    assert worker.mobile and client.login(username=worker.mobile, password=DEMO_PASSWORD)
    assert worker.mobile in demo and DEMO_PASSWORD in demo


def test_personas_see_what_their_role_allows(demo):
    users = {u.username: u for u in User.objects.all()}
    everything = Organization.objects.count()
    assert policy.is_platform_admin(users["admin"])
    assert policy.visible_organizations(users["province_cadre"]).count() == everything
    county = users["county_cadre"].grants.get().organization
    seen = policy.visible_organizations(users["county_cadre"])
    assert 1 < seen.count() < everything and all(o.path.startswith(county.path) for o in seen)
    person = policy.visible_people(users["county_cadre"]).first()
    assert policy.may_see_personal_data(users["county_cadre"], person)
    assert not policy.may_see_personal_data(users["province_cadre"], person)
    enterprise = users["enterprise_admin"].grants.get().organization
    assert policy.visible_people(users["enterprise_admin"]).count() == enterprise.employee_count
    worker = users["worker"]
    assert list(policy.visible_people(worker)) == [worker.person]
    assert not policy.may_person(worker, "change", worker.person)
    city = users["auditor"].grants.get().organization
    assert policy.may_organization(users["auditor"], "view", city)
    assert not policy.may_organization(users["auditor"], "change", city)


def test_a_second_run_is_refused(demo):
    with pytest.raises(CommandError, match="空数据库"):
        call_command("demo", members=10, stdout=StringIO())
    assert Person.objects.count() == MEMBERS


def test_the_same_seed_gives_the_same_people(demo):
    def people(seed):
        chunks = list(batch.iter_people(_plan(seed)))
        return [n for c in chunks for n in c.names], [n for c in chunks for n in c.id_numbers]

    names, numbers = people(1)
    assert people(1) == (names, numbers)
    assert list(Person.objects.order_by("pk").values_list("name", flat=True)) == names
    stored = [actions.reveal_number(p) for p in Person.objects.order_by("pk")]
    assert stored == numbers
    assert people(2)[0] != names


def test_each_chunk_digest_matches_the_rows(demo):
    events = Event.objects.filter(verb="demo.people")
    assert events.count() == -(-MEMBERS // batch.CHUNK_SIZE)
    for event in events:
        data = json.loads(bytes(event.leaf))["data"]
        span = {"person_id__gte": data["first_person"], "person_id__lte": data["last_person"]}
        hasher = hashlib.sha256()
        people = Person.objects.filter(pk__gte=data["first_person"], pk__lte=data["last_person"])
        batch.digest_rows(hasher, _rows(people.order_by("pk"), batch.PERSON_FIELDS))
        for model, fields in ((Employment, batch.EMPLOYMENT_FIELDS), (Membership, batch.MEMBERSHIP_FIELDS)):
            batch.digest_rows(hasher, _rows(model.objects.filter(**span).order_by("person_id"), fields))
        assert hasher.hexdigest() == data["sha256"]
        assert data["people"] == people.count()


def _rows(queryset, fields) -> list[tuple]:
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in queryset.values_list(*fields)]


def test_id_sequences_never_repeat_within_a_county_and_day():
    counters = batch.SequenceCounters(counties=1, days=2)
    day = np.zeros(900, dtype=np.int64)
    male = np.arange(900) % 2
    codes = counters.take(np.zeros(900, dtype=np.int64), day, male)
    assert len(set(codes.tolist())) == 900 and (codes % 2 == male).all() and codes.max() < 1000
    with pytest.raises(ValueError):
        counters.take(np.zeros(200, dtype=np.int64), day[:200], np.ones(200, dtype=np.int64))


def test_enterprise_sizes_are_skewed_and_add_up():
    sizes = batch.draw_enterprise_sizes(np.random.default_rng(1), 150_000, 1_000)
    assert sizes.sum() == 150_000 and sizes.min() >= 1
    assert sizes.max() > 10 * np.median(sizes)


def test_a_small_demo_keeps_to_a_few_counties_and_a_large_one_covers_the_province(db):
    small, large = _plan(1, 2_000).territory, _plan(1, 1_000_000).territory
    assert (len(small.cities), len(small.counties)) == (2, 4)
    assert len(large.counties) == Region.objects.filter(code__startswith="32", level="county").count()
