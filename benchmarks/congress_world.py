"""Set-up shared by the congress and voice benchmarks: an enterprise with a congress, a term, one
constituency and delegates with their accounts and API tokens.

The organizations, congress and term go through the actions; the people, their jobs, the
delegates and their accounts are written in bulk (as in democracy/tests/test_concurrency.py: the
election and its rules are tested elsewhere, and a thousand elections would only slow the
set-up). What a benchmark measures goes through the real actions, over HTTP. Runs in the
benchmark's child process, with Django set up on the fresh database run.py made."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from zhigong.core import actions as core
from zhigong.core.crypto import encrypt
from zhigong.core.identifiers import credit_code, id_number
from zhigong.core.models import Employment, Organization, Person, Role, User
from zhigong.democracy import actions
from zhigong.democracy.models import Congress, Constituency, Delegate, Term

Kind = Organization.Kind
COUNTY = "320102"
TERM_START = date(2025, 1, 1)


@dataclass
class CongressWorld:
    admin: User
    chair: User  # the enterprise admin: runs the congress
    enterprise: Organization
    congress: Congress
    term: Term
    place: Constituency
    delegates: list[Delegate]
    users: list[User]  # users[i] is the account of delegates[i]


def build(delegates: int, workers: int) -> CongressWorld:
    """An enterprise of `workers` whose congress has `delegates` delegates: 10 % managers, 70 %
    front-line, women as many as their share of the workforce (a third), so the composition
    checks pass whenever delegates ≥ 5 % of workers."""
    admin = core.create_platform_admin("bench_admin", secrets.token_urlsafe(16))
    enterprise = _enterprise(admin, workers)
    chair = core.create_account(admin, "bench_chair", secrets.token_urlsafe(16))
    core.grant_role(admin, chair, Role.ENTERPRISE_ADMIN, enterprise)
    congress = actions.create_congress(chair, enterprise)
    term = actions.start_term(chair, congress, 1, TERM_START, date(2029, 12, 31), workers, workers // 3)
    place = actions.add_constituency(chair, term, "全厂", "other", workers)
    rows, users = bulk_delegates(enterprise, term, place, delegates)
    return CongressWorld(admin, chair, enterprise, congress, term, place, rows, users)


def _enterprise(admin: User, workers: int) -> Organization:
    province = core.create_organization(admin, Kind.FEDERATION, None, name="江苏省总工会", region_code="320000")
    city = core.create_organization(admin, Kind.FEDERATION, province, name="南京市总工会", region_code="320100")
    county = core.create_organization(admin, Kind.FEDERATION, city, name="玄武区总工会", region_code=COUNTY)
    return core.create_organization(admin, Kind.ENTERPRISE, county, name="玄武基准测试机械有限公司",
                                    credit_code=credit_code(COUNTY, 4242), industry="制造业",
                                    employee_count=workers)


def bulk_delegates(enterprise: Organization, term: Term, place: Constituency, count: int,
                   ) -> tuple[list[Delegate], list[User]]:
    """People (ID numbers encrypted and indexed as the action does), jobs, delegacies and
    accounts without a usable password, in bulk."""
    people = Person.objects.bulk_create([_person(enterprise, i) for i in range(count)], batch_size=1000)
    Employment.objects.bulk_create([
        Employment(person=p, enterprise=enterprise, start_date=date(2015, 3, 1), form="labour_contract",
                   monthly_wage_fen=720_000, region_id=COUNTY) for p in people], batch_size=1000)
    delegates = Delegate.objects.bulk_create([
        Delegate(term=term, person=p, constituency=place, elected_on=term.start_date, votes_for=place.workers // 2 + 1,
                 voters=place.workers, frontline=i % 10 < 7, manager=i % 10 == 9, woman=p.sex == "F",
                 young=i % 4 == 0) for i, p in enumerate(people)], batch_size=1000)
    accounts = [User(username=f"bench_d{i:06d}", person=p) for i, p in enumerate(people)]
    for account in accounts:
        account.set_unusable_password()
    return delegates, User.objects.bulk_create(accounts, batch_size=1000)


def _person(enterprise: Organization, i: int) -> Person:
    woman = i % 3 == 0
    born = date(1970, 1, 1) + timedelta(days=i % 12_000)
    number = id_number(COUNTY, born, 2 * (i // 12_000) + (0 if woman else 1), male=not woman)
    return Person(name=f"代表{i:05d}", id_number_encrypted=encrypt(number, core.ID_PURPOSE),
                  id_number_index=core.id_index(number), id_masked=number[:4] + "*" * 10 + number[-4:],
                  id_last4=number[-4:], birth_date=born, sex="F" if woman else "M", mobile="",
                  region_id=COUNTY, scope_path=enterprise.path)


def tokens(users: list[User]) -> list[str]:
    """An API token per account, issued through the action (each a trail event)."""
    return [core.issue_token(user, "bench")[1] for user in users]
