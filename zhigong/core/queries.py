"""Reads of core data, always scoped by the policy."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.models import ApiToken, Organization, Person, User


def user_for_token(raw: str) -> User | None:
    from zhigong.core.actions import hash_token

    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def organizations(user, search: str = "", kind: str = "", parent_id: int | None = None) -> QuerySet[Organization]:
    qs = policy.visible_organizations(user).select_related("region", "parent")
    search = (search or "").strip()
    if search:
        q = Q(name__icontains=search) | Q(credit_code__iexact=search) | Q(region__code=search)
        qs = qs.filter(q)
    if kind:
        qs = qs.filter(kind=kind)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return qs.order_by("path")


def people(user, search: str = "") -> QuerySet[Person]:
    """People the user may see; search by name, mobile, or the last characters of the ID
    number (as shown in the masked form)."""
    qs = policy.visible_people(user)
    search = (search or "").strip().upper()
    if search:
        if search.startswith("*"):
            search = search.lstrip("*")
        if len(search) <= 4 and (search[:-1].isdigit() or search.isdigit()) and search:
            qs = qs.filter(id_last4__endswith=search)
        elif search.isdigit() and len(search) == 11:
            qs = qs.filter(mobile=search)
        elif len(search) == 18:
            from zhigong.core.actions import id_index

            qs = qs.filter(id_number_index=id_index(search))
        else:
            qs = qs.filter(name__contains=search)
    return qs.order_by("-id")


def current_employment(person: Person):
    return person.employments.filter(end_date__isnull=True).select_related("enterprise").first()


def current_membership(person: Person):
    return person.memberships.filter(left_on__isnull=True).select_related("union").first()


def root_organizations(user) -> list[Organization]:
    """The top organizations of the user's scopes (a cadre's federation, an admin's
    enterprise), for the home page."""
    ids = [s.organization_id for s in policy.grants(user) if s.organization_id]
    return list(Organization.objects.filter(pk__in=ids).select_related("region").order_by("path"))
