"""The organization list's plain statements (queries.OrganizationRows, policy.organization_scope_sql)
give the same rows, in the same order, as the policy's queryset, for every kind of user."""

import pytest

from zhigong.core import actions, policy, queries
from zhigong.core.identifiers import credit_code
from zhigong.core.models import Organization

Kind = Organization.Kind
PERSONAS = ["province_cadre", "cadre_a", "outsider", "auditor", "enterprise_admin", "admin"]


def _expected(user, kind="", parent_id=None, sort=""):
    """The policy's queryset, ordered in Python: by the sort's column, then by path in byte
    order (the tree's order, whatever the database's collation)."""
    rows = list(queries.organizations(user, kind=kind, parent_id=parent_id)
                .values_list("id", "path", "name", "member_count"))
    rows.sort(key=lambda r: r[1].encode())
    column = {"name": 2, "members": 3}.get(sort.lstrip("-"))
    if column is not None:
        rows.sort(key=lambda r: r[column], reverse=sort.startswith("-"))  # stable: path breaks ties
    return [r[0] for r in rows]


@pytest.fixture
def more(world):
    for serial in range(7):
        org = actions.create_organization(world.admin, Kind.ENTERPRISE, world.county_a, name=f"企业{serial}",
                                          credit_code=credit_code("320102", 6000 + serial))
        Organization.objects.filter(pk=org.pk).update(member_count=serial * 3 % 5)
    return world


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("sort", ["", "name", "-name", "members", "-members"])
def test_same_rows_and_order_as_the_queryset(more, who, sort):
    user = getattr(more, who)
    rows = queries.organization_rows(user, sort=sort)
    assert isinstance(rows, queries.OrganizationRows)  # the plain path, not the fallback
    assert [r[0] for r in rows[0:1000]] == _expected(user, sort=sort)
    assert rows.count() == len(_expected(user))
    assert [r[0] for r in rows[2:5]] == _expected(user, sort=sort)[2:5]


@pytest.mark.parametrize("who", PERSONAS)
def test_filters_by_kind_and_parent(more, who):
    user = getattr(more, who)
    for kind in Kind.values:
        assert [r[0] for r in queries.organization_rows(user, kind=kind)[0:1000]] == _expected(user, kind=kind)
    for parent in (more.county_a, more.city, more.enterprise_b):
        got = queries.organization_rows(user, parent_id=parent.pk)
        assert [r[0] for r in got[0:1000]] == _expected(user, parent_id=parent.pk)


def test_a_worker_and_a_search_use_the_queryset(more):
    assert policy.organization_scope_sql(more.worker, "path") is None
    rows = queries.organization_rows(more.worker)
    assert [r[0] for r in rows] == _expected(more.worker) and _expected(more.worker)
    searched = queries.organization_rows(more.cadre_a, search="企业")
    assert not isinstance(searched, queries.OrganizationRows) and len(searched) == 7


def test_no_grant_sees_nothing(more):
    user = actions.create_account(more.admin, "nobody", "x-password-1")
    assert queries.organization_rows(user)[0:10] == [] and queries.organization_rows(user).count() == 0
