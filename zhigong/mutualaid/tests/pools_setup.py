"""What the plans, pools and contributions tests stand on: the seeded allowance plan, the
province/city/county pools of the persona world created by the action, an enterprise of county A
enrolled with covered workers, a treasurer of county A and a fund approver of the city."""

from dataclasses import dataclass, field
from datetime import date

from zhigong.conftest import PASSWORD, World
from zhigong.core import actions as core
from zhigong.core.identifiers import id_number
from zhigong.core.models import Person, Role, User
from zhigong.mutualaid import actions_pools
from zhigong.mutualaid.models import Coverage, Enrolment, Plan, PlanVersion, Pool


@dataclass
class Fund:
    world: World
    plan: Plan
    version: PlanVersion
    county: Pool
    city: Pool
    province: Pool
    enrolment: Enrolment
    coverages: list[Coverage] = field(default_factory=list)
    treasurer: User | None = None
    approver: User | None = None


def user(world: World, name: str, role: str, org) -> User:
    account = core.create_account(world.admin, name, PASSWORD)
    core.grant_role(world.admin, account, role, org)
    return account


def build(world: World, plan_code: str = "zgbx-zhuyuan", workers: int = 3) -> Fund:
    plan = Plan.objects.get(code=plan_code)
    version = plan.versions.get(effective_from=date(2026, 1, 1))
    pools = actions_pools.create_pools(world.province_cadre, world.province, [plan])
    by_fed = {p.federation_id: p for p in pools}
    county, city, province = by_fed[world.county_a.pk], by_fed[world.city.pk], by_fed[world.province.pk]
    enrolment = Enrolment.objects.create(enterprise=world.enterprise_a, union=world.union_a, version=version,
                                         pool=county, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                         region_code="320102")
    fund = Fund(world, plan, version, county, city, province, enrolment)
    people = [world.worker_person] + [_person(world, n) for n in range(1, workers)]
    for n, person in enumerate(people):
        fund.coverages.append(Coverage.objects.create(
            enrolment=enrolment, person=person, enterprise=world.enterprise_a, version=version,
            monthly_wage_fen=650000 + 100000 * n, starts_on=date(2026, 1, 1), waiting_ends_on=date(2026, 1, 31),
            ends_on=date(2026, 12, 31), region_code="320102"))
    fund.treasurer = user(world, "treasurer_a", Role.TREASURER, world.county_a)
    fund.approver = user(world, "approver_city", Role.FUND_APPROVER, world.city)
    return fund


def _person(world: World, n: int) -> Person:
    person = core.register_person(world.admin, world.enterprise_a, f"职工{n}",
                                  id_number("320102", date(1980 + n, 5, 1), 300 + n, male=n % 2 == 0), "")
    core.start_employment(world.admin, person, world.enterprise_a, date(2020, 1, 1), "labour_contract", 500000)
    return person
