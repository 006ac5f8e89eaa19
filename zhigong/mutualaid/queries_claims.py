"""Reads of claims and the coverages a claim can be made under, scoped by the policy.

Who sees a claim: the worker it is for (User.person); the enterprise union and enterprise
admins of the claim's enterprise; fund officers, cadres and auditors granted over a federation
above it. Unlike other objects of an enterprise, a worker does NOT see the claims of their
colleagues through their employment: only role grants open other people's claims. Everyone
else gets 404.
"""

from datetime import datetime, time
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.errors import NotFound, PermissionDenied
from zhigong.mutualaid import rules_claims as rules
from zhigong.mutualaid.models import Claim, Coverage

REVIEW_STATES = (Claim.State.SUBMITTED, Claim.State.FIRST_APPROVED, Claim.State.APPEALED)
NONE = Q(pk__in=[])


def _grant_paths(user, action: str) -> list[str]:
    return [s.path for s in policy.grants(user) if action in policy.ROLE_ACTIONS.get(s.role, set())]


def _orgs_q(user, action: str, enterprise_field: str, union_field: str) -> Q:
    """Rows whose enterprise (or enterprise union) lies under one of the user's grants for `action`."""
    q = [Q(**{f"{enterprise_field}__path__startswith": p}) | Q(**{f"{union_field}__path__startswith": p})
         for p in _grant_paths(user, action)]
    return reduce(or_, q, NONE)


def _own_q(user, person_field: str) -> Q:
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    return Q(**{person_field: person_id}) if person_id else NONE


def works_on_claims(user) -> bool:
    """Holds a grant that shows other people's claims (the officer queue is for them)."""
    return policy.is_platform_admin(user) or bool(_grant_paths(user, "view"))


# --- Claims -------------------------------------------------------------------------------------------

def visible_claims(user) -> QuerySet[Claim]:
    qs = Claim.objects.all()
    if policy.is_platform_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(_own_q(user, "person_id") | _orgs_q(user, "view", "enterprise", "coverage__enrolment__union"))


def access_claim(user, pk) -> Claim:
    """A claim the user may see (404 otherwise)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("claim") from None
    claim = visible_claims(user).select_related("person", "enterprise", "pool", "version__plan", "coverage").filter(
        pk=pk).first()
    if claim is None:
        raise NotFound("claim")
    return claim


def is_own(user, claim: Claim) -> bool:
    return claim.person_id is not None and claim.person_id == getattr(user, "person_id", None)


def may_act_for_enterprise(user, claim_or_cover) -> bool:
    """The enterprise union (or its admin) of the claim's enterprise, or a cadre above it."""
    if policy.is_platform_admin(user):
        return True
    union = claim_or_cover.enrolment.union if isinstance(claim_or_cover, Coverage) else \
        claim_or_cover.coverage.enrolment.union
    return policy.may_organization(user, "change", claim_or_cover.enterprise) or (
        union is not None and policy.may_organization(user, "change", union))


def may_review(user, claim: Claim, stage: str, approver_needed: bool = False) -> bool:
    """First review: the enterprise union or a county fund reviewer (or cadre). Second review:
    a fund reviewer of the county, or a fund approver when the amount is above the threshold
    (`approver_needed`). The appeal review: a fund approver."""
    if stage == "first":
        return may_act_for_enterprise(user, claim) or policy.may_organization(user, "fund_review", claim.enterprise)
    if stage == "second" and not approver_needed:
        return policy.may_organization(user, "fund_review", claim.enterprise)
    if stage in ("second", "appeal"):
        return policy.may_organization(user, "fund_approve", claim.enterprise)
    return False


def may_post(user, claim: Claim) -> bool:
    """Whether the user's approval can fix the amount (a fund officer of the claim's county);
    an enterprise union's first approval goes on to the county."""
    return policy.may_organization(user, "fund_review", claim.enterprise)


def may_see_account(user, claim: Claim) -> bool:
    """The full bank account: the worker, and holders of the personal-data permission."""
    return is_own(user, claim) or policy.may_see_personal_data(user, claim.person)


def my_claims(user) -> QuerySet[Claim]:
    return Claim.objects.filter(_own_q(user, "person_id")).select_related("version__plan").order_by(
        "-submitted_at", "-pk")


def queue(user, state: str = "", overdue: bool = False, flagged: bool = False, q: str = "",
          enterprise_id: int | None = None, officer_only: bool = True) -> QuerySet[Claim]:
    """The officer queue: claims of the user's scope (their own left out when they hold a grant),
    waiting for a review unless another state is asked for."""
    qs = visible_claims(user).select_related("person", "enterprise", "version__plan")
    if officer_only and not policy.is_platform_admin(user):
        qs = qs.filter(_orgs_q(user, "view", "enterprise", "coverage__enrolment__union"))
    qs = qs.filter(state=state) if state else qs.filter(state__in=REVIEW_STATES)
    if overdue:
        qs = qs.filter(state__in=REVIEW_STATES, due_at__lt=timezone.now())
    if flagged:
        qs = qs.exclude(flags=[])
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(person__name__icontains=q) | Q(invoice_no__icontains=q))
    return qs.order_by("due_at", "pk")


def page_of(qs, page, size: int = 20):
    return Paginator(qs, size).get_page(page)


def is_overdue(claim: Claim, now=None) -> bool:
    now = now or timezone.now()
    due = timezone.localtime(claim.due_at).date() if claim.due_at else None
    return rules.is_overdue(claim.state, due, timezone.localtime(now).date())


def end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


# --- Coverages a claim can be made under ------------------------------------------------------------

def claimable_coverages(user) -> QuerySet[Coverage]:
    """The user's own coverages and those of the enterprises whose union they run."""
    qs = Coverage.objects.select_related("enrolment__union", "enterprise", "version__plan", "person",
                                         "enrolment__pool")
    if policy.is_platform_admin(user):
        return qs
    return qs.filter(_own_q(user, "person_id") | _orgs_q(user, "change", "enterprise", "enrolment__union"))


def access_coverage_for_claim(user, pk) -> Coverage:
    """404 when the user may not see the coverage, 403 when they may see it but not claim on it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("coverage") from None
    cover = claimable_coverages(user).filter(pk=pk).first()
    if cover is not None:
        return cover
    if Coverage.objects.filter(_orgs_q(user, "view", "enterprise", "enrolment__union"), pk=pk).exists():
        raise PermissionDenied("claim_submit")
    raise NotFound("coverage")


def possible_duplicates(claim: Claim) -> list[dict]:
    """Earlier claims of the same person with overlapping dates, or with an invoice number in
    common (any person of the same region)."""
    numbers = [n for n in claim.invoice_no.split(",") if n]
    starts, ends = claim.admitted_on or claim.event_on, claim.discharged_on or claim.event_on
    q = Q(person_id=claim.person_id)
    if numbers:
        q |= Q(region_code=claim.region_code) & reduce(or_, (Q(invoice_no__contains=n) for n in numbers))
    others = Claim.objects.filter(q).exclude(pk=claim.pk).exclude(state=Claim.State.REJECTED).values(
        "number", "person_id", "event_on", "admitted_on", "discharged_on", "invoice_no")
    keys = [rules.ClaimKey(o["number"], o["person_id"], o["admitted_on"] or o["event_on"],
                           o["discharged_on"] or o["event_on"], frozenset(n for n in o["invoice_no"].split(",") if n))
            for o in others]
    me = rules.ClaimKey(claim.number, claim.person_id, starts, ends, frozenset(numbers))
    return rules.duplicate_flags(me, keys)
