"""The one policy module: "may this user do X to this object" and "which objects of this kind
may this user see". Views, API and batch jobs all ask it; nothing filters by hand.

Scopes are materialized organization paths: a grant over an organization covers it and
everything below it. Objects outside every scope are invisible (callers answer 404); visible
objects the user may not change get 403.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q, QuerySet

from zhigong.core.errors import NotFound, PermissionDenied
from zhigong.core.models import Organization, Person, Role, RoleGrant

# What each role may do within its scope. Ledger actions (zhigong.ledger): view the books, post,
# close a month, open a book.
ROLE_ACTIONS: dict[str, set[str]] = {
    Role.CADRE: {"view", "change", "create_child", "move", "manage_people", "evaluate", "read_all_disclosures",
                 "ledger_view", "ledger_post", "ledger_close", "ledger_open"},
    Role.ENTERPRISE_ADMIN: {"view", "change", "manage_people", "read_all_disclosures"},
    Role.UNION_CHAIR: {"view", "change", "manage_people", "read_all_disclosures"},
    Role.AUDITOR: {"view", "read_all_disclosures", "ledger_view"},
    Role.DELEGATE: {"view"},
    Role.FUND_REVIEWER: {"view", "fund_review", "ledger_view", "ledger_post"},
    Role.FUND_APPROVER: {"view", "fund_review", "fund_approve", "ledger_view", "ledger_post"},
    Role.TREASURER: {"view", "fund_pay", "ledger_view", "ledger_post", "ledger_close"},
    Role.ACTUARY: {"view", "fund_price", "ledger_view"},
    Role.ASSESSOR: {"view", "assess"},
}


@dataclass(frozen=True)
class Scope:
    role: str
    path: str
    personal_data: bool
    organization_id: int


def grants(user) -> list[Scope]:
    """The user's scopes, loaded once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zhigong_scopes", None)
    if cached is None:
        rows = (RoleGrant.objects.filter(user=user).order_by("pk")
                .values_list("role", "organization__path", "personal_data", "organization_id"))
        cached = remember_grants(user, rows)
    return cached


def remember_grants(user, rows, organizations: dict[int, Organization] | None = None) -> list[Scope]:
    """Keep the user's grants, given as (role, organization path or None, personal data,
    organization id or None) rows, for the rest of the request, with the grants' organizations
    when they were loaded too: core.auth loads both with the user row in the same statement."""
    scopes = [Scope(role, path or "/", bool(personal), org_id or 0) for role, path, personal, org_id in rows]
    user._zhigong_scopes = scopes
    if organizations is not None:
        user._zhigong_grant_orgs = organizations
    return scopes


def grant_organizations(user, roles: set[str]) -> list[Organization]:
    """The organizations of the user's grants of these roles, by path. A grant of a role that
    may view covers its own organization, so each of them is visible to the user by the rule of
    visible_organizations (a role without "view" gives no organization here)."""
    ids = {s.organization_id for s in grants(user)
           if s.role in roles and s.organization_id and "view" in ROLE_ACTIONS.get(s.role, set())}
    if not ids:
        return []
    loaded = getattr(user, "_zhigong_grant_orgs", None)
    if loaded is None or not ids <= loaded.keys():
        loaded = {org.pk: org for org in Organization.objects.filter(pk__in=ids)}
        user._zhigong_grant_orgs = loaded
    return sorted((loaded[i] for i in ids), key=lambda org: org.path)


def is_platform_admin(user) -> bool:
    return any(s.role == Role.PLATFORM_ADMIN for s in grants(user))


def _paths(user, action: str = "view") -> list[str]:
    return [s.path for s in grants(user) if action in ROLE_ACTIONS.get(s.role, set())]


def _prefix_q(field: str, paths: list[str]) -> Q | None:
    if not paths:
        return None
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in _minimal(paths)))


def _minimal(paths: list[str]) -> list[str]:
    """Drop paths covered by another path of the list."""
    ordered = sorted(set(paths), key=lambda p: (len(p), p))
    kept: list[str] = []
    for p in ordered:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def _covers(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


# --- Organizations ---------------------------------------------------------------------------

def visible_organizations(user) -> QuerySet[Organization]:
    qs = Organization.objects.all()
    if is_platform_admin(user):
        return qs
    q = _prefix_q("path", _paths(user))
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is not None:
        # A worker sees the organizations that hold them (employer, union) and nothing else.
        own = Q(pk__in=person.employments.filter(end_date__isnull=True).values("enterprise"))
        own |= Q(pk__in=person.memberships.filter(left_on__isnull=True).values("union"))
        q = own if q is None else q | own
    return qs.filter(q) if q is not None else qs.none()


def organization_scope_key(user) -> tuple | None:
    """What visible_organizations(user) depends on, as a key for figures kept for the user's
    lists (core.paging), when that is the user's grants alone; None when it depends on more
    (a worker also sees their own employer and union, which change without a grant)."""
    if is_platform_admin(user):
        return ("all",)
    if getattr(user, "person_id", None) or not getattr(user, "is_authenticated", False):
        return None
    return ("paths", tuple(sorted(set(_paths(user)))))


def organization_scope_sql(user, path_column: str) -> tuple[str, list[str]] | None:
    """visible_organizations(user) as a condition on the organization path column, for a
    hand-written list statement, when the scope is the user's grants alone (see
    organization_scope_key); None when it is not. The same prefix test as the queryset's:
    a test compares the two for every kind of user."""
    if organization_scope_key(user) is None:
        return None
    if is_platform_admin(user):
        return "1 = 1", []
    paths = _minimal(_paths(user))
    if not paths:
        return "1 = 0", []
    # Paths are digits and slashes only: nothing in them for LIKE to read as a wildcard.
    like = f"{path_column}::text LIKE %s" if connection.vendor == "postgresql" else f"{path_column} LIKE %s"
    return "(" + " OR ".join([like] * len(paths)) + ")", [f"{p}%" for p in paths]


def visible_organization_names(user, ids) -> dict[int, str]:
    """{id: name} of those of these organizations the user may see: the breadcrumbs of a
    list. Without a worker's own organizations in play, visibility is a prefix test on the
    paths, done here on the paths and names of a per-process copy (below) or of one plain
    statement, instead of in a compiled queryset."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return {}
    if getattr(user, "person_id", None) and not is_platform_admin(user):
        return dict(visible_organizations(user).filter(pk__in=ids).values_list("pk", "name"))
    rows = _paths_and_names(user, ids)
    if is_platform_admin(user):
        return {pk: name for pk, (_path, name) in rows.items()}
    paths = _paths(user)
    return {pk: name for pk, (path, name) in rows.items() if _covers(paths, path)}


# {id: (path, name)} of organizations that breadcrumbs named, per process, for one change number
# of the organization tree (core.paging): a rename or a move adds one to the number, read with
# the signed-in user, and the copy is dropped. A list's ancestors are the same few federations
# page after page, so most pages need no statement for them.
_NAMES_KEPT = 50_000
_names: tuple[int | None, dict] = (None, {})  # (change number, rows), replaced in one assignment


def _paths_and_names(user, ids: list[int]) -> dict[int, tuple[str, str]]:
    from zhigong.core import paging, rawsql

    global _names
    version = paging.current_version(paging.ORGANIZATIONS, user)
    kept_version, known = _names  # one read: a thread never pairs a number with other rows
    if kept_version != version or len(known) > _NAMES_KEPT:
        known = {}
        _names = (version, known)
    missing = [i for i in ids if i not in known]
    if missing:
        org = Organization
        where, params = rawsql.in_list(rawsql.column(org, "id"), missing)
        sql = (f"SELECT {rawsql.column(org, 'id')}, {rawsql.column(org, 'path')}, {rawsql.column(org, 'name')} "
               f"FROM {rawsql.table(org)} WHERE {where}")
        for pk, path, name in rawsql.rows(sql, params):
            known[pk] = (path, name)
    return {i: known[i] for i in ids if i in known}


def forget_names() -> None:
    """Drop the per-process copy (tests, whose databases differ from one test to the next)."""
    global _names
    _names = (None, {})


def may_organization(user, action: str, org: Organization) -> bool:
    if is_platform_admin(user):
        return True
    return _covers(_paths(user, action), org.path)


def access_organization(user, org_id, action: str = "view") -> Organization:
    """Fetch an organization for a user: 404 when it is not theirs to see, 403 when they may
    see it but not do `action`."""
    org = visible_organizations(user).filter(pk=_as_int(org_id)).first()
    if org is None:
        raise NotFound("organization")
    if action != "view" and not may_organization(user, action, org):
        raise PermissionDenied(action)
    return org


# --- People ----------------------------------------------------------------------------------

def visible_people(user) -> QuerySet[Person]:
    qs = Person.objects.all()
    if is_platform_admin(user):
        return qs
    q = _prefix_q("scope_path", _paths(user))
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    if person_id:
        q = Q(pk=person_id) if q is None else q | Q(pk=person_id)
    return qs.filter(q) if q is not None else qs.none()


def may_person(user, action: str, person: Person) -> bool:
    if is_platform_admin(user):
        return True
    if action == "view" and person.pk == getattr(user, "person_id", None):
        return True
    role_action = "manage_people" if action == "change" else action
    return _covers(_paths(user, role_action), person.scope_path)


def may_see_personal_data(user, person: Person) -> bool:
    """Unmasked ID numbers: platform admins, grants with the personal-data permission over the
    person's organization, and the person themself."""
    if is_platform_admin(user) or person.pk == getattr(user, "person_id", None):
        return True
    return any(s.personal_data and person.scope_path.startswith(s.path) for s in grants(user))


def access_person(user, person_id, action: str = "view") -> Person:
    person = visible_people(user).filter(pk=_as_int(person_id)).first()
    if person is None:
        raise NotFound("person")
    if action != "view" and not may_person(user, action, person):
        raise PermissionDenied(action)
    return person


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


# --- Employment and membership follow the person -----------------------------------------------

def access_employment(user, employment_id, action: str = "view"):
    from zhigong.core.models import Employment

    job = Employment.objects.select_related("enterprise", "person").filter(
        pk=_as_int(employment_id), person__in=visible_people(user),
    ).first()
    if job is None:
        raise NotFound("employment")
    if action != "view" and not may_organization(user, "manage_people", job.enterprise):
        raise PermissionDenied(action)
    return job


def access_membership(user, membership_id, action: str = "view"):
    from zhigong.core.models import Membership

    member = Membership.objects.select_related("union", "person").filter(
        pk=_as_int(membership_id), person__in=visible_people(user),
    ).first()
    if member is None:
        raise NotFound("membership")
    if action != "view" and not may_organization(user, "manage_people", member.union):
        raise PermissionDenied(action)
    return member


# --- Domain objects owned by an organization -------------------------------------------------

def scoped(user, qs: QuerySet, org_field: str) -> QuerySet:
    """Objects of `qs` whose owning organization (reached by `org_field`, e.g.
    "term__congress__enterprise") the user may see."""
    if is_platform_admin(user):
        return qs
    return qs.filter(**{f"{org_field}__in": visible_organizations(user)})


def access_scoped(user, qs: QuerySet, pk, org_field: str, action: str = "view", what: str = "object"):
    """Fetch one object through its owning organization: 404 when the user may not see it,
    403 when they may see it but not do `action` (an organization action such as "change")."""
    obj = scoped(user, qs, org_field).filter(pk=_as_int(pk) if not isinstance(pk, str) or pk.isdigit() else pk).first()
    if obj is None:
        raise NotFound(what)
    if action != "view":
        org = obj
        for part in org_field.split("__"):
            org = getattr(org, part)
        if not may_organization(user, action, org):
            raise PermissionDenied(action)
    return obj
