"""Electronic payment of approved claims: payment batches per pool, the bank file, the bank's
return file. Every change: policy check (the treasurer's "fund_pay" over the pool's federation)
→ rules_payments → one transaction → trail event, with the ledger posting and the worker's
notification in the same transaction.

Never paid twice: a claim enters a batch only from "approved" or "payment_failed" under a row
lock, the database allows one live payout per claim (Payout constraint), exporting a file again
changes nothing but the export count, and a return row for a payout the bank already answered
is skipped (same answer) or refused (a different one).

Ledger (zhigong.ledger, the pool's book): approving a claim has already posted Dr 6401 互助金支出
/ Cr 2241 应付互助金 (claims actions); a paid payout posts Dr 2241 / Cr 1002 银行存款; a failed
one posts nothing, the claim stays payable and returns to the queue.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import bankfiles, crypto, policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.money import format_fen
from zhigong.core.notifications import notify, users_of_people
from zhigong.mutualaid import ledgering
from zhigong.mutualaid import rules_payments as rules
from zhigong.mutualaid.ledgering import chart, credit, debit
from zhigong.mutualaid.models import Claim, PaymentBatch, Payout, Pool

# The purpose the claims part encrypts bank accounts under (core.crypto binds a cipher to it).
ACCOUNT_PURPOSE = b"bank_account"  # = actions_claims.ACCOUNT_CONTEXT
FORMATS = {"xlsx": (bankfiles.payment_xlsx, bankfiles.XLSX_TYPE), "csv": (bankfiles.payment_csv, bankfiles.CSV_TYPE)}


def may_pay(actor, pool: Pool) -> bool:
    return policy.may_organization(actor, "fund_pay", pool.federation)


def _require(actor, pool: Pool, verb: str) -> None:
    if not may_pay(actor, pool):
        raise PermissionDenied(verb)


def _notify(claim: Claim, title: str, body: str) -> None:
    """To the worker, linking to their claim's page (its payments are shown there)."""
    notify(users_of_people([claim.person_id]), title, body, reverse("mutualaid-claims-detail", args=[claim.pk]))


# --- Batches -------------------------------------------------------------------------------------

def create_batch(actor, pool: Pool, claim_ids: list[int] | None = None,
                 expected_total_fen: int | None = None) -> PaymentBatch:
    """Gather approved claims of the pool (all of them, or those of `claim_ids`) into a new
    batch. `expected_total_fen` is what the treasurer confirmed on the page: when the claims
    changed meanwhile the batch is refused instead of paying something not confirmed."""
    _require(actor, pool, "create_batch")
    with transaction.atomic():
        # The pool row serialises batch creation per pool; the claim rows are locked in
        # primary-key order and their state read again under the lock.
        Pool.objects.select_for_update().get(pk=pool.pk)
        claims = _lock_payable(pool, claim_ids)
        if not claims:
            raise DomainError("payments.nothing_to_pay", _("没有可列入支付批次的已核准申请。"), field="claims")
        total = sum(c.approved_fen for c in claims)
        if expected_total_fen is not None and total != expected_total_fen:
            raise DomainError("payments.changed", _("待支付申请已有变化（合计%(now)s，确认时为%(then)s），请重新核对。")
                              % {"now": format_fen(total), "then": format_fen(expected_total_fen)}, field="claims")
        batch = PaymentBatch.objects.create(number=_batch_number(pool), pool=pool, created_by=actor,
                                            total_fen=total, count=len(claims), region_code=pool.region_code)
        try:
            with transaction.atomic():
                Payout.objects.bulk_create([
                    Payout(batch=batch, claim=c, reference=f"{batch.number}-{i:04d}", amount_fen=c.approved_fen,
                           region_code=c.region_code) for i, c in enumerate(claims, 1)])
        except IntegrityError:
            raise DomainError("payments.already_in_batch", _("有申请已在其他支付批次中，请刷新后重试。"),
                              field="claims") from None
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(state=Claim.State.IN_BATCH)
        for claim in claims:
            _notify(claim, _("互助金已列入支付批次"),
                    _("您的申请%(number)s核准金额%(amount)s已列入支付批次，银行处理后会再通知您。")
                    % {"number": claim.number, "amount": format_fen(claim.approved_fen)})
        trail.record(actor, "mutualaid.batch.create", batch, {
            "pool": pool.pk, "count": len(claims), "total_fen": total, "claims": [c.pk for c in claims]})
    return batch


def _lock_payable(pool: Pool, claim_ids: list[int] | None) -> list[Claim]:
    qs = Claim.objects.filter(pool=pool, state__in=rules.PAYABLE_CLAIM_STATES, approved_fen__gt=0)
    if claim_ids is not None:
        qs = qs.filter(pk__in=list(claim_ids))
    claims = list(qs.select_for_update().order_by("pk"))
    live = set(Payout.objects.filter(claim__in=claims, state__in=rules.LIVE_PAYOUT_STATES)
               .values_list("claim_id", flat=True))
    return [c for c in claims if rules.payable(c.state, c.pk in live)]


def _batch_number(pool: Pool) -> str:
    return f"ZF{timezone.localdate():%Y%m%d}{pool.pk:04d}{secrets.token_hex(3).upper()}"


# --- The bank file -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BankFile:
    name: str
    content_type: str
    data: bytes


def export_batch(actor, batch: PaymentBatch, fmt: str = "xlsx") -> BankFile:
    """The bank batch-payment file of the payouts not yet answered by the bank. Repeatable:
    every export lists the same references and amounts (a bank pays a reference once) and
    changes only the export count and time; each export is a trail event with the file's
    digest. Bank accounts are decrypted here and nowhere else."""
    _require(actor, batch.pool, "export_batch")
    if fmt not in FORMATS:
        raise DomainError("payments.format", _("只能导出xlsx或CSV格式。"), field="format")
    write, content_type = FORMATS[fmt]
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        payouts = list(locked.payouts.filter(state__in=[rules.PENDING, rules.EXPORTED])
                       .select_related("claim").order_by("pk"))
        if not payouts:
            raise DomainError("payments.nothing_to_export", _("该批次的付款银行均已回盘，无需再导出。"), field="format")
        data = write([_line(p) for p in payouts])
        first = locked.export_count == 0
        locked.export_count += 1
        locked.exported_at = timezone.now()
        if locked.state == PaymentBatch.State.OPEN:
            locked.state = PaymentBatch.State.EXPORTED
        locked.save(update_fields=["export_count", "exported_at", "state"])
        Payout.objects.filter(pk__in=[p.pk for p in payouts], state=rules.PENDING).update(state=rules.EXPORTED)
        if first:
            for payout in payouts:
                _notify(payout.claim, _("互助金已提交银行"),
                        _("您的申请%(number)s的互助金%(amount)s已提交银行支付。")
                        % {"number": payout.claim.number, "amount": format_fen(payout.amount_fen)})
        trail.record(actor, "mutualaid.batch.export", locked, {
            "format": fmt, "export": locked.export_count, "count": len(payouts),
            "total_fen": sum(p.amount_fen for p in payouts), "sha256": hashlib.sha256(data).hexdigest()})
    batch.refresh_from_db()
    return BankFile(f"{batch.number}.{fmt}", content_type, data)


def _line(payout: Payout) -> bankfiles.PaymentLine:
    claim = payout.claim
    account = crypto.decrypt(claim.account_cipher, ACCOUNT_PURPOSE)
    return bankfiles.PaymentLine(payout.reference, claim.account_holder, account, claim.bank_name,
                                 payout.amount_fen, _("职工互助金 %(number)s") % {"number": claim.number})


# --- The bank's return file ----------------------------------------------------------------------

@dataclass
class ReturnReport:
    batch: PaymentBatch
    paid: int = 0
    failed: int = 0
    skipped: int = 0
    paid_fen: int = 0
    failed_rows: list[dict] = field(default_factory=list)


def import_return(actor, batch: PaymentBatch, data: bytes, name: str = "") -> ReturnReport:
    """Apply the bank's return file: each row marks its payout paid (ledger Dr 2241 / Cr 1002,
    claim paid) or failed (claim back in the queue with the bank's reason). All rows or none:
    any problem (wrong columns, unknown references, bad amounts, an answer that contradicts an
    earlier one) raises payments.return_rows with every problem in details["errors"]."""
    _require(actor, batch.pool, "import_return")
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        payouts = {p.reference: p for p in locked.payouts.select_for_update().order_by("pk")}
        expected = {ref: p.amount_fen for ref, p in payouts.items()}
        parsed = bankfiles.parse_return(data, expected)
        if not parsed.clean:
            raise _row_errors([{"row": e.row, "column": e.column, "message": e.message} for e in parsed.errors])
        facts = {ref: rules.PayoutFact(ref, p.state, p.amount_fen) for ref, p in payouts.items()}
        outcomes = rules.reconcile([rules.ReturnLine(r.row, r.reference, r.paid) for r in parsed.rows], facts)
        problems = rules.errors(outcomes)
        if problems:
            raise _row_errors([_outcome_error(o, payouts[o.reference]) for o in problems])
        report = ReturnReport(locked)
        rows = {r.reference: r for r in parsed.rows}
        claims = {c.pk: c for c in Claim.objects.select_for_update().filter(
            pk__in=[p.claim_id for p in payouts.values()]).order_by("pk")}
        for o in outcomes:
            payout, row = payouts[o.reference], rows[o.reference]
            payout.claim = claims[payout.claim_id]
            if o.verb == "skip":
                report.skipped += 1
            elif o.verb == rules.PAID:
                _paid(actor, locked, payout, row.day)
                report.paid += 1
                report.paid_fen += payout.amount_fen
            else:
                _failed(payout, row.reason)
                report.failed += 1
                report.failed_rows.append({"reference": payout.reference, "claim": payout.claim.number,
                                           "reason": row.reason})
        if rules.settled(p.state for p in payouts.values()) and locked.state != PaymentBatch.State.SETTLED:
            locked.state = PaymentBatch.State.SETTLED
            locked.settled_at = timezone.now()
            locked.save(update_fields=["state", "settled_at"])
        trail.record(actor, "mutualaid.batch.return", locked, {
            "file": name[:100], "sha256": hashlib.sha256(data).hexdigest(), "paid": report.paid,
            "failed": report.failed, "skipped": report.skipped, "paid_fen": report.paid_fen})
    batch.refresh_from_db()
    return report


def _row_errors(errors: list[dict]) -> DomainError:
    return DomainError("payments.return_rows", _("回盘文件有%(n)d处问题，未导入任何记录。请修改后重新上传。")
                       % {"n": len(errors)}, field="file", errors=errors)


def _outcome_error(o: rules.Outcome, payout: Payout) -> dict:
    if o.verb == "not_exported":
        message = _("付款%(ref)s尚未导出给银行。") % {"ref": o.reference}
    else:
        message = _("付款%(ref)s已回盘为“%(state)s”，与本次结果不同；如银行更正结果，请联系管理员处理。") % {
            "ref": o.reference, "state": Payout.State(payout.state).label}
    return {"row": o.row, "column": "状态", "message": message}


def _paid(actor, batch: PaymentBatch, payout: Payout, day: date) -> None:
    claim = payout.claim
    entry = ledgering.post(actor, batch.pool.book, day, _("支付互助金 %(number)s") % {"number": claim.number}, [
        debit(chart.CLAIMS_PAYABLE, payout.amount_fen, organization_id=claim.enterprise_id, person_id=claim.person_id),
        credit(chart.BANK, payout.amount_fen, organization_id=claim.enterprise_id, person_id=claim.person_id),
    ], source=payout, key=f"mutualaid-payout-{payout.pk}-paid", step="payout_paid")
    now = timezone.now()
    payout.state, payout.settled_at, payout.bank_day, payout.entry = rules.PAID, now, day, entry
    payout.save(update_fields=["state", "settled_at", "bank_day", "entry"])
    claim.state, claim.paid_at = Claim.State.PAID, now
    claim.save(update_fields=["state", "paid_at"])
    _notify(claim, _("互助金已支付"),
            _("您的申请%(number)s的互助金%(amount)s已于%(day)s支付到您的银行账户%(account)s。")
            % {"number": claim.number, "amount": format_fen(payout.amount_fen), "day": day.isoformat(),
               "account": claim.account_masked})


def _failed(payout: Payout, reason: str) -> None:
    claim = payout.claim
    payout.state, payout.settled_at, payout.bank_reason = rules.FAILED, timezone.now(), reason
    payout.save(update_fields=["state", "settled_at", "bank_reason"])
    claim.state = Claim.State.PAYMENT_FAILED
    claim.save(update_fields=["state"])
    _notify(claim, _("互助金支付失败"),
            _("您的申请%(number)s的互助金银行支付失败，原因：%(reason)s。请核对银行账户信息，工会将重新安排支付。")
            % {"number": claim.number, "reason": reason})


# --- After a failed payment ----------------------------------------------------------------------

def may_correct_account(actor, claim: Claim) -> bool:
    """The worker, or their enterprise union, may correct the account of a claim the bank
    returned as failed (the bank's reason is often a wrong account or holder's name)."""
    from zhigong.mutualaid import queries_claims

    return claim.state == Claim.State.PAYMENT_FAILED and (
        queries_claims.is_own(actor, claim) or queries_claims.may_act_for_enterprise(actor, claim))


def correct_account(actor, claim: Claim, bank_name: str, account_holder: str, account_number: str) -> Claim:
    """New bank details for a claim whose payment failed; the next batch pays to them. The
    account is encrypted like at submission; the trail keeps the masked account only."""
    from zhigong.mutualaid import actions_claims as claims

    if not may_correct_account(actor, claim):
        if claim.state != Claim.State.PAYMENT_FAILED:
            raise DomainError("payments.account_not_failed", _("只有银行支付失败的申请可以更正收款账户。"),
                              field="account_number")
        raise PermissionDenied("payment_account")
    bank_name = claims._text(bank_name, "bank_name", 100)
    account_holder = claims._text(account_holder, "account_holder", 50)
    number = claims.account_number(account_number)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.state != Claim.State.PAYMENT_FAILED:
            raise DomainError("payments.account_not_failed", _("只有银行支付失败的申请可以更正收款账户。"),
                              field="account_number")
        locked.bank_name, locked.account_holder = bank_name, account_holder
        locked.account_cipher = crypto.encrypt(number, claims.ACCOUNT_CONTEXT)
        locked.account_index = crypto.blind_index(number, claims.ACCOUNT_INDEX)
        locked.account_masked = claims.mask_account(number)
        locked.save(update_fields=["bank_name", "account_holder", "account_cipher", "account_index",
                                   "account_masked"])
        trail.record(actor, "mutualaid.payment_account", locked, {
            "bank_name": bank_name, "account_masked": locked.account_masked})
        _notify(locked, _("收款账户已更正"),
                _("您的申请%(number)s的收款账户已更正为%(bank)s %(account)s，将在下一批次支付。")
                % {"number": locked.number, "bank": bank_name, "account": locked.account_masked})
    claim.refresh_from_db()
    return claim
