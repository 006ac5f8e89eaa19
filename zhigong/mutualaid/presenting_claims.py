"""How a claim reads to the person looking at it: the computation's steps in the language of the
request, the flags as sentences, and the verbs this user may use now (the actions check again)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid import queries_claims as queries
from zhigong.mutualaid import rules_claims as rules
from zhigong.mutualaid.models import Claim

FLAG_TEXT = {
    "overlap": _("同一职工的申请%(claim)s住院或出险日期重叠，可能重复申请。"),
    "invoice": _("发票%(invoice)s已用于申请%(claim)s，可能重复报销。"),
    "no_documents": _("尚未上传任何材料。"),
}


def steps(claim: Claim) -> list[dict]:
    """The stored steps, each sentence translated from its Chinese template."""
    out = []
    for step in claim.explanation or []:
        values = step.get("values") or {}
        try:
            text = gettext(step["template"]) % values
        except (KeyError, TypeError, ValueError):
            text = step.get("text", "")
        out.append({"code": step.get("code", ""), "text": text, "amount_fen": step.get("amount_fen")})
    return out


def flags(claim: Claim) -> list[str]:
    return [str(FLAG_TEXT[f["code"]] % {"claim": f.get("claim", ""), "invoice": f.get("invoice", "")})
            for f in claim.flags or [] if f.get("code") in FLAG_TEXT]


def verbs(user, claim: Claim) -> set[str]:
    found = set()
    if actions.may_decide(user, claim):
        found |= {"approve", "reject"}
    own_side = queries.is_own(user, claim) or queries.may_act_for_enterprise(user, claim)
    if own_side and claim.state == Claim.State.REJECTED and not claim.appealed:
        found.add("appeal")
    if own_side and rules.review_stage(claim.state):
        found.add("add_document")
    if queries.may_post(user, claim) and rules.review_stage(claim.state):
        found.add("adjudicate")
    return found


def stage_label(claim: Claim) -> str:
    return {"first": gettext("待初审"), "second": gettext("待复审"), "appeal": gettext("申诉待复核")}.get(
        rules.review_stage(claim.state), "")


def due_day(claim: Claim):
    return timezone.localtime(claim.due_at).date() if claim.due_at else None
