"""Reads of core data, always scoped by the policy."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhigong.core import policy
from zhigong.core.models import ApiToken, Organization, Person, User

TOKEN_SQL = (
    "SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at"
    "  FROM core_apitoken t JOIN core_user u ON u.id = t.user_id"
    " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
)
TOKEN_USE_GRANULARITY = 60  # seconds: "last used" is kept to the minute, not written per request


def user_for_token(raw: str) -> User | None:
    """The account of an API token: one statement on every API call (delegates' ballots come
    in hundreds at once). The time of last use is written at most once a minute per token and,
    on PostgreSQL, without waiting for the disk: it is bookkeeping a crash may lose."""
    from zhigong.core.actions import hash_token

    user = next(iter(User.objects.raw(TOKEN_SQL, [hash_token(raw or "")])), None)
    if user is None:
        return None
    now = timezone.now()
    last = _aware(user.token_last_used_at)
    if last is None or (now - last).total_seconds() > TOKEN_USE_GRANULARITY:
        _touch_token(user.token_id, now)
    return user


def _aware(value):
    """An extra column of a raw query comes without the field's converters: SQLite gives a
    naive UTC datetime or its text."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value


def _touch_token(token_id: int, now) -> None:
    """On PostgreSQL with client-side binding (Django's default), one simple-protocol round
    trip: the two statements run as one implicit transaction, so SET LOCAL covers the UPDATE."""
    from django.conf import settings
    from django.db import connection

    client_binding = not settings.DATABASES["default"].get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor != "postgresql" or connection.in_atomic_block or not client_binding:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF; "
                       "UPDATE core_apitoken SET last_used_at = %s WHERE id = %s", [now, token_id])


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
