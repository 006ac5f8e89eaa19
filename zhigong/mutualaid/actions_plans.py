"""Plans: publishing the next version of a plan. A published version is never edited; the next
version is a new row valid for coverage periods starting on or after its date, so what a
coverage enrolled under keeps paying what it promised (docs/mutualaid/plans.md)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhigong import trail
from zhigong.core import policy
from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.mutualaid.models import BenefitRule, Plan, PlanVersion

COPIED = ["period_months", "min_age", "max_age", "requires_membership", "requires_medical_insurance",
          "employment_forms", "women_only", "max_shares", "waiting_days"]
KNOWN_CODES = {"per_day", "min_stay_days", "claim_cap", "year_cap", "deductible", "ratio", "listed_disease",
               "class_sum", "family_sum", "critical_sum", "early_illness", "accident_sum", "price_group_age",
               "price_part_period", "contribution_split"}


def may_price(actor, plan: Plan) -> bool:
    """The actuary or a cadre of the plan's federation; national example plans: platform admins."""
    if plan.owner is None:
        return policy.is_platform_admin(actor)
    return any(policy.may_organization(actor, a, plan.owner) for a in ("fund_price", "change"))


def create_next_version(actor, plan: Plan, effective_from: date, label: str, price_fen: int | None = None,
                        text: str | None = None, rules: list[dict] | None = None, **terms) -> PlanVersion:
    """A new published version from `effective_from`, starting as a copy of the latest version
    (its terms and benefit rule rows), with the given changes. `rules`, when given, replaces the
    rule rows: dicts of code, key, amount_fen, params, note."""
    if not may_price(actor, plan):
        raise PermissionDenied("fund_price")
    label = (label or "").strip()
    if not label or len(label) > 40:
        raise DomainError("required", _("请填写版本名称（不超过40字）。"), field="label")
    unknown = sorted(set(terms) - set(COPIED))
    if unknown:
        raise DomainError("mutualaid.version_field", _("不能修改的条款：%(f)s。") % {"f": ", ".join(unknown)},
                          field=unknown[0])
    if price_fen is not None and (not isinstance(price_fen, int) or price_fen <= 0):
        raise DomainError("mutualaid.amount", _("每份价格必须大于零。"), field="price_fen")
    rows = _checked_rules(rules) if rules is not None else None
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        latest = plan.versions.order_by("-effective_from").first()
        if latest is not None and effective_from <= latest.effective_from:
            raise DomainError("mutualaid.version_date", _("新版本的起始日须晚于现行版本（%(day)s）。")
                              % {"day": latest.effective_from.isoformat()}, field="effective_from")
        fields = {name: getattr(latest, name) for name in COPIED} if latest else {}
        fields.update(terms)
        version = PlanVersion.objects.create(
            plan=plan, label=label, effective_from=effective_from, published_at=timezone.now(),
            text=(text if text is not None else (latest.text if latest else "")).strip(),
            price_fen=price_fen if price_fen is not None else latest.price_fen, **fields)
        if rows is None:
            rows = [{"code": r.code, "key": r.key, "amount_fen": r.amount_fen, "params": r.params, "note": r.note}
                    for r in latest.benefit_rules.all()] if latest else []
        BenefitRule.objects.bulk_create(BenefitRule(version=version, **row) for row in rows)
        trail.record(actor, "mutualaid.create_version", version, {
            "plan": plan.pk, "label": label, "effective_from": effective_from.isoformat(),
            "price_fen": version.price_fen, "from_version": latest.pk if latest else None, "rules": len(rows)})
    return version


def _checked_rules(rules: list[dict]) -> list[dict]:
    seen, rows = set(), []
    for n, rule in enumerate(rules):
        code, key = str(rule.get("code", "")).strip(), str(rule.get("key", "") or "").strip()
        if code not in KNOWN_CODES:
            raise DomainError("mutualaid.rule_code", _("第%(n)d条规则代码“%(code)s”无效。")
                              % {"n": n + 1, "code": code}, field="rules", row=n)
        if (code, key) in seen:
            raise DomainError("mutualaid.rule_twice", _("第%(n)d条规则重复。") % {"n": n + 1}, field="rules", row=n)
        seen.add((code, key))
        amount = rule.get("amount_fen")
        if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool) or amount < 0):
            raise DomainError("mutualaid.amount", _("第%(n)d条规则金额无效。") % {"n": n + 1}, field="rules", row=n)
        rows.append({"code": code, "key": key[:64], "amount_fen": amount, "params": dict(rule.get("params") or {}),
                     "note": str(rule.get("note", ""))[:255]})
    return rows
