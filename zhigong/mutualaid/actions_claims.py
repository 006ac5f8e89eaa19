"""Every change to claims: submission (the worker on a phone, or the enterprise union on their
behalf), documents, first and second review, rejection, the one appeal, and re-adjudication.
Policy check → rules_claims → one transaction → trail event; the worker is notified at each step.

Approval is the money step. It runs under row locks on the claim's coverage and the coverages a
move joins to it (one person, one plan, one period: the yearly cap's unit), so two officers
approving claims of the same worker at the same moment are serialised and the second sees the
first's amount; then
M1's reserve_for_claim locks the pool chain and posts Dr 6401 / Cr 2241 in the pool's book,
refusing when the pool would go below zero without a recorded transfer from above.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhigong import trail
from zhigong.core import crypto, rulebook
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.files import check_document
from zhigong.core.money import format_fen
from zhigong.core.notifications import notify, users_of_people
from zhigong.mutualaid import facts_claims, queries_claims
from zhigong.mutualaid import rules_claims as rules
from zhigong.mutualaid.models import Claim, ClaimDocument, ClaimReview, Coverage

State = Claim.State
ACCOUNT_CONTEXT = b"bank_account"  # the context M4 decrypts with (actions_payments.ACCOUNT_PURPOSE)
ACCOUNT_INDEX = b"bank_account"
MAX_DOCUMENTS = 10
# Rule rows (zhigong.core RuleRow) of the review flow, seeded by migration 0006_seed_claim_rules.
SECOND_REVIEW_KEY = "mutualaid.claim_second_review_fen"
REVIEW_DAYS_KEY = "mutualaid.claim_review_days"
APPEAL_DAYS_KEY = "mutualaid.claim_appeal_days"

TRANSITION_MESSAGE = gettext_lazy("申请当前状态为“%(state)s”，不能进行此操作。")
APPEAL_MESSAGES = {
    "claim.appeal_state": gettext_lazy("只有未通过的申请可以申诉。"),
    "claim.appeal_once": gettext_lazy("每件申请只能申诉一次。"),
    "claim.appeal_late": gettext_lazy("已超过申诉期限（决定后%(days)d天内）。"),
}


@dataclass
class ClaimInput:
    """What a submission form or API body carries; amounts in fen."""

    coverage_id: int
    event_on: date | None = None
    admitted_on: date | None = None
    discharged_on: date | None = None
    hospital_grade: str = ""
    diagnosis: str = ""
    disease_key: str = ""
    is_accident: bool = False
    family_member: bool = False
    lines: list[dict] = field(default_factory=list)  # {"invoice_no", "total_fen", "self_paid_fen"}
    bank_name: str = ""
    account_holder: str = ""
    account_number: str = ""


def _today() -> date:
    return timezone.localdate()


def _text(value: str, name: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", _("此项必填。"), field=name)
    if len(value) > limit:
        raise DomainError("too_long", _("不能超过%(n)d个字。") % {"n": limit}, field=name)
    return value


def _rule(key: str, region_code: str):
    return rulebook.lookup(key, region_code, _today())


def _review_days(region_code: str, stage: str) -> int:
    return int(_rule(REVIEW_DAYS_KEY, region_code).value[stage])


def _notify(claim: Claim, title: str, body: str) -> None:
    notify(users_of_people([claim.person_id]), title, body, link=f"/mutualaid/claims/{claim.pk}/")


def _amount(fen: int | None) -> str:
    return format_fen(fen or 0)


# --- Submission ------------------------------------------------------------------------------------

def _event(data: ClaimInput) -> rules.ClaimEvent:
    event_on = data.admitted_on or data.event_on
    if event_on is None:
        raise DomainError("required", _("请填写入院日期或出险（确诊）日期。"), field="event_on")
    lines = tuple(rules.CostLine(_text(str(line.get("invoice_no", "")), "invoice_no", 40, required=False),
                                 int(line.get("total_fen") or 0), int(line.get("self_paid_fen") or 0))
                  for line in data.lines)
    return rules.ClaimEvent(event_on, data.admitted_on, data.discharged_on, data.hospital_grade,
                            data.disease_key.strip(), data.is_accident, data.family_member, lines)


def check_input(data: ClaimInput) -> rules.ClaimEvent:
    """Every check of the input that needs no database; raises on the first problem with its field."""
    event = _event(data)
    for name, code, message in rules.validate_event(event):
        raise DomainError(code, _(message), field=name)
    if event.discharged_on and not event.admitted_on:
        raise DomainError("required", _("填写出院日期时须填写入院日期。"), field="admitted_on")
    if data.hospital_grade not in ("", *Claim.HospitalGrade.values):
        raise DomainError("claim.hospital_grade", _("医院等级不正确。"), field="hospital_grade")
    if event.event_on > _today() or (event.discharged_on and event.discharged_on > _today()):
        raise DomainError("claim.future_date", _("日期不能晚于今天。"), field="discharged_on"
                          if event.discharged_on and event.discharged_on > _today() else "event_on")
    numbers = [line.invoice_no for line in event.lines if line.invoice_no]
    if len(numbers) != len(set(numbers)):
        raise DomainError("claim.invoice_twice", _("同一张发票不能填写两次。"), field="invoice_no")
    _text(data.diagnosis, "diagnosis", 200, required=False)
    _text(data.bank_name, "bank_name", 100)
    _text(data.account_holder, "account_holder", 50)
    account_number(data.account_number)
    return event


def account_number(raw: str) -> str:
    number = re.sub(r"[\s-]", "", raw or "")
    if not number:
        raise DomainError("required", _("此项必填。"), field="account_number")
    if not re.fullmatch(r"\d{12,30}", number):
        raise DomainError("claim.account_number", _("银行账号应为12至30位数字。"), field="account_number")
    return number


def mask_account(number: str) -> str:
    return f"{number[:4]} **** **** {number[-4:]}"


def _number() -> str:
    while True:
        number = f"HZ{_today():%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not Claim.objects.filter(number=number).exists():
            return number


def _channel(actor, cover: Coverage) -> str:
    if cover.person_id == getattr(actor, "person_id", None):
        return Claim.Channel.WORKER
    return Claim.Channel.UNION


def submit_claim(actor, data: ClaimInput, documents=()) -> Claim:
    """A claim by the worker, or by the enterprise union on their behalf. Nothing is written
    when any field or document is wrong."""
    cover = queries_claims.access_coverage_for_claim(actor, data.coverage_id)
    event = check_input(data)
    checked = _check_documents(documents)
    number = account_number(data.account_number)
    lines = sorted(event.lines, key=lambda line: (line.invoice_no, line.total_fen, line.self_paid_fen))
    with transaction.atomic():
        claim = Claim.objects.create(
            number=_number(), person_id=cover.person_id, coverage=cover, version_id=cover.version_id,
            enterprise_id=cover.enterprise_id, pool_id=cover.enrolment.pool_id, submitted_by=actor,
            channel=_channel(actor, cover), event_on=event.event_on, admitted_on=event.admitted_on,
            discharged_on=event.discharged_on, hospital_grade=event.hospital_grade,
            diagnosis=_text(data.diagnosis, "diagnosis", 200, required=False), disease_key=event.disease_key,
            is_accident=event.is_accident, family_member=event.family_member,
            total_cost_fen=sum(line.total_fen for line in lines),
            self_paid_fen=sum(line.self_paid_fen for line in lines),
            invoice_no=",".join(sorted(line.invoice_no for line in lines if line.invoice_no))[:255],
            cost_lines=[{"invoice_no": line.invoice_no, "total_fen": line.total_fen,
                         "self_paid_fen": line.self_paid_fen} for line in lines],
            bank_name=_text(data.bank_name, "bank_name", 100), account_holder=_text(data.account_holder,
                                                                                    "account_holder", 50),
            account_cipher=crypto.encrypt(number, ACCOUNT_CONTEXT),
            account_index=crypto.blind_index(number, ACCOUNT_INDEX), account_masked=mask_account(number),
            due_at=queries_claims.end_of_day(rules.due_on(_today(), _review_days(cover.region_code, "first"))),
            region_code=cover.region_code)
        for kind, upload, check in checked:
            _save_document(claim, kind, upload, check)
        _adjudicate_into(claim)
        claim.flags = queries_claims.possible_duplicates(claim) + ([] if checked else [{"code": "no_documents"}])
        claim.save(update_fields=["flags"])
        trail.record(actor, "claim.submit", claim, {
            "number": claim.number, "channel": claim.channel, "coverage": cover.pk,
            "computed_fen": claim.computed_fen, "documents": [c.sha256 for _k, _u, c in checked],
            "flags": claim.flags})
        body = _("您的申请%(number)s已提交，按计划规则预计可给付%(amount)s，请等待审核。")
        _notify(claim, _("互助金申请已受理"), body % {"number": claim.number, "amount": _amount(claim.computed_fen)})
    return claim


def _check_documents(documents) -> list:
    documents = list(documents)
    if len(documents) > MAX_DOCUMENTS:
        raise DomainError("claim.too_many_documents", _("最多上传%(n)d个文件。") % {"n": MAX_DOCUMENTS},
                          field="documents")
    checked = []
    for kind, upload in documents:
        if kind not in ClaimDocument.Kind.values:
            raise DomainError("claim.document_kind", _("材料类别不正确。"), field="documents")
        checked.append((kind, upload, check_document(upload, field="documents")))
    return checked


def _save_document(claim: Claim, kind: str, upload, check) -> ClaimDocument:
    name = (getattr(upload, "name", "") or "file")[-200:]
    document = ClaimDocument(claim=claim, kind=kind, name=name, content_type=check.content_type, size=check.size)
    document.file.save(name, upload, save=False)
    document.save()
    return document


def add_document(actor, claim: Claim, kind: str, upload) -> ClaimDocument:
    """More papers while the claim waits for a review (the worker or their union)."""
    if not (queries_claims.is_own(actor, claim) or queries_claims.may_act_for_enterprise(actor, claim)):
        raise PermissionDenied("claim_document")
    if rules.review_stage(claim.state) == "":
        raise DomainError("claim.closed", TRANSITION_MESSAGE % {"state": State(claim.state).label}, field="documents")
    [(kind, upload, check)] = _check_documents([(kind, upload)])
    with transaction.atomic():
        document = _save_document(claim, kind, upload, check)
        flags = [f for f in claim.flags if f.get("code") != "no_documents"]
        Claim.objects.filter(pk=claim.pk).update(flags=flags)
        trail.record(actor, "claim.document", claim, {"kind": kind, "sha256": check.sha256})
    claim.refresh_from_db()
    return document


# --- Adjudication (the preview every reviewer sees) ---------------------------------------------------

def _adjudicate_into(claim: Claim) -> rules.Adjudication:
    result = facts_claims.adjudicate(facts_claims.load(claim.pk))
    claim.computed_fen = result.amount_fen
    claim.explanation = result.explanation()
    claim.save(update_fields=["computed_fen", "explanation"])
    return result


def adjudicate_claim(actor, claim: Claim) -> Claim:
    """Compute the claim again by the plan's rules and what this coverage has paid so far (the
    single-claim path; batch.adjudicate_claims does the same for many)."""
    if not (may_decide(actor, claim) or queries_claims.may_post(actor, claim)):
        raise PermissionDenied("claim_review")
    with transaction.atomic():
        result = _adjudicate_into(claim)
        trail.record(actor, "claim.adjudicate", claim, {"computed_fen": result.amount_fen,
                                                        "rules": [list(r) for r in result.rules_used]})
    return claim


# --- Reviews ---------------------------------------------------------------------------------------

def _stage_of(claim: Claim) -> str:
    stage = rules.review_stage(claim.state)
    if not stage:
        raise DomainError("claim.illegal_transition", TRANSITION_MESSAGE % {"state": State(claim.state).label},
                          field="state")
    return stage


def _locked(claim: Claim, verb: str) -> tuple[Claim, str]:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    try:
        return locked, rules.next_state(locked.state, verb)
    except rules.TransitionError:
        raise DomainError("claim.illegal_transition", TRANSITION_MESSAGE % {"state": State(locked.state).label},
                          field="state") from None


def _threshold(claim: Claim) -> int:
    return int(_rule(SECOND_REVIEW_KEY, claim.region_code).value)


def approver_needed(claim: Claim) -> bool:
    """Above the threshold rule row, a fund approver decides the second review."""
    return rules.needs_second_review(claim.computed_fen or 0, _threshold(claim))


def may_decide(actor, claim: Claim) -> bool:
    """Whether the actor may approve or reject the claim in its present state."""
    stage = rules.review_stage(claim.state)
    return bool(stage) and queries_claims.may_review(actor, claim, stage, stage == "second" and approver_needed(claim))


def approve_claim(actor, claim: Claim) -> Claim:
    """The reviewer of the claim's stage approves it. A first approval goes on to a second
    review when the amount is above the threshold, or when the first reviewer is the enterprise
    union (the amount is fixed and posted by a fund officer of the county); otherwise the amount
    is fixed and posted as payable."""
    stage = _stage_of(claim)
    if not may_decide(actor, claim):
        raise PermissionDenied("claim_review")
    if stage == "first":
        threshold = _threshold(claim)
        preview = facts_claims.adjudicate(facts_claims.load(claim.pk))
        above = preview.payable and rules.needs_second_review(preview.amount_fen, threshold)
        if preview.payable and (above or not queries_claims.may_post(actor, claim)):
            return _first_approve(actor, claim, preview, threshold)
    return _final_approve(actor, claim, stage)


def _first_approve(actor, claim: Claim, preview: rules.Adjudication, threshold: int) -> Claim:
    with transaction.atomic():
        locked, target = _locked(claim, "first_approve")
        locked.state, locked.computed_fen, locked.explanation = target, preview.amount_fen, preview.explanation()
        locked.due_at = queries_claims.end_of_day(
            rules.due_on(_today(), _review_days(locked.region_code, "second")))
        locked.save(update_fields=["state", "computed_fen", "explanation", "due_at"])
        ClaimReview.objects.create(claim=locked, stage="first", decision="approve", reviewer=actor,
                                   amount_fen=preview.amount_fen)
        trail.record(actor, "claim.first_approve", locked, {"amount_fen": preview.amount_fen,
                                                            "threshold_fen": threshold})
        body = _("您的申请%(number)s初审通过，核定金额%(amount)s，已转县级互助金复审。")
        _notify(locked, _("互助金申请初审通过"), body % {"number": locked.number,
                                                  "amount": _amount(preview.amount_fen)})
    claim.refresh_from_db()
    return claim


def _final_approve(actor, claim: Claim, stage: str) -> Claim:
    from zhigong.mutualaid.actions_pools import reserve_for_claim

    with transaction.atomic():
        # The yearly cap's lock: the coverage rows of one person, plan and period (a move to
        # another enterprise continues the period), in key order, before the claim and the pools
        # (always in this order, so concurrent approvals cannot deadlock).
        chain = facts_claims.move_chains({claim.coverage_id})[claim.coverage_id]
        list(Coverage.objects.select_for_update().filter(pk__in=chain).order_by("pk"))
        locked, target = _locked(claim, "approve")
        facts = facts_claims.load(locked.pk)
        result = facts_claims.adjudicate(facts)
        if not result.payable:
            raise DomainError("claim.nothing_payable", _("按计划规则本次无可给付金额，请作不通过处理并说明理由。"),
                              field="state", refusal=result.refusal)
        reservation = reserve_for_claim(actor, locked.pool, result.amount_fen, locked)
        locked.state, locked.decided_at, locked.due_at = target, timezone.now(), None
        locked.computed_fen = locked.approved_fen = result.amount_fen
        locked.explanation, locked.components = result.explanation(), result.components
        fixed = rules.FIXED_SUM in result.components or rules.FAMILY in result.components
        locked.fixed_key = rules.fixed_key(facts.event) if fixed else ""
        locked.entry = reservation.entry
        locked.save()
        ClaimReview.objects.create(claim=locked, stage=stage, decision="approve", reviewer=actor,
                                   amount_fen=result.amount_fen)
        trail.record(actor, "claim.approve", locked, {
            "stage": stage, "amount_fen": result.amount_fen, "components": result.components,
            "entry": reservation.entry.pk, "transfer": getattr(reservation.transfer, "pk", None),
            "transfers": [t.pk for t in reservation.transfers]})
        _notify(locked, _("互助金申请已核准"), _("您的申请%(number)s已核准，给付金额%(amount)s，将通过银行转账支付。")
                % {"number": locked.number, "amount": _amount(result.amount_fen)})
    claim.refresh_from_db()
    return claim


def reject_claim(actor, claim: Claim, reason: str) -> Claim:
    stage = _stage_of(claim)
    if not may_decide(actor, claim):
        raise PermissionDenied("claim_review")
    reason = _text(reason, "reason", 500)
    with transaction.atomic():
        locked, target = _locked(claim, "reject")
        locked.state, locked.decided_at, locked.due_at = target, timezone.now(), None
        locked.save(update_fields=["state", "decided_at", "due_at"])
        ClaimReview.objects.create(claim=locked, stage=stage, decision="reject", reviewer=actor, reason=reason)
        trail.record(actor, "claim.reject", locked, {"stage": stage, "reason": reason})
        days = int(_rule(APPEAL_DAYS_KEY, locked.region_code).value)
        body = _("您的申请%(number)s未通过，理由：%(reason)s。") % {"number": locked.number, "reason": reason}
        if not locked.appealed:
            body += _("如有异议，可在%(days)d天内申诉一次。") % {"days": days}
        _notify(locked, _("互助金申请未通过"), body)
    claim.refresh_from_db()
    return claim


def appeal_claim(actor, claim: Claim, reason: str) -> Claim:
    """The worker (or their union for them) appeals a rejection once, within the window."""
    if not (queries_claims.is_own(actor, claim) or queries_claims.may_act_for_enterprise(actor, claim)):
        raise PermissionDenied("claim_appeal")
    reason = _text(reason, "reason", 1000)
    days = int(_rule(APPEAL_DAYS_KEY, claim.region_code).value)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        decided = timezone.localtime(locked.decided_at).date() if locked.decided_at else _today()
        refusal = rules.may_appeal(locked.state, locked.appealed, decided, _today(), days)
        if refusal:
            raise DomainError(refusal, APPEAL_MESSAGES[refusal] % {"days": days}, field="reason")
        locked.state, locked.appealed, locked.appeal_reason = rules.next_state(locked.state, "appeal"), True, reason
        locked.due_at = queries_claims.end_of_day(rules.due_on(_today(), _review_days(locked.region_code, "appeal")))
        locked.save(update_fields=["state", "appealed", "appeal_reason", "due_at"])
        trail.record(actor, "claim.appeal", locked, {"reason": reason})
        _notify(locked, _("互助金申诉已受理"), _("您对申请%(number)s的申诉已受理，将由复审员复核。")
                % {"number": locked.number})
    claim.refresh_from_db()
    return claim


def reveal_account(actor, claim: Claim) -> str:
    """The full bank account for those allowed; each unmasked view is a trail event."""
    if not queries_claims.may_see_account(actor, claim):
        raise PermissionDenied("personal_data")
    with transaction.atomic():
        trail.record(actor, "claim.reveal_account", claim, {})
    return crypto.decrypt(claim.account_cipher, ACCOUNT_CONTEXT)
