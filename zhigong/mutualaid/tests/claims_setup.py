"""What the claim tests stand on: the seeded example plans, the pools of the persona province
(created by M1's create_pools, each with its ledger book), money in county A's pool, the worker
covered under a plan, and fund officers of county A: a reviewer and an approver."""

from dataclasses import dataclass
from datetime import date, timedelta  # noqa: F401 (tests use setup.date)

from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.conftest import PASSWORD, World
from zhigong.core import actions as core
from zhigong.core.models import Person, Role, User
from zhigong.ledger import chart
from zhigong.ledger.rules import credit, debit
from zhigong.mutualaid import actions_claims, ledgering
from zhigong.mutualaid.actions_pools import create_pools
from zhigong.mutualaid.models import Coverage, Enrolment, Plan, Pool

ACCOUNT = "6222 0202 0011 2233 445"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class ClaimsWorld:
    world: World
    pools: dict[str, Pool]
    reviewer: User
    approver: User

    @property
    def county_pool(self) -> Pool:
        return self.pools["county"]


def build(world: World, bank_fen: int = 10_000_000) -> ClaimsWorld:
    admin = world.admin
    plans = list(Plan.objects.filter(code__in=["zgbx-zhuyuan", "cq-zhongji", "sh-huiyuan", "np-nvzhigong",
                                               "sh-tezhong"]))
    chain = create_pools(admin, world.county_a, plans)
    pools = {p.level: p for p in chain if p.federation_id in (world.province.pk, world.city.pk, world.county_a.pk)}
    if bank_fen:
        fund(admin, pools["county"], bank_fen)
    reviewer = core.create_account(admin, "reviewer_a", PASSWORD)
    core.grant_role(admin, reviewer, Role.FUND_REVIEWER, world.county_a)
    approver = core.create_account(admin, "approver_a", PASSWORD)
    core.grant_role(admin, approver, Role.FUND_APPROVER, world.county_a, personal_data=True)
    return ClaimsWorld(world, pools, reviewer, approver)


def fund(admin, pool: Pool, amount_fen: int, day: date = date(2026, 1, 10)) -> None:
    ledgering.post(admin, pool.book, day, "缴费入账", [debit(chart.BANK, amount_fen),
                                                   credit(chart.CONTRIBUTIONS, amount_fen)])


def cover(cw: ClaimsWorld, plan_code: str, person: Person | None = None, starts_on: date = date(2026, 1, 1),
          renewed_from: Coverage | None = None, shares: int = 1) -> Coverage:
    """The person (the worker persona by default) covered under the plan's 2026 version."""
    world = cw.world
    person = person or world.worker_person
    version = Plan.objects.get(code=plan_code).versions.get()
    ends_on = date(starts_on.year + version.period_months // 12, starts_on.month, starts_on.day) - timedelta(days=1)
    enrolment, _ = Enrolment.objects.get_or_create(
        enterprise=world.enterprise_a, version=version, starts_on=starts_on,
        defaults={"union": world.union_a, "pool": cw.county_pool, "ends_on": ends_on, "region_code": "320102"})
    waiting = starts_on if renewed_from else starts_on + timedelta(days=version.waiting_days)
    return Coverage.objects.create(enrolment=enrolment, person=person, enterprise=world.enterprise_a,
                                   version=version, shares=shares, starts_on=starts_on, waiting_ends_on=waiting,
                                   ends_on=ends_on, renewed_from=renewed_from, region_code="320102")


def pdf(name: str = "发票.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stay(coverage: Coverage, admitted: date, days: int, invoice: str = "", **more) -> actions_claims.ClaimInput:
    lines = [{"invoice_no": invoice, "total_fen": 300000, "self_paid_fen": 100000}] if invoice else []
    return actions_claims.ClaimInput(
        coverage_id=coverage.pk, admitted_on=admitted, discharged_on=admitted + timedelta(days=days),
        hospital_grade="2", diagnosis="肺炎", lines=lines, bank_name="工商银行南京玄武支行", account_holder="张伟",
        account_number=ACCOUNT, **more)


def illness(coverage: Coverage, day: date, disease_key: str, **more) -> actions_claims.ClaimInput:
    return actions_claims.ClaimInput(coverage_id=coverage.pk, event_on=day, disease_key=disease_key,
                                     diagnosis="确诊", bank_name="工商银行南京玄武支行", account_holder="张伟",
                                     account_number=ACCOUNT, **more)


# For the shared outsider test of the "mutualaid" tag (tests/test_api_policy.py): the claim
# routes' parameters and bodies, e.g. params.update(claims_setup.api_params(world)) and
# BODIES.update(claims_setup.API_BODIES).
API_BODIES = {
    "/api/v1/mutualaid/claims/{claim_id}/reject": {"reason": "x"},
    "/api/v1/mutualaid/claims/{claim_id}/appeal": {"reason": "x"},
    "/api/v1/mutualaid/claims/{claim_id}/documents": {"__multipart__": {"kind": "invoice", "file": pdf()}},
}


def api_params(world: World) -> dict:
    """A claim of county A's worker with one document (their coverage reused when there is one)."""
    cw = build(world, bank_fen=0)
    coverage = Coverage.objects.filter(person=world.worker_person).first() or cover(cw, "zgbx-zhuyuan")
    claim = actions_claims.submit_claim(world.worker, stay(coverage, date(2026, 5, 1), 10), [("invoice", pdf())])
    return {"claim_id": claim.pk, "document_id": claim.documents.get().pk}
