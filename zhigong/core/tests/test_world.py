from zhigong.core import policy


def test_personas_see_their_scope(world):
    assert set(policy.visible_organizations(world.cadre_a)) == {world.county_a, world.enterprise_a, world.union_a}
    assert world.enterprise_a not in set(policy.visible_organizations(world.outsider))
    assert list(policy.visible_people(world.worker)) == [world.worker_person]
    assert world.person_b not in set(policy.visible_people(world.cadre_a))
    world.province.refresh_from_db()
    world.county_a.refresh_from_db()
    assert world.province.member_count == 2
    assert world.county_a.member_count == 1
