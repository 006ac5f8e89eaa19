"""Reads of core data, always scoped by the policy."""

import datetime
from functools import cache

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from zhigong.core import paging, policy, rawsql
from zhigong.core.models import ApiToken, Organization, Person, User

TOKEN_SQL = (
    "SELECT {columns}, t.id AS token_id, t.last_used_at AS token_used"
    "  FROM core_apitoken t JOIN core_user u ON u.id = t.user_id"
    " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
)
# The same and the "last used" write in one round trip (PostgreSQL, client-side binding, no
# transaction open): the UPDATE runs whatever the SELECT reads, and the statements of one
# simple-protocol query are one implicit transaction, so SET LOCAL at the end covers its commit.
TOKEN_TOUCH_SQL = (
    "WITH found AS (" + TOKEN_SQL + "), "
    "touched AS (UPDATE core_apitoken SET last_used_at = %s"
    " WHERE id = (SELECT token_id FROM found) AND (last_used_at IS NULL OR last_used_at < %s)) "
    "SELECT * FROM found; SET LOCAL synchronous_commit TO OFF"
)
TOKEN_USE_GRANULARITY = 60  # seconds: "last used" is kept to the minute, not written per request


def user_for_token(raw: str) -> User | None:
    """The account of an API token: one round trip on every API call (delegates' ballots come
    in hundreds at once). The time of last use is written at most once a minute per token and,
    on PostgreSQL, without waiting for the disk: it is bookkeeping a crash may lose."""
    from django.db import connection

    from zhigong.core.actions import hash_token

    key, now = hash_token(raw or ""), timezone.now()
    if _one_round_trip(connection):
        row = _fetch(connection, _token_sql(TOKEN_TOUCH_SQL),
                     [key, now, now - datetime.timedelta(seconds=TOKEN_USE_GRANULARITY)])
        return None if row is None else _user_from_row(connection, row)
    row = _fetch(connection, _token_sql(TOKEN_SQL), [key])
    if row is None:
        return None
    last = _aware(row[-1])
    if last is None or (now - last).total_seconds() > TOKEN_USE_GRANULARITY:
        ApiToken.objects.filter(pk=row[-2]).update(last_used_at=now)
    return _user_from_row(connection, row)


def _one_round_trip(connection) -> bool:
    from django.conf import settings

    client_binding = not settings.DATABASES["default"].get("OPTIONS", {}).get("server_side_binding")
    return connection.vendor == "postgresql" and not connection.in_atomic_block and client_binding


def _fetch(connection, sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@cache
def _token_sql(template: str) -> str:
    """Every column of the account by name, then the token's id and last use. A cursor and
    Model.from_db, not a raw queryset: on the ballot path the raw queryset's per-call mapping
    of columns to fields cost as much CPU as the rest of the token check
    (benchmarks/profile_ballot.py)."""
    return template.format(columns=rawsql.select_list(User, "u"))


def _user_from_row(connection, row) -> User:
    """The account from the row's leading columns, through the backend's converters
    (core.rawsql, as for the signed-in user of a page)."""
    return rawsql.instance(User, row)[0]


def _aware(value):
    """The token's last use comes without a field's converters: SQLite gives a naive UTC
    datetime or its text."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value


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


ORG_ROW = ("id", "name", "kind", "level", "path", "member_count", "employee_count", "region")
ORG_SORTS = {"": "path", "name": "name", "-name": "-name", "members": "member_count", "-members": "-member_count"}


class OrganizationRows:
    """The organization list's rows for one user and filters, as tuples of ORG_ROW columns:
    what a Paginator needs (count() and a slice), each a plain statement. Used when the user's
    scope is their grants alone and nothing is searched (policy.organization_scope_sql); the
    list costs then as much as its two short statements, not the compiling of querysets.
    The count is kept until the organization tree changes (core.paging)."""

    def __init__(self, user, scope: tuple[str, list], kind: str = "", parent_id: int | None = None,
                 sort: str = "") -> None:
        org = Organization
        where, params = [scope[0]], list(scope[1])
        if kind:
            where.append(f"{rawsql.column(org, 'kind')} = %s")
            params.append(kind)
        if parent_id is not None:
            where.append(f"{rawsql.column(org, 'parent')} = %s")
            params.append(parent_id)
        self.where, self.params = " AND ".join(where), params
        # Paths in byte order, the tree's order (a parent before its children); on PostgreSQL
        # by the pattern operator, so that the index that finds the prefix also gives the order
        # and a page reads its twenty rows and stops (C and C.UTF-8 databases sort them alike).
        path = rawsql.column(org, "path")
        by_path = f"{path}::text USING ~<~" if connection.vendor == "postgresql" else path
        order = ORG_SORTS.get(sort, "path")
        if order == "path":
            self.order = by_path
        else:
            direction = " DESC" if order.startswith("-") else ""
            self.order = f"{rawsql.column(org, order.lstrip('-'))}{direction}, {by_path}"
        self.user = user
        self.key = organization_list_key(user, "", kind, parent_id)

    def count(self) -> int:
        return paging.kept(("count", self.key), self._count, paging.ORGANIZATIONS, user=self.user)

    def _count(self) -> int:
        return rawsql.rows(f"SELECT COUNT(*) FROM {rawsql.table(Organization)} WHERE {self.where}", self.params)[0][0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple]:
        start, stop = window.start or 0, window.stop
        columns = ", ".join(rawsql.column(Organization, name) for name in ORG_ROW)
        sql = (f"SELECT {columns} FROM {rawsql.table(Organization)} WHERE {self.where} "
               f"ORDER BY {self.order} LIMIT %s OFFSET %s")
        return rawsql.rows(sql, [*self.params, stop - start, start])


def organization_list_key(user, search: str, kind: str, parent_id: int | None) -> tuple | None:
    """What the organization list's rows depend on besides the tree, as the key of its kept
    count (core.paging); None when the user's scope is not their grants alone."""
    scope = policy.organization_scope_key(user)
    return None if scope is None else ("org-list", scope, search, kind, parent_id)


def organization_rows(user, search: str = "", kind: str = "", parent_id: int | None = None, sort: str = ""):
    """The organization list's rows (tuples of ORG_ROW) in the order asked for: plain
    statements when the user's scope allows it and nothing is searched, else the queryset of
    organizations() (a search, or a worker's own organizations)."""
    scope = None if search else policy.organization_scope_sql(user, rawsql.column(Organization, "path"))
    if scope is not None:
        return OrganizationRows(user, scope, kind, parent_id, sort)
    rows = organizations(user, search=search, kind=kind, parent_id=parent_id).select_related(None)
    # Paths in byte order here too, whatever the database's collation (see OrganizationRows).
    path = Collate("path", "C") if connection.vendor == "postgresql" else F("path")
    order = ORG_SORTS.get(sort, "path")
    rows = rows.order_by(order, path) if order != "path" else rows.order_by(path)
    return rows.values_list(*("region_id" if name == "region" else name for name in ORG_ROW))


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
