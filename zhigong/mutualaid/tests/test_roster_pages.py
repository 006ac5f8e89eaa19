"""The roster pages: an enterprise admin uploads a roster with errors, reads the report and the
xlsx error report, imports only the clean rows after confirming; a clean roster imports with one
click; the roster searches and exports; a worker leaves; the enrolment page warns below the
participation minimum; an outsider gets 404 on every page of county A."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid.models import Coverage, Enrolment, RosterUpload
from zhigong.mutualaid.tests.roster_fixtures import build, row, upload, xlsx


@pytest.fixture
def rw(world):
    return build(world)


def _upload(client, org, rows):
    return client.post(f"/mutualaid/roster/enterprises/{org.pk}/upload/",
                       {"file": upload(xlsx(rows)), "starts_on": "2026-01-01"})


def test_upload_with_errors_report_and_clean_rows_import(rw, login):
    world = rw.world
    client = login(world.enterprise_admin)
    response = _upload(client, world.enterprise_a, [row(1), row(2, 入职日期="2015/13/01"), row(3)])
    found = RosterUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mutualaid/roster/uploads/{found.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "日期“2015/13/01”格式不正确" in page and "只导入无误的2行" in page
    report = client.get(f"/mutualaid/roster/uploads/{found.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "入职日期"]
    refused = client.post(response["Location"], {})
    assert refused.status_code == 200 and "未导入任何数据" in refused.content.decode()
    assert Coverage.objects.count() == 0
    done = client.post(response["Location"], {"only_clean_rows": "on"})
    assert done.status_code == 302 and Coverage.objects.count() == 2
    assert RosterUpload.objects.get().state == RosterUpload.State.PARTIAL


def test_a_clean_roster_imports_with_one_click_and_lists(rw, login):
    world = rw.world
    client = login(world.enterprise_admin)
    location = _upload(client, world.enterprise_a, [row(n) for n in range(1, 61)])["Location"]
    assert "确认导入60行" in client.get(location).content.decode()
    client.post(location, {})
    roster = client.get(f"/mutualaid/roster/enterprises/{world.enterprise_a.pk}/").content.decode()
    assert "共60条保障记录" in roster, roster[roster.find("<main"):][:3000]
    assert "第 1 / 2 页" in roster
    found = client.get(f"/mutualaid/roster/enterprises/{world.enterprise_a.pk}/?q=职工7").content.decode()
    assert "共1条保障记录" in found
    # The export link carries the search as one "?" query (a second "?" lost the filter).
    assert f'href="/mutualaid/roster/enterprises/{world.enterprise_a.pk}/roster.xlsx?q=%E8%81%8C%E5%B7%A57"' in found
    exported = client.get(f"/mutualaid/roster/enterprises/{world.enterprise_a.pk}/roster.xlsx")
    assert load_workbook(io.BytesIO(exported.content)).active.max_row == 61


def test_wrong_file_shows_the_message_beside_the_field(rw, login):
    world = rw.world
    client = login(world.enterprise_admin)
    response = client.post(f"/mutualaid/roster/enterprises/{world.enterprise_a.pk}/upload/",
                           {"file": upload(b"%PDF-1.4", "roster.pdf"), "starts_on": "2026-01-01"})
    assert response.status_code == 200 and "只能上传 .xlsx 格式的花名册" in response.content.decode()
    assert RosterUpload.objects.count() == 0


def test_leave_on_the_coverage_page(rw, login):
    world = rw.world
    found = actions.check_roster(world.enterprise_admin, world.enterprise_a, upload(xlsx([row(1)])), date(2026, 1, 1))
    actions.import_roster(world.enterprise_admin, found)
    cover = Coverage.objects.get()
    client = login(world.enterprise_admin)
    response = client.post(f"/mutualaid/roster/coverages/{cover.pk}/", {"do": "leave", "leave-left_on": "2026-04-01"})
    assert response.status_code == 302
    cover.refresh_from_db()
    assert (cover.left_on, cover.ends_on) == (date(2026, 4, 1), date(2026, 4, 1))


def test_enrolment_page_warns_below_the_minimum(rw, login):
    world = rw.world
    from zhigong.core import actions as core
    from zhigong.mutualaid.tests.roster_fixtures import person_id

    other = core.register_person(world.admin, world.enterprise_a, "王芳", person_id(30, male=False))
    core.join_union(world.admin, other, world.union_a, date(2020, 1, 1))
    found = actions.check_roster(world.enterprise_admin, world.enterprise_a, upload(xlsx([row(1)])), date(2026, 1, 1))
    actions.import_roster(world.enterprise_admin, found)
    client = login(world.enterprise_admin)
    page = client.get(f"/mutualaid/roster/enrolments/{Enrolment.objects.get().pk}/").content.decode()
    assert "低于规定的80%" in page and "会员2人中0人在保" in page
    result = client.post(f"/mutualaid/roster/enterprises/{world.enterprise_a.pk}/members/",
                         {"plan": "t-zhongji", "starts_on": "2026-01-01", "shares": "1"}).content.decode()
    assert "新参保2人" in result
    page = client.get(f"/mutualaid/roster/enrolments/{Enrolment.objects.get().pk}/").content.decode()
    assert "低于规定" not in page


def test_outsider_gets_404_on_every_roster_page(rw, login):
    world = rw.world
    found = actions.check_roster(world.enterprise_admin, world.enterprise_a, upload(xlsx([row(1)])), date(2026, 1, 1))
    actions.import_roster(world.enterprise_admin, found)
    cover = Coverage.objects.get()
    client = login(world.outsider)
    org = world.enterprise_a.pk
    for path in (f"enterprises/{org}/", f"enterprises/{org}/template.xlsx", f"enterprises/{org}/roster.xlsx",
                 f"enterprises/{org}/upload/", f"enterprises/{org}/members/", f"uploads/{found.pk}/",
                 f"uploads/{found.pk}/errors.xlsx", f"enrolments/{cover.enrolment_id}/", f"coverages/{cover.pk}/"):
        assert client.get(f"/mutualaid/roster/{path}").status_code == 404, path
    for path in (f"uploads/{found.pk}/discard/", f"enrolments/{cover.enrolment_id}/renew/"):
        assert client.post(f"/mutualaid/roster/{path}").status_code == 404, path
    assert world.enterprise_a.name not in client.get("/mutualaid/roster/").content.decode()


def test_the_auditor_reads_but_gets_no_upload_form(rw, login):
    client = login(rw.world.auditor)
    org = rw.world.enterprise_a.pk
    assert client.get(f"/mutualaid/roster/enterprises/{org}/").status_code == 200
    assert client.get(f"/mutualaid/roster/enterprises/{org}/upload/").status_code == 403
