"""The home page's panels, one per kind of role a user holds. Every count here is either a
maintained counter (Organization.member_count) or bounded by the organization tree, never a
COUNT over people, employment or membership: the page must stay fast with a million members."""

from dataclasses import dataclass, field

from django.db.models import Count, Value
from django.db.models.functions import StrIndex, Substr

from zhigong.core import policy, queries
from zhigong.core.models import Employment, Membership, Organization, Person, Role
from zhigong.core.paging import cached_for_scope

Kind = Organization.Kind
SCOPE_ROLES = {Role.CADRE, Role.AUDITOR, Role.DELEGATE}
ENTERPRISE_ROLES = {Role.ENTERPRISE_ADMIN, Role.UNION_CHAIR}
CHILDREN_SHOWN = 50
ROOTS_SHOWN = 20


@dataclass
class ScopePanel:
    root: Organization
    enterprises: int
    children: list[tuple[Organization, int]] = field(default_factory=list)
    more_children: bool = False


@dataclass
class EnterprisePanel:
    enterprise: Organization
    unions: list[Organization]
    recent_people: list[Person]


@dataclass
class OwnRecord:
    person: Person
    employment: Employment | None
    membership: Membership | None


def _grant_orgs(user, roles: set[str]) -> list[Organization]:
    ids = [s.organization_id for s in policy.grants(user) if s.role in roles and s.organization_id]
    if not ids:
        return []
    return list(policy.visible_organizations(user).filter(pk__in=ids).order_by("path"))


def scope_roots(user) -> list[Organization]:
    """A platform admin's roots are the top federations; others', the organizations of their
    cadre / auditor grants."""
    if policy.is_platform_admin(user):
        top = policy.visible_organizations(user).filter(parent__isnull=True)
        return list(top.order_by("path")[:ROOTS_SHOWN])
    roots = _grant_orgs(user, SCOPE_ROLES)
    # A grant inside another grant's subtree adds nothing to the overview.
    return [r for r in roots if not any(o is not r and r.path.startswith(o.path) for o in roots)]


def scope_panel(user, root: Organization) -> ScopePanel:
    visible = policy.visible_organizations(user)
    children = list(visible.filter(parent=root).order_by("name")[: CHILDREN_SHOWN + 1])
    # One GROUP BY over every enterprise below root: at province level tens of thousands of
    # rows, so the figures are kept for a minute (core.paging.cached_for_scope).
    counts = cached_for_scope(("enterprise_counts", root.pk, root.path),
                              lambda: enterprise_counts(visible, root))
    rows = [(c, counts.get(c.pk, 0)) for c in children[:CHILDREN_SHOWN]]
    return ScopePanel(root, sum(counts.values()), rows, len(children) > CHILDREN_SHOWN)


def enterprise_counts(visible, root: Organization) -> dict[int, int]:
    """Enterprises below each child of root, keyed by the child's id: one GROUP BY over the
    path segment that follows the root's path. A filtered COUNT per child would evaluate
    every enterprise once per child, which grows with the tree."""
    start = len(root.path) + 1
    child = Substr("path", start, StrIndex(Substr("path", start), Value("/")) - 1)
    rows = (visible.filter(path__startswith=root.path, kind=Kind.ENTERPRISE).order_by()
            .values(child=child).annotate(n=Count("pk")).values_list("child", "n"))
    return {int(child_id): n for child_id, n in rows}


def enterprise_panels(user) -> list[EnterprisePanel]:
    panels = []
    for org in _grant_orgs(user, ENTERPRISE_ROLES):
        enterprise = org if org.kind == Kind.ENTERPRISE else _visible_parent(user, org)
        if enterprise is None:
            continue
        unions = list(policy.visible_organizations(user)
                      .filter(parent=enterprise, kind=Kind.ENTERPRISE_UNION).order_by("name"))
        recent = list(queries.people(user).filter(scope_path__startswith=enterprise.path)[:5])
        panels.append(EnterprisePanel(enterprise, unions, recent))
    return panels


def _visible_parent(user, org: Organization) -> Organization | None:
    return policy.visible_organizations(user).filter(pk=org.parent_id).first() or org


def own_record(user) -> OwnRecord | None:
    """The worker's own record (User.person is theirs by definition: no scope to check), the
    current job read with the person in one statement and the membership in another."""
    if not getattr(user, "person_id", None):
        return None
    job = (Employment.objects.filter(person_id=user.person_id, end_date__isnull=True)
           .select_related("person", "enterprise").first())
    person = job.person if job is not None else Person.objects.get(pk=user.person_id)
    return OwnRecord(person, job, queries.current_membership(person))
