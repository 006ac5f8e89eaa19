"""The policy answers for each persona: what they see, what they may change."""

import pytest

from zhigong.core import policy


def test_cadre_scope_covers_everything_below(world):
    seen = set(policy.visible_organizations(world.province_cadre))
    assert {world.county_a, world.county_b, world.enterprise_a, world.union_b} <= seen
    assert policy.may_organization(world.cadre_a, "create_child", world.county_a)
    assert not policy.may_organization(world.cadre_a, "create_child", world.city)


def test_enterprise_admin_sees_own_enterprise_only(world):
    assert set(policy.visible_organizations(world.enterprise_admin)) == {world.enterprise_a, world.union_a}
    assert policy.may_organization(world.enterprise_admin, "change", world.enterprise_a)
    assert not policy.may_organization(world.enterprise_admin, "create_child", world.enterprise_a)
    assert list(policy.visible_people(world.enterprise_admin)) == [world.worker_person]


def test_worker_sees_own_record_and_holders(world):
    assert set(policy.visible_organizations(world.worker)) == {world.enterprise_a, world.union_a}
    assert list(policy.visible_people(world.worker)) == [world.worker_person]
    assert not policy.may_person(world.worker, "change", world.worker_person)
    assert policy.may_see_personal_data(world.worker, world.worker_person)


def test_auditor_reads_only(world):
    assert world.worker_person in set(policy.visible_people(world.auditor))
    for action in ("change", "create_child", "move", "manage_people"):
        assert not policy.may_organization(world.auditor, action, world.enterprise_a)
    assert not policy.may_see_personal_data(world.auditor, world.worker_person)


def test_personal_data_permission_follows_the_grant(world):
    assert policy.may_see_personal_data(world.cadre_a, world.worker_person)
    assert not policy.may_see_personal_data(world.cadre_a, world.person_b)
    assert not policy.may_see_personal_data(world.province_cadre, world.worker_person)


@pytest.mark.parametrize("name", ["outsider", "auditor", "worker", "enterprise_admin"])
def test_access_raises_not_found_outside_scope(world, name):
    from zhigong.core.errors import NotFound

    user = getattr(world, name)
    with pytest.raises(NotFound):
        policy.access_organization(user, world.county_b.pk if name != "outsider" else world.county_a.pk)
    with pytest.raises(NotFound):
        policy.access_person(user, world.person_b.pk if name != "outsider" else world.worker_person.pk)


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.visible_organizations(AnonymousUser()).exists()
    assert not policy.visible_people(AnonymousUser()).exists()


def test_nested_scopes_are_not_duplicated():
    assert policy._minimal(["/1/2/", "/1/", "/3/"]) == ["/1/", "/3/"]
