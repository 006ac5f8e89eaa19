"""What the payment tests stand on: a county pool with its ledger book and money in the bank, a
treasurer of county A, and approved claims whose approval posted Dr 6401 / Cr 2241 the way the
claims part does (docs/mutualaid/pools.md, reserve_for_claim)."""

from dataclasses import dataclass
from datetime import date

from zhigong.conftest import PASSWORD, World
from zhigong.core import actions as core
from zhigong.core import crypto
from zhigong.core.models import Role, User
from zhigong.ledger import actions as ledger
from zhigong.ledger import chart
from zhigong.ledger.rules import credit, debit
from zhigong.mutualaid.models import Claim, Coverage, Enrolment, Plan, PlanVersion, Pool

ACCOUNT = "6222020200112233445"


@dataclass
class Fund:
    pool: Pool
    version: PlanVersion
    coverage: Coverage
    treasurer: User
    world: World


def build_fund(world: World, bank_fen: int = 10_000_000) -> Fund:
    admin = world.admin
    plan = Plan.objects.create(code="t-zhuyuan", name="住院津贴互助保障", kind=Plan.Kind.HOSPITAL_ALLOWANCE)
    version = PlanVersion.objects.create(plan=plan, label="2026年度", effective_from=date(2026, 1, 1),
                                         text="每天50元。", price_fen=8000)
    book = ledger.open_book(admin, world.county_a, "玄武区互助金县级池", code="pool-test")
    pool = Pool.objects.create(federation=world.county_a, level=Pool.Level.COUNTY, name="玄武区互助金县级池",
                               region_code="320102", book=book)
    pool.plans.add(plan)
    ledger.post(admin, book, date(2026, 1, 10), "缴费入账", [debit(chart.BANK, bank_fen),
                                                          credit(chart.CONTRIBUTIONS, bank_fen)])
    enrolment = Enrolment.objects.create(enterprise=world.enterprise_a, union=world.union_a, version=version,
                                         pool=pool, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                         region_code="320102")
    coverage = Coverage.objects.create(enrolment=enrolment, person=world.worker_person,
                                       enterprise=world.enterprise_a, version=version, starts_on=date(2026, 1, 1),
                                       waiting_ends_on=date(2026, 1, 31), ends_on=date(2026, 12, 31),
                                       region_code="320102")
    treasurer = core.create_account(admin, "treasurer_a", PASSWORD)
    core.grant_role(admin, treasurer, Role.TREASURER, world.county_a)
    return Fund(pool, version, coverage, treasurer, world)


def approved_claim(fund: Fund, amount_fen: int, number: str, account: str = ACCOUNT) -> Claim:
    world = fund.world
    claim = Claim.objects.create(
        number=number, person=world.worker_person, coverage=fund.coverage, version=fund.version,
        enterprise=world.enterprise_a, pool=fund.pool, submitted_by=world.worker, channel=Claim.Channel.WORKER,
        event_on=date(2026, 6, 1), admitted_on=date(2026, 6, 1), discharged_on=date(2026, 6, 11),
        bank_name="工商银行南京玄武支行", account_holder="张伟",
        account_cipher=crypto.encrypt(account, b"bank_account"), account_index=crypto.blind_index(account, b"bank"),
        account_masked=f"{account[:4]}****{account[-4:]}", state=Claim.State.APPROVED, computed_fen=amount_fen,
        approved_fen=amount_fen, region_code="320102")
    ledger.post(world.admin, fund.pool.book, date(2026, 6, 20), f"核准互助金 {number}", [
        debit(chart.BENEFITS, amount_fen, organization_id=world.enterprise_a.pk, person_id=world.worker_person.pk),
        credit(chart.CLAIMS_PAYABLE, amount_fen, organization_id=world.enterprise_a.pk,
               person_id=world.worker_person.pk)], source=claim, key=f"claim:{claim.pk}:payable")
    return claim
