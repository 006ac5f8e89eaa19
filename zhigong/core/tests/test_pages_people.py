"""People pages: list and search, masked and revealed ID numbers, register, edit, employment and
union membership, and who may do what."""

import re
from datetime import date

import pytest

from zhigong.core import actions
from zhigong.core.identifiers import id_number
from zhigong.core.models import Employment, Membership, Person
from zhigong.trail.models import Event

NEW_ID = id_number("320102", date(1990, 5, 17), 55, male=False)


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/people/\d+/">([^<]+)</a>', page)


def _errors(page: str, field: str) -> str:
    return page.split(f'id="id_{field}_errors">', 1)[1].split('<div class="help">', 1)[0][:300]


def _new_person(world, name="王芳"):
    return actions.register_person(world.admin, world.enterprise_a, name, NEW_ID, "13700001111")


# --- List and search -------------------------------------------------------------------------

def test_list_shows_only_the_scope(world, login):
    page = _page(login(world.cadre_a), "/people/")
    assert _names(page) == ["张伟"] and "李娜" not in page
    assert world.worker_person.id_masked in page and "玄武机械有限公司" in page


@pytest.mark.parametrize("query", ["张", "13812345678", "LAST4", "*LAST4"])
def test_search_by_name_mobile_or_last_id_characters(world, login, query):
    query = query.replace("LAST4", world.worker_person.id_masked[-4:])
    assert _names(_page(login(world.province_cadre), "/people/", q=query)) == ["张伟"]


def test_search_finds_nothing_outside_the_scope(world, login):
    assert _names(_page(login(world.cadre_a), "/people/", q="李娜")) == []


def test_list_pages_without_counting(world, login):
    for n in range(21):
        actions.register_person(world.admin, world.enterprise_a, f"职工{n:02d}",
                                id_number("320102", date(1980, 1, 1 + n), 300 + n))
    client = login(world.cadre_a)
    first = _page(client, "/people/", org=world.enterprise_a.pk)
    assert len(_names(first)) == 20
    # A relative query string that keeps the filter (never "??org=…", which loses it).
    assert f'href="?org={world.enterprise_a.pk}&amp;page=2"' in first
    second = _page(client, "/people/", org=world.enterprise_a.pk, page=2)
    assert len(_names(second)) == 2 and "page=3" not in second


# --- Detail and the full ID number -----------------------------------------------------------

def test_detail_is_masked_and_reveal_is_a_trail_event(world, login):
    client = login(world.cadre_a)  # holds the personal-data permission
    person = world.worker_person
    full = actions.reveal_number(person)
    page = _page(client, f"/people/{person.pk}/")
    assert person.id_masked in page and full not in page and "显示完整身份证号" in page
    revealed = client.post(f"/people/{person.pk}/reveal/")
    assert revealed.status_code == 200 and full in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    event = Event.objects.get(verb="person.reveal_id_number")
    assert event.actor_id == world.cadre_a.pk and event.object_id == str(person.pk)
    assert full not in _page(client, f"/people/{person.pk}/")  # shown once


def test_reveal_is_refused_without_the_permission(world, login):
    client = login(world.enterprise_admin)  # may see the person, not the full number
    person = world.worker_person
    assert "显示完整身份证号" not in _page(client, f"/people/{person.pk}/")
    response = client.post(f"/people/{person.pk}/reveal/")
    assert response.status_code == 403
    assert actions.reveal_number(person) not in response.content.decode()
    assert not Event.objects.filter(verb="person.reveal_id_number").exists()
    assert client.get(f"/people/{person.pk}/reveal/").status_code == 405


def test_worker_may_reveal_their_own_number(world, login):
    response = login(world.worker).post(f"/people/{world.worker_person.pk}/reveal/")
    assert actions.reveal_number(world.worker_person) in response.content.decode()


# --- Register and edit -----------------------------------------------------------------------

def test_register_a_person_under_an_enterprise(world, login):
    response = login(world.enterprise_admin).post(
        f"/orgs/{world.enterprise_a.pk}/people/new/", {"name": "王芳", "id_number": NEW_ID, "mobile": "13700001111"})
    person = Person.objects.get(name="王芳")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.sex == "F" and person.birth_date == date(1990, 5, 17)
    assert person.scope_path == world.enterprise_a.path


def test_register_errors_beside_the_field_with_input_kept(world, login):
    wrong = NEW_ID[:-1] + ("1" if NEW_ID[-1] != "1" else "2")
    client = login(world.enterprise_admin)
    url = f"/orgs/{world.enterprise_a.pk}/people/new/"
    page = client.post(url, {"name": "王芳", "id_number": wrong, "mobile": "13700001111"}).content.decode()
    assert "身份证号码校验位不正确，请核对后重新输入。" in _errors(page, "id_number")
    assert 'value="王芳"' in page and f'value="{wrong}"' in page and 'value="13700001111"' in page
    page = client.post(url, {"name": "王芳", "id_number": NEW_ID, "mobile": "12345"}).content.decode()
    assert "手机号码应为以1开头的11位数字。" in _errors(page, "mobile")
    _new_person(world, "王芳")
    page = client.post(url, {"name": "王芳二", "id_number": NEW_ID}).content.decode()
    assert "该身份证号码已登记。" in _errors(page, "id_number")
    assert Person.objects.filter(name__startswith="王芳").count() == 1


def test_edit_name_and_mobile(world, login):
    client = login(world.enterprise_admin)
    url = f"/people/{world.worker_person.pk}/edit/"
    assert "id_number" not in _page(client, url)  # the identity is not editable
    assert client.post(url, {"name": "张伟", "mobile": "13812340000"}).status_code == 302
    world.worker_person.refresh_from_db()
    assert world.worker_person.mobile == "13812340000"
    page = client.post(url, {"name": "张伟", "mobile": "abc"}).content.decode()
    assert "手机号码应为以1开头的11位数字。" in _errors(page, "mobile") and 'value="abc"' in page


# --- Employment ------------------------------------------------------------------------------

def test_start_employment_with_a_wage_in_yuan(world, login):
    person = _new_person(world)
    client = login(world.cadre_a)
    url = f"/people/{person.pk}/employment/new/"
    assert "玄武机械有限公司" in _page(client, url)
    response = client.post(url, {"enterprise": world.enterprise_a.pk, "start_date": "2026-03-01",
                                 "form": "platform", "monthly_wage": "5,000.5"})
    assert response.status_code == 302
    job = Employment.objects.get(person=person)
    assert (job.monthly_wage_fen, job.form, job.start_date) == (500050, "platform", date(2026, 3, 1))
    assert "¥5,000.50" in _page(client, f"/people/{person.pk}/")


def test_employment_errors_in_chinese(world, login):
    person = _new_person(world)
    client = login(world.cadre_a)
    url = f"/people/{person.pk}/employment/new/"
    page = client.post(url, {"enterprise": world.enterprise_a.pk, "start_date": "2026-03-01",
                             "form": "labour_contract", "monthly_wage": "五千"}).content.decode()
    assert "金额格式不正确" in _errors(page, "monthly_wage") and 'value="五千"' in page
    page = client.post(url, {"enterprise": world.enterprise_b.pk, "start_date": "2026-03-01",
                             "form": "labour_contract", "monthly_wage": "5000"}).content.decode()
    assert "请选择您有权办理的组织。" in _errors(page, "enterprise")
    page = client.post(url, {"enterprise": world.union_a.pk, "start_date": "2026-03-01",
                             "form": "labour_contract", "monthly_wage": "5000"}).content.decode()
    assert "所选组织的类别不符。" in _errors(page, "enterprise")
    page = client.post(url, {"enterprise": world.enterprise_a.pk, "start_date": "",
                             "form": "labour_contract", "monthly_wage": "-1"}).content.decode()
    assert "这个字段是必填项。" in _errors(page, "start_date") and "金额不能为负数。" in page
    assert not Employment.objects.filter(person=person).exists()


def test_end_employment(world, login):
    job = world.worker_person.employments.get()
    client = login(world.enterprise_admin)
    url = f"/people/{world.worker_person.pk}/employment/{job.pk}/end/"
    page = client.post(url, {"end_date": "2010-01-01"}).content.decode()
    assert "离职日期不能早于入职日期。" in _errors(page, "end_date")
    assert client.post(url, {"end_date": "2026-10-31"}).status_code == 302
    job.refresh_from_db()
    assert job.end_date == date(2026, 10, 31)


# --- Membership ------------------------------------------------------------------------------

def test_join_union_defaults_to_the_employers_union(world, login):
    person = _new_person(world)
    actions.start_employment(world.admin, person, world.enterprise_a, date(2026, 1, 5), "labour_contract", 400000)
    client = login(world.cadre_a)
    url = f"/people/{person.pk}/membership/new/"
    assert f'<option value="{world.union_a.pk}" selected>' in _page(client, url)
    assert client.post(url, {"union": world.union_a.pk, "joined_on": "2026-02-01"}).status_code == 302
    assert Membership.objects.get(person=person).union == world.union_a
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 2


def test_join_twice_is_refused(world, login):
    url = f"/people/{world.worker_person.pk}/membership/new/"
    page = login(world.cadre_a).post(url, {"union": world.union_a.pk, "joined_on": "2026-02-01"}).content.decode()
    assert "此人已是工会会员，请办理转会。" in _errors(page, "union")


def test_leave_and_transfer(world, login):
    member = world.worker_person.memberships.get()
    client = login(world.province_cadre)
    base = f"/people/{world.worker_person.pk}/membership/{member.pk}"
    page = client.post(f"{base}/transfer/", {"union": world.union_a.pk, "on": "2026-06-01"}).content.decode()
    assert "请选择另一个企业工会。" in _errors(page, "union")
    assert client.post(f"{base}/transfer/", {"union": world.union_b.pk, "on": "2026-06-01"}).status_code == 302
    current = Membership.objects.get(person=world.worker_person, left_on__isnull=True)
    assert current.union == world.union_b and current.transferred_from == member
    leave = f"/people/{world.worker_person.pk}/membership/{current.pk}/leave/"
    assert client.post(leave, {"left_on": "2026-09-30"}).status_code == 302
    assert not Membership.objects.filter(person=world.worker_person, left_on__isnull=True).exists()


# --- Who may do what -------------------------------------------------------------------------

def _person_urls(world) -> list[str]:
    person = world.worker_person
    job, member = person.employments.get(), person.memberships.get()
    base = f"/people/{person.pk}"
    return [f"{base}/", f"{base}/edit/", f"{base}/employment/new/", f"{base}/employment/{job.pk}/end/",
            f"{base}/membership/new/", f"{base}/membership/{member.pk}/leave/",
            f"{base}/membership/{member.pk}/transfer/"]


def test_outsider_gets_404_on_every_person_url_of_county_a(world, login):
    client = login(world.outsider)
    for url in _person_urls(world) + [f"/people/{world.worker_person.pk}/reveal/"]:
        assert client.post(url, {"name": "x"}).status_code == 404, url
    for url in _person_urls(world):
        assert client.get(url).status_code == 404, url


def test_auditor_gets_403_on_every_write(world, login):
    client = login(world.auditor)
    urls = _person_urls(world)
    assert client.get(urls[0]).status_code == 200
    for url in urls[1:]:
        assert client.get(url).status_code == 403, url
        data = {"name": "改名", "end_date": "2026-10-31", "left_on": "2026-10-31"}
        assert client.post(url, data).status_code == 403, url
    assert world.worker_person.employments.get().end_date is None
