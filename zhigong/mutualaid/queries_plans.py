"""Reads of plans and versions. Plans are public to every signed-in user (the terms of a plan
are what a worker enrols under); federations' own plans are seen by whoever sees the federation."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.mutualaid.models import BenefitRule, Plan, PlanVersion


def visible_plans(user) -> QuerySet[Plan]:
    national = Q(owner__isnull=True)
    if policy.is_platform_admin(user):
        return Plan.objects.all().order_by("pk")
    return Plan.objects.filter(national | Q(owner__in=policy.visible_organizations(user))).order_by("pk")


def access_plan(user, pk) -> Plan:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("plan") from None
    plan = visible_plans(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound("plan")
    return plan


def versions(plan: Plan) -> list[PlanVersion]:
    return list(plan.versions.order_by("-effective_from").prefetch_related(
        Prefetch("benefit_rules", queryset=BenefitRule.objects.order_by("code", "key"))))


def version_on(plan: Plan, day: date) -> PlanVersion | None:
    """The version that a coverage period starting on `day` is enrolled under."""
    return plan.versions.filter(effective_from__lte=day, published_at__isnull=False).order_by("-effective_from").first()


def access_version(user, pk) -> PlanVersion:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("version") from None
    version = PlanVersion.objects.filter(pk=pk, plan__in=visible_plans(user)).select_related("plan").first()
    if version is None:
        raise NotFound("version")
    return version
