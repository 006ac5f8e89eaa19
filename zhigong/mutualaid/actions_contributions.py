"""Contribution notices (缴费通知单), payments by hand or from a bank statement, arrears, and
coverage suspended after the grace period and restored on payment. Every step posts balanced
entries into the pools' books (docs/mutualaid/pools.md, "Accounts used"):

- issue: each pool of the chain its share (rule row mutualaid.pool_shares) of what the
  enterprise owes (Dr 1122 / Cr 6001) and of the union subsidy (Dr 1002 / Cr 6002);
- payment: each pool its share of the money received (Dr 1002 / Cr 1122), shared so that the
  instalments of one notice add up to the pools' receivables to the fen; what is paid above
  what the notice owes is kept as the enterprise's credit (Dr 1002 / Cr 2203 预收缴费, party the
  enterprise, shared among the pools by the chain's weights);
- the next notice of the enterprise in the same pools: each pool applies the credit it holds,
  up to its part of the notice (Dr 2203 / Cr 1122), shown on the notice as 上期结余抵扣.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import policy, rulebook
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import EnterpriseProfit
from zhigong.mutualaid import ledgering, statements
from zhigong.mutualaid import rules_contributions as rules
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import (
    BenefitRule,
    ContributionPayment,
    Coverage,
    Enrolment,
    Invoice,
    InvoiceLine,
    Pool,
)

OPEN_STATES = (Invoice.State.ISSUED, Invoice.State.PARTIAL)
# A payment may arrive for a notice already paid in full (a second transfer, a race with
# another payment): it is kept whole as the enterprise's credit.
PAYABLE_STATES = (*OPEN_STATES, Invoice.State.PAID)


def _today() -> date:
    return timezone.localdate()


def may_collect(actor, pool: Pool) -> bool:
    """Cadres and treasurers of the pool's federation issue notices and record payments."""
    return any(policy.may_organization(actor, a, pool.federation) for a in ("change", "fund_pay"))


def _require(actor, pool: Pool) -> None:
    if not may_collect(actor, pool):
        raise PermissionDenied("fund_pay")


def chain(pool: Pool) -> list[Pool]:
    pools, current = [], pool
    while current is not None:
        pools.append(current)
        current = current.parent
    return pools


# --- Computing a notice -------------------------------------------------------------------------


@dataclass
class Draft:
    """A computed notice before it is written: the lines and what they rest on."""

    lines: list[tuple[Coverage, rules.LineResult]] = field(default_factory=list)
    basis: dict = field(default_factory=dict)

    def total(self, attr: str) -> int:
        return sum(getattr(result, attr) for _c, result in self.lines)


def _version_rule(version, code: str) -> BenefitRule | None:
    return next((r for r in version.benefit_rules.all() if r.code == code), None)


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def compute(enrolment: Enrolment, period_start: date, period_end: date) -> Draft:
    """The lines of a notice for the enrolment's coverages in the period (no writing)."""
    version, enterprise = enrolment.version, enrolment.enterprise
    region = enterprise.region_id
    coverages = list(enrolment.coverages.exclude(state=Coverage.State.ENDED)
                     .filter(starts_on__lte=period_end, ends_on__gte=period_start)
                     .select_related("person").order_by("pk"))
    if not coverages:
        raise DomainError("mutualaid.invoice_empty", _("该参保在此期间没有保障中的职工，无需缴费。"), field="enrolment")
    values = rulebook.lookup_many(["mutualaid.profit_bands", "mutualaid.wage_part"], region, period_start)
    bands, unknown = rules.profit_bands(values["mutualaid.profit_bands"].value)
    profit = EnterpriseProfit.objects.filter(enterprise=enterprise, year=period_start.year - 1).first()
    factor, reason = rules.profit_factor(profit.profit_fen if profit else None, bands, unknown)
    wage_rule = rules.WagePart.of(values["mutualaid.wage_part"].value)
    split_row = _version_rule(version, "contribution_split")
    split = rules.Split.of(split_row.params if split_row else None)
    age_row = _version_rule(version, "price_group_age")
    age_price = (int(age_row.params.get("from_age", 45)), int(age_row.amount_fen)) if age_row else None
    average = (sum(_age(c.person.birth_date, period_start) for c in coverages) / len(coverages)) if age_row else None
    price, price_text = rules.group_price(version.price_fen, average, age_price)
    pro_rata = _version_rule(version, "price_part_period")
    months = version.period_months
    if pro_rata and pro_rata.params.get("pro_rata"):
        months = max(1, min(version.period_months, rules.months_between(period_start, period_end)))
    draft = Draft(basis={
        "profit_year": period_start.year - 1, "profit_fen": profit.profit_fen if profit else None,
        "factor_permille": factor, "factor_reason": reason, "price_fen": price, "price_reason": price_text,
        "months": months, "period_months": version.period_months, "split": split.__dict__,
        "rules": [v.cite() for v in values.values()],
    })
    for coverage in coverages:
        item = rules.LineInput(coverage.shares, price, months, version.period_months, coverage.monthly_wage_fen,
                               coverage.hardship)
        result = rules.contribution_line(item, factor, reason, wage_rule, split)
        if price_text:
            result.steps.insert(0, price_text)
        draft.lines.append((coverage, result))
    return draft


# --- Issuing ---------------------------------------------------------------------------------------


def issue_invoice(actor, enrolment: Enrolment, period_start: date | None = None, period_end: date | None = None,
                  day: date | None = None) -> Invoice:
    """The notice of an enrolment for a period (default: the enrolment's period), with one line
    per covered worker, posted as receivable and union subsidy in every pool of the chain."""
    pool = enrolment.pool
    _require(actor, pool)
    day = day or _today()
    period_start, period_end = period_start or enrolment.starts_on, period_end or enrolment.ends_on
    if period_end < period_start:
        raise DomainError("mutualaid.period", _("费款所属期止不能早于起始日。"), field="period_end")
    if period_start < enrolment.starts_on or period_end > enrolment.ends_on:
        raise DomainError("mutualaid.period", _("费款所属期须在参保期内。"), field="period_start")
    draft = compute(enrolment, period_start, period_end)
    region = enrolment.enterprise.region_id
    terms = rulebook.lookup_many(["mutualaid.due_days", "mutualaid.grace_days", "mutualaid.pool_shares"], region, day)
    due_on = day + timedelta(days=int(terms["mutualaid.due_days"].value))
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        if enrolment.invoices.exclude(state=Invoice.State.CANCELLED).filter(period_start=period_start).exists():
            raise DomainError("mutualaid.invoice_exists", _("该参保此期间的缴费通知单已开具。"), field="period_start")
        invoice = _write_invoice(actor, enrolment, draft, period_start, period_end, due_on,
                                 due_on + timedelta(days=int(terms["mutualaid.grace_days"].value)))
        pools = chain(pool)
        parts = _post_issue(actor, invoice, pools, terms["mutualaid.pool_shares"].value, day)
        _apply_credit(actor, invoice, pools, parts, day)
        invoice.basis = {**draft.basis, "pools": parts, "terms": [v.cite() for v in terms.values()]}
        invoice.save(update_fields=["basis", "paid_fen", "credit_applied_fen", "state"])
        trail.record(actor, "mutualaid.issue_invoice", invoice, {
            "number": invoice.number, "enrolment": enrolment.pk, "lines": len(draft.lines),
            "total_fen": invoice.total_fen, "union_fen": invoice.union_fen, "pools": parts,
            "credit_applied_fen": invoice.credit_applied_fen})
    return invoice


def _write_invoice(actor, enrolment, draft: Draft, period_start, period_end, due_on, grace_until) -> Invoice:
    invoice = Invoice.objects.create(
        number=uuid.uuid4().hex[:32], enrolment=enrolment, enterprise=enrolment.enterprise,
        period_start=period_start, period_end=period_end, due_on=due_on, grace_until=grace_until,
        total_fen=draft.total("total_fen"), enterprise_fen=draft.total("enterprise_fen"),
        worker_fen=draft.total("worker_fen"), union_fen=draft.total("union_fen"),
        state=rules.payment_state(draft.total("total_fen") - draft.total("union_fen"), 0),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None, region_code=enrolment.region_code)
    invoice.number = f"JF{period_start:%Y}{invoice.pk:08d}"
    invoice.save(update_fields=["number"])
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, coverage=coverage, shares=coverage.shares, base_fen=r.base_fen,
                    wage_part_fen=r.wage_part_fen, total_fen=r.total_fen, enterprise_fen=r.enterprise_fen,
                    worker_fen=r.worker_fen, union_fen=r.union_fen, explanation=r.explanation,
                    rules_used=draft.basis["rules"])
        for coverage, r in draft.lines)
    return invoice


def _post_issue(actor, invoice: Invoice, pools: list[Pool], shares: dict, day: date) -> list[dict]:
    weights = rules.chain_weights([p.level for p in pools], shares)
    due = rules.allocate(rules.due_fen(invoice.total_fen, invoice.union_fen), weights)
    union = rules.allocate(invoice.union_fen, weights)
    org = invoice.enterprise_id
    parts = []
    for pool, due_part, union_part in zip(pools, due, union, strict=True):
        if due_part:
            ledgering.post(actor, pool.book, day, _("缴费通知单 %(n)s 应收") % {"n": invoice.number},
                           [debit(chart.RECEIVABLE, due_part, organization_id=org),
                            credit(chart.CONTRIBUTIONS, due_part, organization_id=org)],
                           source=invoice, key=f"invoice:{invoice.pk}:receivable:{pool.pk}", step="notice")
        if union_part:
            ledgering.post(actor, pool.book, day, _("缴费通知单 %(n)s 工会补贴") % {"n": invoice.number},
                           [debit(chart.BANK, union_part, organization_id=org),
                            credit(chart.SUBSIDIES, union_part, organization_id=org)],
                           source=invoice, key=f"invoice:{invoice.pk}:subsidy:{pool.pk}", step="notice_subsidy")
        parts.append({"pool": pool.pk, "level": pool.level, "weight": weights[len(parts)],
                      "due_fen": due_part, "union_fen": union_part})
    return parts


def _apply_credit(actor, invoice: Invoice, pools: list[Pool], parts: list[dict], day: date) -> None:
    """The enterprise's credit in the chain's books applied to the new notice (上期结余抵扣):
    each pool its own credit, up to its part (rules.apply_credit), Dr 2203 / Cr 1122."""
    org = invoice.enterprise_id
    ledgering.lock_credit([p.book for p in pools])
    held = [ledgering.enterprise_credit_fen(p.book, org) for p in pools]
    applied = rules.apply_credit(held, [part["due_fen"] for part in parts])
    for pool, part, fen in zip(pools, parts, applied, strict=True):
        part["credit_fen"] = fen
        if fen:
            ledgering.post(actor, pool.book, day, _("缴费通知单 %(n)s 上期结余抵扣") % {"n": invoice.number},
                           [debit(chart.PREPAID, fen, organization_id=org),
                            credit(chart.RECEIVABLE, fen, organization_id=org)],
                           source=invoice, key=f"invoice:{invoice.pk}:credit:{pool.pk}", step="contribution_credit")
    invoice.credit_applied_fen = sum(applied)
    invoice.paid_fen = invoice.credit_applied_fen
    invoice.state = rules.payment_state(rules.due_fen(invoice.total_fen, invoice.union_fen), invoice.paid_fen)


# --- Payments --------------------------------------------------------------------------------------


def owed_fen(invoice: Invoice) -> int:
    return rules.due_fen(invoice.total_fen, invoice.union_fen) - invoice.paid_fen


def record_payment(actor, invoice: Invoice, amount_fen: int, paid_on: date, bank_reference: str = "",
                   payer: str = "", source: str = ContributionPayment.Source.MANUAL) -> ContributionPayment:
    """Money received against a notice: partial payments are allowed; what is paid above what the
    notice owes (or on a notice already paid) is kept as the enterprise's credit and applied to
    its next notice. A notice paid in full lifts the suspension its arrears caused."""
    _require(actor, invoice.enrolment.pool)
    bank_reference = (bank_reference or "").strip()[:64]
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise DomainError("mutualaid.amount", _("金额必须大于零。"), field="amount")
    if paid_on > _today():
        raise DomainError("mutualaid.future", _("到账日期不能晚于今天。"), field="paid_on")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("enrolment__pool").get(pk=invoice.pk)
        if invoice.state not in PAYABLE_STATES:
            raise DomainError("mutualaid.invoice_closed", _("该通知单%(state)s，不能再登记缴费。")
                              % {"state": invoice.get_state_display()}, field="amount")
        if bank_reference and ContributionPayment.objects.filter(bank_reference=bank_reference).exists():
            raise DomainError("mutualaid.payment_twice", _("银行流水号%(ref)s已登记过。") % {"ref": bank_reference},
                              field="bank_reference")
        split = _split(invoice, amount_fen)
        payment = ContributionPayment.objects.create(
            invoice=invoice, amount_fen=amount_fen, credit_fen=split.credit_fen, paid_on=paid_on,
            bank_reference=bank_reference, payer=(payer or "")[:100], source=source, recorded_by=actor,
            region_code=invoice.region_code)
        _post_payment(actor, invoice, payment, split)
        invoice.paid_fen += split.applied_fen
        invoice.state = rules.payment_state(rules.due_fen(invoice.total_fen, invoice.union_fen), invoice.paid_fen)
        invoice.save(update_fields=["paid_fen", "state"])
        restored = _restore(actor, invoice) if invoice.state == Invoice.State.PAID else 0
        trail.record(actor, "mutualaid.record_payment", payment, {
            "invoice": invoice.number, "amount_fen": amount_fen, "paid_on": paid_on.isoformat(),
            "bank_reference": bank_reference, "source": source, "state": invoice.state, "restored": restored,
            "credit_fen": split.credit_fen})
    return payment


def _split(invoice: Invoice, amount_fen: int) -> rules.PaymentSplit:
    parts = invoice.basis.get("pools") or []
    remaining = [p["due_fen"] - p.get("credit_fen", 0) for p in parts]
    return rules.split_payment(amount_fen, invoice.paid_fen - invoice.credit_applied_fen, remaining,
                               [p["weight"] for p in parts])


def _post_payment(actor, invoice: Invoice, payment: ContributionPayment, split: rules.PaymentSplit) -> None:
    parts = invoice.basis.get("pools") or []
    pools = {p.pk: p for p in chain(invoice.enrolment.pool)}
    org = invoice.enterprise_id
    for part, to_notice, to_credit in zip(parts, split.to_notice, split.to_credit, strict=True):
        if not to_notice and not to_credit:
            continue
        legs = [debit(chart.BANK, to_notice + to_credit, organization_id=org)]
        if to_notice:
            legs.append(credit(chart.RECEIVABLE, to_notice, organization_id=org))
        if to_credit:
            legs.append(credit(chart.PREPAID, to_credit, organization_id=org))
        memo = _("收到缴费通知单 %(n)s 缴费，多缴部分转为企业结余") if to_credit else _("收到缴费通知单 %(n)s 缴费")
        ledgering.post(actor, pools[part["pool"]].book, payment.paid_on, memo % {"n": invoice.number}, legs,
                       source=payment, key=f"payment:{payment.pk}:{part['pool']}", step="contribution_payment")


# --- Bank statements -------------------------------------------------------------------------------


@dataclass
class StatementResult:
    statement: statements.Statement
    payments: list[ContributionPayment] = field(default_factory=list)


def import_statement(actor, data: bytes, name: str = "") -> StatementResult:
    """Match a bank statement's rows to notices by the number in the remark. Nothing is
    written unless every row is clean; rows already recorded are skipped, so importing the same
    statement twice records each payment once."""
    from zhigong.mutualaid import queries_contributions

    open_invoices = queries_contributions.collectable(actor).filter(state__in=PAYABLE_STATES)
    due = {number: total - union - paid for number, total, union, paid in
           open_invoices.values_list("number", "total_fen", "union_fen", "paid_fen")}
    recorded = set(ContributionPayment.objects.exclude(bank_reference="").values_list("bank_reference", flat=True))
    statement = statements.parse_statement(data, due, recorded, _today())
    result = StatementResult(statement)
    if not statement.clean:
        return result
    with transaction.atomic():
        by_number = {i.number: i for i in open_invoices.filter(number__in={r.invoice_number for r in statement.rows})}
        for row in statement.rows:
            result.payments.append(record_payment(
                actor, by_number[row.invoice_number], row.amount_fen, row.day, row.reference, row.payer,
                ContributionPayment.Source.STATEMENT))
        trail.record(actor, "mutualaid.import_statement", ("mutualaid.statement", name[:64] or "-"), {
            "rows": len(statement.rows), "skipped": len(statement.skipped),
            "payments": [p.pk for p in result.payments]})
    return result


# --- Arrears ---------------------------------------------------------------------------------------


def suspend_overdue(actor, today: date | None = None) -> int:
    """Suspend the coverage of every enrolment with a notice not paid in full by the end of its
    grace period. Run daily (zhigong mutualaid_arrears); idempotent: a notice suspends once."""
    today = today or _today()
    count = 0
    overdue = Invoice.objects.filter(state__in=OPEN_STATES, suspended=False, grace_until__lt=today)
    for invoice_id in overdue.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
            if invoice.suspended or not rules.should_suspend(invoice.state, invoice.grace_until, today):
                continue
            invoice.suspended = True
            invoice.save(update_fields=["suspended"])
            Enrolment.objects.filter(pk=invoice.enrolment_id, state=Enrolment.State.ACTIVE).update(
                state=Enrolment.State.SUSPENDED)
            suspended = Coverage.objects.filter(enrolment_id=invoice.enrolment_id, state=Coverage.State.ACTIVE).update(
                state=Coverage.State.SUSPENDED)
            trail.record(actor, "mutualaid.suspend_for_arrears", invoice, {
                "number": invoice.number, "owed_fen": owed_fen(invoice), "grace_until": invoice.grace_until.isoformat(),
                "coverages": suspended, "day": today.isoformat()})
            count += 1
    return count


def _restore(actor, invoice: Invoice) -> int:
    """Lift the suspension of a notice now paid; the enrolment resumes when no other notice of
    it is still suspending it."""
    if not invoice.suspended:
        return 0
    invoice.suspended = False
    invoice.save(update_fields=["suspended"])
    if Invoice.objects.filter(enrolment_id=invoice.enrolment_id, suspended=True).exists():
        return 0
    Enrolment.objects.filter(pk=invoice.enrolment_id, state=Enrolment.State.SUSPENDED).update(
        state=Enrolment.State.ACTIVE)
    restored = Coverage.objects.filter(enrolment_id=invoice.enrolment_id, state=Coverage.State.SUSPENDED).update(
        state=Coverage.State.ACTIVE)
    trail.record(actor, "mutualaid.restore_coverage", invoice, {"number": invoice.number, "coverages": restored})
    return restored
