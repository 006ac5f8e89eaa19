"""Each persona's home page shows their part of the world and nothing of anyone else's."""

import pytest

from zhigong.core.models import Organization
from zhigong.core.rules import mask_id_number


def _home(login, user) -> str:
    response = login(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_cadre_sees_the_county_with_counts(world, login):
    page = _home(login, world.cadre_a)
    assert "玄武区总工会" in page and "玄武机械有限公司" in page
    assert "秦淮" not in page and "南京市总工会" not in page
    assert 'href="/orgs/"' in page and 'href="/people/"' in page
    row = page.split("玄武机械有限公司</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">1</td>' in row  # an enterprise child counts itself


def test_province_cadre_sees_children_with_member_and_enterprise_counts(world, login):
    Organization.objects.filter(pk=world.city.pk).update(member_count=12345)
    page = _home(login, world.province_cadre)
    assert "江苏省总工会" in page and "南京市总工会" in page
    assert "12,345" in page  # thousands separator on the maintained counter
    # Two enterprises below the city, counted per child in the same table row.
    row = page.split("南京市总工会", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td>' in row


def test_auditor_sees_the_scope_overview(world, login):
    page = _home(login, world.auditor)
    assert "玄武区总工会" in page and "秦淮" not in page


def test_outsider_sees_only_county_b(world, login):
    page = _home(login, world.outsider)
    assert "秦淮区总工会" in page and "秦淮纺织有限公司" in page
    assert "玄武" not in page


def test_enterprise_admin_sees_the_enterprise(world, login):
    page = _home(login, world.enterprise_admin)
    assert "玄武机械有限公司" in page and "玄武机械有限公司工会" in page
    assert ">350<" in page  # declared employee count
    assert "张伟" in page and world.worker_person.id_masked in page
    assert "李娜" not in page and "玄武区总工会" not in page


def test_worker_sees_their_own_record_only(world, login):
    page = _home(login, world.worker)
    person = world.worker_person
    assert "张伟" in page and person.id_masked in page
    from zhigong.core.actions import reveal_number

    assert reveal_number(person) not in page  # masked, even to the person, until asked
    assert mask_id_number(reveal_number(person)) == person.id_masked
    assert "玄武机械有限公司" in page and "劳动合同" in page
    assert "¥6,500.00" in page and "2015-09-01" in page and "2015-07-01" in page
    assert "李娜" not in page and "秦淮" not in page
    # A worker has no organization or people lists in the navigation.
    assert 'href="/orgs/"' not in page and 'href="/people/"' not in page


def test_platform_admin_sees_the_top_federations_and_the_admin_link(world, login):
    page = _home(login, world.admin)
    assert "江苏省总工会" in page and 'href="/admin/"' in page
    assert 'href="/admin/"' not in _home(login, world.cadre_a)


def test_account_without_role_or_record_gets_a_hint(world, login):
    from zhigong.core import actions

    user = actions.create_account(world.admin, "bare", "Zhigong-test-2026")
    assert "尚未分配角色" in _home(login, user)


@pytest.mark.parametrize("persona, limit", [("worker", 8), ("cadre_a", 8), ("enterprise_admin", 8), ("admin", 8)])
def test_home_reads_a_bounded_number_of_queries(world, login, django_assert_max_num_queries, persona, limit):
    """No per-row queries: the home page must stay fast with a million members."""
    client = login(getattr(world, persona))
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
