"""Organization pages: list, search, detail, create, edit, move, profit, and who may do what."""

import re

import pytest

from zhigong.core import actions
from zhigong.core.identifiers import credit_code
from zhigong.core.models import EnterpriseProfit, Organization
from zhigong.trail.models import Event

Kind = Organization.Kind


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _listed(page: str) -> list[str]:
    return re.findall(r'<a href="/orgs/\d+/">([^<]+)</a></td>', page)


# --- List ------------------------------------------------------------------------------------

def test_list_shows_the_scope_with_breadcrumbs(world, login):
    page = _page(login(world.cadre_a), "/orgs/")
    assert _listed(page) == ["玄武区总工会", "玄武机械有限公司", "玄武机械有限公司工会"]
    union_row = page.split("玄武机械有限公司工会</a>")[0].rsplit("<tr>", 1)[1]
    assert "玄武区总工会" in union_row and "玄武机械有限公司" in union_row  # the path above it
    assert "南京市总工会" not in page  # ancestors outside the scope stay hidden


@pytest.mark.parametrize("query, expected", [
    ("机械", ["玄武机械有限公司", "玄武机械有限公司工会"]),
    ("320102", ["玄武区总工会", "玄武机械有限公司", "玄武机械有限公司工会"]),
    ("秦淮", []),
])
def test_search_by_name_and_region_code(world, login, query, expected):
    assert _listed(_page(login(world.cadre_a), "/orgs/", q=query)) == expected


def test_search_by_credit_code_and_filter_by_kind(world, login):
    client = login(world.province_cadre)
    assert _listed(_page(client, "/orgs/", q=world.enterprise_b.credit_code)) == ["秦淮纺织有限公司"]
    assert _listed(_page(client, "/orgs/", kind="enterprise")) == ["玄武机械有限公司", "秦淮纺织有限公司"]


def test_paginates_twenty_a_page_and_sorts_by_members(world, login):
    for serial in range(25):
        actions.create_organization(world.admin, Kind.ENTERPRISE, world.county_a, name=f"企业{serial:02d}",
                                    credit_code=credit_code("320102", 5000 + serial))
    Organization.objects.filter(name="企业07").update(member_count=9999)
    client = login(world.cadre_a)
    first = _listed(_page(client, "/orgs/", kind="enterprise", sort="-members"))
    assert len(first) == 20 and first[0] == "企业07"
    second = _page(client, "/orgs/", kind="enterprise", sort="-members", page=2)
    assert len(_listed(second)) == 6 and "第 2 / 2 页" in second
    assert _listed(_page(client, "/orgs/", kind="enterprise", sort="name"))[0] == "企业00"


def _follow(client, page: str, label: str) -> str:
    """Follow the link named `label` the way a browser resolves a relative href against /orgs/."""
    href = re.search(r'<a [^>]*href="([^"]*)"[^>]*>' + re.escape(label) + "<", page).group(1)
    assert href.startswith("?") and not href.startswith("??"), href
    response = client.get("/orgs/" + href.replace("&amp;", "&"))
    assert response.status_code == 200
    return response.content.decode()


def test_next_page_and_sort_links_keep_the_filters(world, login):
    """The links are relative query strings ("?kind=…&page=2"), never "??…": a second "?" made
    the first parameter's name "?kind", so the next page lost the filter (or the page number)."""
    for serial in range(25):
        actions.create_organization(world.admin, Kind.ENTERPRISE, world.county_a, name=f"企业{serial:02d}",
                                    credit_code=credit_code("320102", 5000 + serial))
    client = login(world.cadre_a)
    first = _page(client, "/orgs/", kind="enterprise")
    second = _follow(client, first, "下一页")
    enterprises = {f"企业{n:02d}" for n in range(25)} | {"玄武机械有限公司"}
    assert len(_listed(second)) == 6 and "第 2 / 2 页" in second  # the filter kept: no unions
    assert set(_listed(first)) | set(_listed(second)) == enterprises
    back = _follow(client, second, "上一页")
    assert _listed(back) == _listed(first) and "第 1 / 2 页" in back
    by_name = _follow(client, second, "名称")  # sorting starts again at page 1, filter kept
    assert _listed(by_name)[0] == "企业00" and len(_listed(by_name)) == 20


def test_count_follows_a_new_organization_at_once(world, login):
    """The list's count is kept between views (core.paging) until the tree changes."""
    client = login(world.cadre_a)
    assert "共 3 个组织" in _page(client, "/orgs/")
    actions.create_organization(world.admin, Kind.ENTERPRISE, world.county_a, name="新企业",
                                credit_code=credit_code("320102", 7001))
    assert "共 4 个组织" in _page(client, "/orgs/")


def test_list_of_children_of_one_organization(world, login):
    page = _page(login(world.province_cadre), "/orgs/", parent=world.city.pk)
    assert _listed(page) == ["玄武区总工会", "秦淮区总工会"]


# --- Detail ----------------------------------------------------------------------------------

def test_enterprise_detail_shows_facts_profits_and_union(world, login):
    actions.record_profit(world.admin, world.enterprise_a, 2024, -1234567)
    page = _page(login(world.cadre_a), f"/orgs/{world.enterprise_a.pk}/")
    assert world.enterprise_a.credit_code in page and "制造业" in page and "350" in page
    assert "-¥12,345.67" in page and "2024" in page
    assert "玄武机械有限公司工会" in page
    assert f'href="/people/?org={world.enterprise_a.pk}"' in page


# --- Create and edit -------------------------------------------------------------------------

def test_cadre_creates_an_enterprise(world, login):
    code = credit_code("320102", 3003)
    response = login(world.cadre_a).post(f"/orgs/{world.county_a.pk}/new/enterprise/", {
        "name": "玄武电子有限公司", "region": "320102", "credit_code": code, "industry": "电子",
        "employee_count": "80",
    })
    org = Organization.objects.get(name="玄武电子有限公司")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    assert org.parent == world.county_a and org.credit_code == code and org.employee_count == 80
    assert Event.objects.filter(verb="organization.create", object_id=str(org.pk)).exists()


def test_create_shows_the_error_beside_the_field_and_keeps_the_input(world, login):
    bad = credit_code("320102", 3003)[:-1] + ("0" if credit_code("320102", 3003)[-1] != "0" else "1")
    response = login(world.cadre_a).post(f"/orgs/{world.county_a.pk}/new/enterprise/", {
        "name": "玄武电子有限公司", "region": "320102", "credit_code": bad, "employee_count": "80",
    })
    page = response.content.decode()
    assert response.status_code == 200
    errors = page.split('id="id_credit_code_errors">', 1)[1].split("</div>", 2)
    assert "统一社会信用代码校验位不正确。" in "".join(errors[:2])
    assert 'value="玄武电子有限公司"' in page and f'value="{bad}"' in page
    assert not Organization.objects.filter(name="玄武电子有限公司").exists()


def test_create_a_union_under_an_enterprise_and_a_county_under_a_city(world, login):
    client = login(world.province_cadre)
    url = f"/orgs/{world.enterprise_b.pk}/new/enterprise_union/"
    assert client.post(url, {"name": "秦淮纺织第二工会"}).status_code == 302
    union = Organization.objects.get(name="秦淮纺织第二工会")
    assert union.kind == Kind.ENTERPRISE_UNION and union.federation == world.county_b
    response = client.post(f"/orgs/{world.city.pk}/new/federation/", {"name": "鼓楼区总工会", "region": "320106"})
    assert response.status_code == 302
    assert Organization.objects.get(name="鼓楼区总工会").level == "county"


def test_no_union_under_a_federation(world, login):
    assert login(world.cadre_a).get(f"/orgs/{world.county_a.pk}/new/enterprise_union/").status_code == 404


def test_edit_saves_and_reports_errors_in_chinese(world, login):
    client = login(world.enterprise_admin)
    url = f"/orgs/{world.enterprise_a.pk}/edit/"
    assert 'value="350"' in _page(client, url)
    response = client.post(url, {"name": "", "region": "320102", "credit_code": world.enterprise_a.credit_code,
                                 "industry": "装备制造", "employee_count": "360"})
    page = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项。" in page and 'value="装备制造"' in page
    response = client.post(url, {"name": "玄武机械股份有限公司", "region": "999999",
                                 "credit_code": world.enterprise_a.credit_code, "employee_count": "360"})
    assert "地区代码不存在。" in response.content.decode()
    response = client.post(url, {"name": "玄武机械股份有限公司", "region": "320102",
                                 "credit_code": world.enterprise_a.credit_code, "employee_count": "360"})
    assert response.status_code == 302
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name == "玄武机械股份有限公司" and world.enterprise_a.employee_count == 360


# --- Move ------------------------------------------------------------------------------------

def test_move_asks_for_confirmation_then_moves_the_subtree(world, login):
    client = login(world.province_cadre)
    url = f"/orgs/{world.enterprise_a.pk}/move/"
    assert "秦淮区总工会" in _page(client, url)  # offered as a new parent
    confirm = client.post(url, {"parent": world.county_b.pk})
    assert confirm.status_code == 200 and "确认移动" in confirm.content.decode()
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.parent == world.county_a  # nothing moved yet
    done = client.post(url, {"parent": world.county_b.pk, "confirm": "1"})
    assert done.status_code == 302
    world.enterprise_a.refresh_from_db()
    world.county_a.refresh_from_db()
    world.county_b.refresh_from_db()
    assert world.enterprise_a.parent == world.county_b
    assert (world.county_a.member_count, world.county_b.member_count) == (0, 2)
    assert Event.objects.filter(verb="organization.move").count() == 1


def test_move_into_its_own_subtree_is_refused_beside_the_field(world, login):
    client = login(world.province_cadre)
    response = client.post(f"/orgs/{world.city.pk}/move/", {"parent": world.county_a.pk, "confirm": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "不能把组织移动到它自己的下级。" in page
    world.city.refresh_from_db()
    assert world.city.parent == world.province


def test_move_to_a_federation_outside_the_scope_is_refused(world, login):
    response = login(world.cadre_a).post(f"/orgs/{world.enterprise_a.pk}/move/", {"parent": world.county_b.pk})
    assert "请选择您有权办理的组织。" in response.content.decode()


# --- Profit ----------------------------------------------------------------------------------

def test_record_profit_in_yuan(world, login):
    client = login(world.enterprise_admin)
    url = f"/orgs/{world.enterprise_a.pk}/profit/"
    assert client.post(url, {"year": "2025", "profit": "1,234,567.89"}).status_code == 302
    assert EnterpriseProfit.objects.get(enterprise=world.enterprise_a, year=2025).profit_fen == 123456789
    assert "¥1,234,567.89" in _page(client, f"/orgs/{world.enterprise_a.pk}/")
    assert Event.objects.filter(verb="enterprise.profit").count() == 1


@pytest.mark.parametrize("amount, message", [
    ("一百万", "金额格式不正确"), ("12.345", "金额最多保留两位小数。"), ("1e20", "金额过大，请核对。"),
])
def test_bad_profit_amounts_are_refused_in_chinese(world, login, amount, message):
    response = login(world.enterprise_admin).post(f"/orgs/{world.enterprise_a.pk}/profit/",
                                                  {"year": "2025", "profit": amount})
    page = response.content.decode()
    assert response.status_code == 200 and message in page and f'value="{amount}"' in page
    assert not EnterpriseProfit.objects.exists()


def test_future_year_is_refused_beside_the_year(world, login):
    response = login(world.enterprise_admin).post(f"/orgs/{world.enterprise_a.pk}/profit/",
                                                  {"year": "2999", "profit": "100"})
    errors = response.content.decode().split('id="id_year_errors">', 1)[1][:200]
    assert "年度不正确。" in errors


# --- Picker options (htmx) -------------------------------------------------------------------

def test_picker_options_follow_the_policy(world, login):
    page = _page(login(world.cadre_a), "/orgs/options/", kind="enterprise", action="manage_people", q="")
    assert "玄武机械有限公司" in page and "秦淮" not in page
    assert "玄武机械" not in _page(login(world.auditor), "/orgs/options/", kind="enterprise", action="manage_people")


# --- Who may do what -------------------------------------------------------------------------

def _county_a_urls(world) -> list[str]:
    county, ent = world.county_a.pk, world.enterprise_a.pk
    return [
        f"/orgs/{county}/", f"/orgs/{ent}/", f"/orgs/{world.union_a.pk}/", f"/orgs/{ent}/edit/",
        f"/orgs/{ent}/move/", f"/orgs/{ent}/profit/", f"/orgs/{county}/new/enterprise/",
        f"/orgs/{ent}/new/enterprise_union/", f"/orgs/{ent}/people/new/", f"/orgs/?parent={county}",
        f"/people/?org={ent}", f"/orgs/options/?kind=federation&action=create_child&exclude={ent}",
    ]


def test_outsider_gets_404_on_everything_of_county_a(world, login):
    client = login(world.outsider)
    for url in _county_a_urls(world):
        assert client.get(url).status_code == 404, url
        if "?" not in url:
            assert client.post(url, {"name": "x"}).status_code == 404, url


def test_auditor_reads_but_gets_403_on_writes(world, login):
    client = login(world.auditor)
    ent = world.enterprise_a.pk
    assert client.get(f"/orgs/{ent}/").status_code == 200
    for url in [f"/orgs/{ent}/edit/", f"/orgs/{ent}/move/", f"/orgs/{ent}/profit/",
                f"/orgs/{world.county_a.pk}/new/enterprise/", f"/orgs/{ent}/people/new/"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "改名", "year": "2024", "profit": "1"}).status_code == 403, url
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.name == "玄武机械有限公司"
    page = _page(client, f"/orgs/{ent}/")
    assert f"/orgs/{ent}/edit/" not in page  # no buttons for what cannot be done


def test_error_pages_are_in_chinese(world, login):
    client = login(world.outsider)
    assert "找不到该页面" in client.get(f"/orgs/{world.enterprise_a.pk}/").content.decode()
    assert "没有权限" in login(world.auditor).get(f"/orgs/{world.enterprise_a.pk}/edit/").content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("zh-hans"):  # no request, so no middleware to choose it
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "系统出错" in response.content.decode()


def test_breadcrumbs_follow_a_rename_at_once_and_cost_nothing_when_kept(world, login, django_assert_num_queries):
    client = login(world.cadre_a)
    assert "玄武区总工会" in _page(client, "/orgs/")
    # Seen again: the signed-in user and the page's rows (the session is in the cache); the
    # count and the breadcrumbs' names are kept.
    with django_assert_num_queries(2):
        _page(client, "/orgs/")
    actions.update_organization(world.admin, world.county_a, name="玄武区总工会（新）")
    page = _page(client, "/orgs/")
    union_row = page.split("玄武机械有限公司工会</a>")[0].rsplit("<tr>", 1)[1]
    assert "玄武区总工会（新）" in union_row


def test_a_null_character_in_the_search_is_dropped(world, login):
    """?q=%00 reached the database, which refuses NUL in text (a 500 on PostgreSQL)."""
    client = login(world.cadre_a)
    assert _listed(_page(client, "/orgs/?q=%00机械")) == ["玄武机械有限公司", "玄武机械有限公司工会"]
    assert client.get("/people/?q=%00").status_code == 200
