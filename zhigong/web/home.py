"""The home page's panels, one per kind of role a user holds. Every count here is either a
maintained counter (Organization.member_count) or bounded by the organization tree, never a
COUNT over people, employment or membership: the page must stay fast with a million members."""

from dataclasses import dataclass, field
from functools import cache
from html import escape

from django.db.models import Count, Value
from django.db.models.functions import StrIndex, Substr
from django.urls import reverse
from django.utils.safestring import mark_safe

from zhigong.core import policy, queries, rawsql
from zhigong.core.models import Employment, Membership, Organization, Person, Role
from zhigong.core.paging import ORGANIZATIONS, kept
from zhigong.web.templatetags.zg import kind_labels

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
    rows_html: str = ""


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
    return policy.grant_organizations(user, roles)


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
    # Every child of a scope root is inside the scope that made it a root, so the list is the
    # same for everyone who sees the root: kept for a minute like the counts below.
    children = kept(("children", root.pk, root.path),
                                lambda: list(visible.filter(parent=root).order_by("name")[: CHILDREN_SHOWN + 1]),
                                depends_on=ORGANIZATIONS, user=user)
    # One GROUP BY over every enterprise below root: at province level tens of thousands of
    # rows, so the figures are kept for a minute (core.paging.kept).
    counts = kept(("enterprise_counts", root.pk, root.path),
                              lambda: enterprise_counts(visible, root), depends_on=ORGANIZATIONS, user=user)
    rows = [(c, counts.get(c.pk, 0)) for c in children[:CHILDREN_SHOWN]]
    # The rows' HTML made here, every value through html.escape, rather than by the template
    # per cell: fifty rows of a county cost more in template variables than the page's query.
    detail = reverse("org-detail", args=[0])[:-2]  # ".../orgs/0/" without "0/"
    labels = kind_labels()
    html = "".join(
        f'<tr><td><a href="{detail}{c.pk}/">{escape(c.name)}</a></td>'
        f'<td class="nowrap">{escape(labels.get(("", c.kind), c.kind))}</td>'
        f'<td class="num">{n:,}</td><td class="num">{c.member_count:,}</td></tr>'
        for c, n in rows)
    return ScopePanel(root, sum(counts.values()), rows, len(children) > CHILDREN_SHOWN,
                      mark_safe(html))  # noqa: S308 - every value above is escaped


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
    """The worker's own record (User.person is theirs by definition: no scope to check): the
    person, the current job with its enterprise and the current membership with its union, in
    one hand-written statement (core.rawsql): the worker's home page is the most requested
    page there is."""
    if not getattr(user, "person_id", None):
        return None
    found = rawsql.rows(_own_record_sql(), [user.person_id])
    if not found:
        return None
    row = found[0]
    person, at = rawsql.instance(Person, row)
    job, at = rawsql.instance(Employment, row, at)
    enterprise, at = rawsql.instance(Organization, row, at)
    membership, at = rawsql.instance(Membership, row, at)
    union, at = rawsql.instance(Organization, row, at)
    if job is not None:
        job.person, job.enterprise = person, enterprise
    if membership is not None:
        membership.person, membership.union = person, union
    return OwnRecord(person, job, membership)


@cache
def _own_record_sql() -> str:
    """The first current job and the first current membership (by id, as .first() would
    take them), each joined to its organization."""
    p, e, m, o = Person, Employment, Membership, Organization
    col, table = rawsql.column, rawsql.table
    return (
        f"SELECT {rawsql.select_list(p, 'p')}, {rawsql.select_list(e, 'e')}, {rawsql.select_list(o, 'eo')}, "
        f"{rawsql.select_list(m, 'm')}, {rawsql.select_list(o, 'mo')} "
        f"FROM {table(p)} p "
        f"LEFT JOIN {table(e)} e ON e.{col(e, 'id')} = (SELECT MIN(e1.{col(e, 'id')}) FROM {table(e)} e1 "
        f"WHERE e1.{col(e, 'person')} = p.{col(p, 'id')} AND e1.{col(e, 'end_date')} IS NULL) "
        f"LEFT JOIN {table(o)} eo ON eo.{col(o, 'id')} = e.{col(e, 'enterprise')} "
        f"LEFT JOIN {table(m)} m ON m.{col(m, 'id')} = (SELECT MIN(m1.{col(m, 'id')}) FROM {table(m)} m1 "
        f"WHERE m1.{col(m, 'person')} = p.{col(p, 'id')} AND m1.{col(m, 'left_on')} IS NULL) "
        f"LEFT JOIN {table(o)} mo ON mo.{col(o, 'id')} = m.{col(m, 'union')} "
        f"WHERE p.{col(p, 'id')} = %s"
    )
