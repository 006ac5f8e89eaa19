"""职工互助互济 in the demo (`zhigong demo`): a year of the mutual-aid fund, all through the
fund's actions.

The five example plans come seeded (migration 0004_seed_plans). Pools are opened for the whole
demo province (province, every city, every county, each with its ledger book). The fund officers
of the persona enterprise's county sign in as `fund_reviewer`, `fund_approver` and `treasurer`.
Three enterprises of that county take part from 1 January: the persona enterprise enrols its
union members collectively in the hospital-allowance plan and uploads a roster for the women's
special-illness plan (a first upload with mistakes is left checked and discarded, so its error
report can be read); two more enterprises enrol in the hospital-allowance and critical-illness
plans. Each enrolment gets its contribution notice, paid in January (one partly, so arrears show);
the persona enterprise transfers a round sum for its first notice, and the excess, kept as its
credit, is deducted from its next notice (上期结余抵扣).
Claims are submitted by the workers (the `worker` persona among them) and their unions, and
decided by the officers so that every state occurs: submitted, first-approved, approved, rejected,
appealed, in a batch at the bank, paid, and returned by the bank as failed. The treasurer pays one
batch through a return file (one account refused by the bank) and leaves a second at the bank.
An enterprise of another county joins the hospital-allowance plan and has a bad year: its
workers' claims drain its county pool and the city pool above it until one claim draws through two
levels: the city first draws what it lacks from the province, then passes the county's shortfall
down (two automatic transfers).

Claims, reviews and payments are dated the day the demo runs (no action can date them
earlier); the hospital stays they are for lie in the months before."""

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhigong.core import actions as core
from zhigong.core import bankfiles
from zhigong.core.errors import DomainError
from zhigong.core.models import Membership, Organization, Person, Role, User
from zhigong.mutualaid import (
    actions_claims,
    actions_contributions,
    actions_payments,
    actions_pools,
    actions_roster,
    rules_roster,
)
from zhigong.mutualaid.models import Claim, Coverage, Enrolment, Plan, RosterUpload
from zhigong.mutualaid.plans_seed import EFFECTIVE
from zhigong.participation.demo import Outcome

ALLOWANCE, CRITICAL, WOMEN = "zgbx-zhuyuan", "cq-zhongji", "np-nvzhigong"
OFFICERS = (("fund_reviewer", Role.FUND_REVIEWER), ("fund_approver", Role.FUND_APPROVER),
            ("treasurer", Role.TREASURER))
BANKS = ("中国工商银行南京玄武支行", "中国建设银行南京城东支行", "中国农业银行南京鼓楼支行", "江苏银行南京分行营业部")


@dataclass
class Made:
    enrolments: list[Enrolment] = field(default_factory=list)
    coverages: int = 0
    invoices: int = 0
    claims: list[Claim] = field(default_factory=list)
    batches: list = field(default_factory=list)


def build(ctx) -> Outcome:
    started = time.monotonic()
    rng = random.Random(ctx.seed * 7919 + 6)
    enterprise = Organization.objects.get(pk=ctx.persona_enterprise_id)
    county = Organization.objects.get(pk=enterprise.parent_id)
    plans = {p.code: p for p in Plan.objects.all()}
    pools = actions_pools.create_pools(ctx.admin, ctx.province, list(plans.values()))
    officers = {name: _officer(ctx, name, role, county) for name, role in OFFICERS}
    starts_on = _start(ctx.today)
    made = Made()
    others = _other_enterprises(county, enterprise, 2)
    _persona_rosters(ctx, enterprise, plans, starts_on, made)
    for other in others:
        for code in (ALLOWANCE, CRITICAL):
            made.enrolments.append(actions_roster.enrol_members(ctx.admin, other, plans[code], starts_on).enrolment)
    _contributions(ctx, made, rng)
    made.coverages = Coverage.objects.filter(enrolment__in=made.enrolments).count()
    _claims(ctx, officers, enterprise, others, starts_on, made, rng)
    _two_level_draw(ctx, plans, county, starts_on, made, rng)
    report = _report(pools, enterprise, others, made, time.monotonic() - started)
    where = county.name
    personas = [
        (_("互助金初审员"), "fund_reviewer", where, _("审核职工互助金申请")),
        (_("互助金复审员"), "fund_approver", where, _("复审大额申请和申诉、批准资金调拨")),
        (_("出纳"), "treasurer", where, _("支付批次、银行文件和回盘")),
    ]
    return Outcome(report, personas)


def _start(today: date) -> date:
    """Cover from 1 January of this year, or of last year in the first half of a year, so that a
    year of claims lies behind the demo; never before the seeded plan versions."""
    year = today.year if today.month >= 7 else today.year - 1
    return max(EFFECTIVE, date(year, 1, 1))


def _officer(ctx, username: str, role: str, county: Organization) -> User:
    user = core.create_account(ctx.admin, username, ctx.password)
    core.grant_role(ctx.admin, user, role, county)
    return user


def _other_enterprises(county: Organization, persona: Organization, n: int) -> list[Organization]:
    rows = (Organization.objects.filter(parent=county, kind=Organization.Kind.ENTERPRISE).exclude(pk=persona.pk)
            .order_by("-employee_count", "pk"))
    return list(rows[:n])


# --- Rosters -------------------------------------------------------------------------------------

def _persona_rosters(ctx, enterprise: Organization, plans: dict, starts_on: date, made: Made) -> None:
    """Collective enrolment of the union's members in the allowance plan; the women's plan by an
    uploaded roster, first with mistakes (left discarded, its report readable), then clean."""
    chair = ctx.users["enterprise_admin"]
    made.enrolments.append(actions_roster.enrol_members(chair, enterprise, plans[ALLOWANCE], starts_on).enrolment)
    women = _women_rows(enterprise, starts_on, plans[WOMEN].name)
    if not women:
        return
    broken = [list(r) for r in women[:6]]
    broken[1][1] = broken[1][1][:-1] + ("0" if broken[1][1][-1] != "0" else "1")  # a wrong check character
    broken[3][3] = "2019/13/45"  # not a date
    broken.append(list(broken[0]))  # the same person twice
    first = actions_roster.check_roster(chair, enterprise, _xlsx(broken), starts_on, today=ctx.today)
    actions_roster.discard_upload(chair, first)
    clean = actions_roster.check_roster(chair, enterprise, _xlsx(women), starts_on, today=ctx.today)
    imported = actions_roster.import_roster(chair, clean, today=ctx.today)
    if imported.state == RosterUpload.State.IMPORTED:
        made.enrolments.append(Enrolment.objects.get(enterprise=enterprise, version__plan=plans[WOMEN],
                                                     starts_on=starts_on))


def _women_rows(enterprise: Organization, starts_on: date, plan_name: str) -> list[tuple]:
    people = (Person.objects.filter(employments__enterprise=enterprise, employments__end_date__isnull=True,
                                    sex=Person.Sex.FEMALE)
              .values_list("pk", "name", "mobile", "birth_date", "employments__start_date",
                           "employments__monthly_wage_fen").order_by("pk"))
    rows = []
    for pk, name, mobile, birth, start, wage in people:
        age = starts_on.year - birth.year - ((starts_on.month, starts_on.day) < (birth.month, birth.day))
        if not 18 <= age <= 55:
            continue
        number = core.reveal_number(Person.objects.get(pk=pk))
        rows.append((name, number, mobile or "", start.isoformat(), f"{(wage or 0) / 100:.2f}", plan_name, 1))
    return rows[:60]


def _xlsx(rows: list) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(list(rules_roster.HEADERS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("花名册.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- Contributions -------------------------------------------------------------------------------

def _contributions(ctx, made: Made, rng: random.Random) -> None:
    """Each enrolment's notice issued in its first days and paid in January; the last one only
    in part (arrears). The first enterprise rounds its first payment up to the next 1,000 元: the
    excess is its credit, deducted from its next notice (issued two days later)."""
    for n, enrolment in enumerate(made.enrolments):
        if not enrolment.coverages.exists():
            continue
        issued = enrolment.starts_on + timedelta(days=3 if n == 0 else 5)
        invoice = actions_contributions.issue_invoice(ctx.admin, enrolment, day=issued)
        made.invoices += 1
        owed = actions_contributions.owed_fen(invoice)
        if owed <= 0:
            continue
        amount = owed if n < len(made.enrolments) - 1 else max(owed // 2, 1)
        paid_on = issued + timedelta(days=rng.randint(5, 20))
        if n == 0:
            amount, paid_on = (owed // 100_000 + 1) * 100_000, issued + timedelta(days=1)
        actions_contributions.record_payment(ctx.admin, invoice, amount, paid_on,
                                             bank_reference=f"DEMO{invoice.pk:06d}", payer=enrolment.enterprise.name)


# --- Claims --------------------------------------------------------------------------------------

def _claims(ctx, officers: dict, enterprise: Organization, others: list, starts_on: date, made: Made,
            rng: random.Random) -> None:
    worker = ctx.users["worker"]
    chair = ctx.users["enterprise_admin"]
    # Members since before the cover began: a stay before a member joined is (rightly) refused.
    members_before = Membership.objects.filter(joined_on__lt=starts_on, left_on__isnull=True).values("person")
    allowance = list(Coverage.objects.filter(enrolment__in=made.enrolments, version__plan__code=ALLOWANCE,
                                             person__in=members_before)
                     .exclude(person_id=worker.person_id).select_related("person").order_by("pk"))
    rng.shuffle(allowance)
    mine = Coverage.objects.filter(person_id=worker.person_id, version__plan__code=ALLOWANCE).first()
    first_day = starts_on + timedelta(days=35)
    last_day = ctx.today - timedelta(days=8)

    def stay(cover: Coverage, actor, days: int | None = None) -> Claim:
        joined = Membership.objects.filter(person_id=cover.person_id, left_on__isnull=True).order_by(
            "joined_on").values_list("joined_on", flat=True).first() or starts_on
        earliest = max(first_day, joined + timedelta(days=1))
        span = max((last_day - earliest).days - 25, 1)
        admitted = earliest + timedelta(days=rng.randrange(span))
        length = days or rng.choice((4, 5, 6, 8, 10, 12, 15, 21))
        discharged = min(admitted + timedelta(days=length), last_day)
        total = rng.randrange(300000, 3000000)
        claim = actions_claims.submit_claim(actor, actions_claims.ClaimInput(
            coverage_id=cover.pk, admitted_on=admitted, discharged_on=discharged, hospital_grade=rng.choice("123"),
            diagnosis=rng.choice(("肺炎", "腰椎间盘突出", "急性阑尾炎", "骨折", "胆结石")),
            lines=[{"invoice_no": f"{rng.randrange(10**11, 10**12)}", "total_fen": total,
                    "self_paid_fen": rng.randrange(total // 10, total // 3)}],  # never above the total
            bank_name=rng.choice(BANKS), account_holder=cover.person.name,
            account_number=f"62220{rng.randrange(10**13, 10**14)}"))
        made.claims.append(claim)
        return claim

    reviewer, approver, treasurer = officers["fund_reviewer"], officers["fund_approver"], officers["treasurer"]

    def approve(claim: Claim) -> Claim:
        """Through every review the claim needs (the county reviewer, the approver above the
        threshold)."""
        for _round in range(3):
            claim.refresh_from_db()
            if claim.state != Claim.State.SUBMITTED and claim.state != Claim.State.FIRST_APPROVED:
                break
            officer = approver if actions_claims.approver_needed(claim) and claim.state == Claim.State.FIRST_APPROVED \
                else reviewer
            actions_claims.approve_claim(officer, claim)
        claim.refresh_from_db()
        return claim

    # The worker persona: one claim paid, one approved and waiting for the next batch.
    to_pay: list[Claim] = []
    if mine is not None:
        to_pay.append(approve(stay(mine, worker, days=10)))
    for cover in allowance[:14]:
        to_pay.append(approve(stay(cover, chair if cover.enterprise_id == enterprise.pk else ctx.admin)))
    to_pay = [c for c in to_pay if c.state == Claim.State.APPROVED]
    failing = to_pay[-1] if len(to_pay) > 1 else None
    first = actions_payments.create_batch(treasurer, to_pay[0].pool, [c.pk for c in to_pay]) if to_pay else None
    if first is not None:
        actions_payments.export_batch(treasurer, first, "xlsx")
        rows = [(p.reference, p.amount_fen, p.claim_id != getattr(failing, "pk", None),
                 "" if p.claim_id != getattr(failing, "pk", None) else "户名与账号不符", ctx.today)
                for p in first.payouts.order_by("pk")]
        actions_payments.import_return(treasurer, first, bankfiles.return_template_csv(rows), "回盘.csv")
        made.batches.append(first)
    rest = allowance[14:]
    # A second batch at the bank, waiting for its return file.
    at_bank = [approve(stay(cover, ctx.admin)) for cover in rest[:4]]
    at_bank = [c for c in at_bank if c.state == Claim.State.APPROVED]
    if at_bank:
        second = actions_payments.create_batch(treasurer, at_bank[0].pool, [c.pk for c in at_bank])
        actions_payments.export_batch(treasurer, second, "xlsx")
        made.batches.append(second)
    # Approved and waiting for the next batch (with the one the bank refused); the worker's second.
    for cover in rest[4:6]:
        approve(stay(cover, ctx.admin))
    if mine is not None:
        approve(stay(mine, worker, days=6))
    # Reviews still open: submitted, and approved by the enterprise union (waiting for the county).
    for cover in rest[6:9]:
        stay(cover, ctx.admin)
    for cover in [c for c in rest[9:20] if c.enterprise_id == enterprise.pk][:2]:
        claim = stay(cover, chair)
        _try(lambda claim=claim: actions_claims.approve_claim(chair, claim))
    # Rejected (a stay of exactly three days pays nothing), and rejected then appealed.
    for cover, appeal in zip(rest[20:22], (False, True), strict=False):
        claim = stay(cover, ctx.admin, days=3)
        actions_claims.reject_claim(reviewer, claim, "住院3天，未超过3天，按计划条款不予给付。")
        if appeal:
            actions_claims.appeal_claim(ctx.admin, claim, "实际住院4天，出院小结已补交，请复核。")


def _two_level_draw(ctx, plans: dict, county: Organization, starts_on: date, made: Made,
                    rng: random.Random) -> None:
    """A bad year in another county (another city's when there is one): its largest enterprise
    (by union members there before the cover began) joins the allowance plan and pays its
    notice; then its workers' long stays with a critical illness drain the county pool and the
    city pool above it (each claim drawn from the city), until a claim needs more than both hold
    together: the province gives the city what it lacks and the city gives the county its
    shortfall, two automatic transfers for one claim (docs/mutualaid/pools.md)."""
    members_before = Membership.objects.filter(joined_on__lt=starts_on, left_on__isnull=True)
    counties = Organization.objects.filter(kind=Organization.Kind.FEDERATION, level=Organization.Level.COUNTY) \
        .exclude(pk=county.pk)
    sizes: dict[int, int] = {}
    same_city: dict[int, bool] = {}
    for enterprise_id, city_id in members_before.filter(
            union__parent__parent__in=counties, union__parent__kind=Organization.Kind.ENTERPRISE) \
            .values_list("union__parent", "union__parent__parent__parent"):
        sizes[enterprise_id] = sizes.get(enterprise_id, 0) + 1
        same_city[enterprise_id] = city_id == county.parent_id
    if not sizes:
        return
    enterprise = Organization.objects.get(pk=min(sizes, key=lambda pk: (same_city[pk], -sizes[pk], pk)))
    enrolment = actions_roster.enrol_members(ctx.admin, enterprise, plans[ALLOWANCE], starts_on).enrolment
    covers = list(Coverage.objects.filter(enrolment=enrolment, person__in=members_before.values("person"))
                  .select_related("person").order_by("pk"))
    if not covers:
        return
    made.enrolments.append(enrolment)
    issued = starts_on + timedelta(days=5)
    invoice = actions_contributions.issue_invoice(ctx.admin, enrolment, day=issued)
    made.invoices += 1
    if actions_contributions.owed_fen(invoice) > 0:
        actions_contributions.record_payment(ctx.admin, invoice, actions_contributions.owed_fen(invoice),
                                             issued + timedelta(days=7), bank_reference=f"DEMO{invoice.pk:06d}",
                                             payer=enterprise.name)
    pool = enrolment.pool
    if pool.parent is None or pool.parent.parent is None:
        return
    # 50 元 a day beyond the third (at most 4,500 元 a year), plus 10,000 元 for a critical illness
    options = sorted((sick + 5000 * k, sick, k) for sick in (0, 1_000_000) for k in range(0, 88) if sick or k)
    admitted = max(covers[0].waiting_ends_on, starts_on + timedelta(days=95))
    for cover in covers[:12]:
        held = actions_pools.available_fen(pool) + actions_pools.available_fen(pool.parent)
        amount, critical, beyond = next((o for o in options if o[0] > held), options[-1])
        if amount - held > actions_pools.available_fen(pool.parent.parent):
            return
        discharged = admitted + timedelta(days=3 + beyond)
        if discharged > ctx.today - timedelta(days=8):
            return
        claim = actions_claims.submit_claim(ctx.admin, actions_claims.ClaimInput(
            coverage_id=cover.pk, admitted_on=admitted, discharged_on=discharged, hospital_grade="2",
            diagnosis="脑梗死" if critical else "腰椎间盘突出", disease_key="stroke_sequelae" if critical else "",
            lines=[{"invoice_no": f"{rng.randrange(10**11, 10**12)}", "total_fen": 4_800_000,
                    "self_paid_fen": 900_000}],
            bank_name=BANKS[0], account_holder=cover.person.name,
            account_number=f"62220{rng.randrange(10**13, 10**14)}"))
        made.claims.append(claim)
        for _round in range(3):
            claim.refresh_from_db()
            if claim.state not in (Claim.State.SUBMITTED, Claim.State.FIRST_APPROVED):
                break
            _try(lambda claim=claim: actions_claims.approve_claim(ctx.admin, claim))
        if claim.transfers.count() >= 2:
            return


def _try(call) -> None:
    try:
        call()
    except DomainError:
        pass  # a demo claim the rules refuse stays where it is


def _report(pools, enterprise, others, made: Made, elapsed: float) -> str:
    states = list(Claim.objects.filter(pk__in=[c.pk for c in made.claims]).values_list("state", flat=True))
    figures = "；".join(f"{label} {states.count(value)}" for value, label in Claim.State.choices if value in states)
    return _("职工互助互济：%(pools)s 个资金池，%(enterprises)s 家企业参保，%(coverages)s 人次保障，"
             "%(invoices)s 张缴费通知单，%(claims)s 件申请（%(figures)s），%(batches)s 个支付批次。"
             "用时 %(seconds).1f 秒。\n") % {
        "pools": f"{len(pools):,}", "enterprises": 1 + len(others), "coverages": f"{made.coverages:,}",
        "invoices": made.invoices, "claims": len(made.claims), "figures": figures, "batches": len(made.batches),
        "seconds": elapsed}
