"""Uploading a roster: every bad input gives a clear Chinese message and writes nothing of the
roster; a clean file imports; a file with errors imports only when the clean rows are chosen."""

import json
from datetime import date, timedelta

import pytest

from zhigong.core.errors import DomainError, PermissionDenied
from zhigong.core.models import Person
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid.models import Coverage, Enrolment, RosterUpload
from zhigong.mutualaid.tests.roster_fixtures import START, TODAY, build, person_id, row, upload, xlsx
from zhigong.trail.models import Event


@pytest.fixture
def rw(world):
    return build(world)


def counts():
    return Person.objects.count(), Coverage.objects.count(), Enrolment.objects.count()


def check(rw, rows, **kwargs):
    return actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(xlsx(rows, **kwargs)), START,
                                today=TODAY)


def issues(found: RosterUpload) -> list[tuple[int, str, str]]:
    return [(i["row"], i["column"], i["code"]) for i in found.errors]


def test_a_clean_roster_imports_people_and_cover(rw):
    before = counts()
    found = check(rw, [row(1), row(2, plan="职工重大疾病互助保障（测试）", shares=2), row(3, 手机号="")])
    assert (found.rows, found.error_rows, found.state) == (3, 0, RosterUpload.State.CHECKED)
    assert counts() == before
    done = actions.import_roster(rw.world.enterprise_admin, found, today=TODAY)
    assert done.state == RosterUpload.State.IMPORTED and done.imported_rows == 3
    cover = Coverage.objects.filter(enterprise=rw.world.enterprise_a).order_by("person__name")
    assert [(c.person.name, c.shares, c.starts_on, c.waiting_ends_on, c.ends_on) for c in cover] == [
        ("职工1", 1, START, START + timedelta(days=90), date(2026, 12, 31)),
        ("职工2", 2, START, START + timedelta(days=90), date(2026, 12, 31)),
        ("职工3", 1, START, START + timedelta(days=90), date(2026, 12, 31)),
    ]
    enrolment = Enrolment.objects.get(enterprise=rw.world.enterprise_a)
    assert (enrolment.pool, enrolment.version, enrolment.ends_on) == (rw.pool, rw.version, date(2026, 12, 31))
    first = cover[0]
    assert first.monthly_wage_fen == 650050 and first.employment_start == date(2015, 7, 1)
    assert first.person.id_masked == person_id(1)[:4] + "*" * 10 + person_id(1)[-4:]
    from zhigong.core.actions import reveal_number

    assert reveal_number(first.person) == person_id(1)
    event = json.loads(bytes(Event.objects.filter(verb="roster.import").get().leaf))["data"]
    assert event["file_sha256"] == done.digest and event["written"] == 3


def test_a_registered_person_is_linked_not_registered_again(rw):
    world = rw.world
    from zhigong.core.actions import reveal_number

    number = reveal_number(world.worker_person)
    found = check(rw, [row(1, name="张伟", 身份证号=number)])
    actions.import_roster(world.enterprise_admin, found, today=TODAY)
    assert Coverage.objects.get().person == world.worker_person
    assert Person.objects.filter(name="张伟").count() == 1


def test_wrong_name_for_a_registered_id_is_refused_without_telling_the_name(rw):
    from zhigong.core.actions import reveal_number

    found = check(rw, [row(1, name="王五", 身份证号=reveal_number(rw.world.worker_person))])
    assert issues(found) == [(2, "姓名", "name.mismatch")]
    assert "张伟" not in found.errors[0]["message"]


BAD_ROWS = [
    ("bad check character", {"身份证号": person_id(5)[:17] + ("0" if person_id(5)[17] != "0" else "1")},
     "身份证号", "id_number.checksum"),
    ("short ID", {"身份证号": "32010219880314"}, "身份证号", "id_number.length"),
    ("ID as a number", {"身份证号": 320102198803141011.0}, "身份证号", "id_number.not_text"),
    ("too old at the start", {"身份证号": person_id(5, birth=date(1960, 6, 1))}, "身份证号", "eligibility.age"),
    ("too young at the start", {"身份证号": person_id(5, birth=date(2011, 6, 1))}, "身份证号", "eligibility.age"),
    ("unknown plan", {"保障计划": "不存在的计划"}, "保障计划", "plan.unknown"),
    ("too many shares", {"份数": 4}, "份数", "shares.range"),
    ("half a share", {"份数": 1.5}, "份数", "shares.format"),
    ("bad mobile", {"手机号": "1234567"}, "手机号", "mobile.format"),
    ("American date", {"入职日期": "07/01/2015"}, "入职日期", "date.format"),
    ("date as a bare number", {"入职日期": 42186}, "入职日期", "date.format"),
    ("no such day", {"入职日期": "2015-02-30"}, "入职日期", "date.format"),
    ("three decimals", {"月工资（元）": "6500.123"}, "月工资（元）", "wage.decimals"),
    ("negative wage", {"月工资（元）": -1}, "月工资（元）", "wage.range"),
    ("no name", {"姓名": ""}, "姓名", "name.required"),
    ("started after the period", {"入职日期": date(2027, 1, 1)}, "入职日期", "employment_start.range"),
]


@pytest.mark.parametrize("case,changes,column,code", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_reported_and_nothing_is_written(rw, case, changes, column, code):
    before = counts()
    found = check(rw, [row(1), row(5, **changes)])
    assert issues(found) == [(3, column, code)], found.errors
    assert found.errors[0]["message"] and found.errors[0]["message"] != code
    with pytest.raises(DomainError) as refused:
        actions.import_roster(rw.world.enterprise_admin, found, today=TODAY)
    assert refused.value.code == "roster.not_clean"
    assert counts() == before
    assert RosterUpload.objects.get(pk=found.pk).state == RosterUpload.State.CHECKED


def test_women_only_plan_refuses_men(rw):
    found = check(rw, [row(1, plan="t-nvzhigong", 身份证号=person_id(1, male=True)),
                       row(2, plan="t-nvzhigong", 身份证号=person_id(2, male=False))])
    assert issues(found) == [(2, "身份证号", "eligibility.women_only")]


def test_empty_rows_and_duplicates_are_reported(rw):
    woman = person_id(4, male=False)
    found = check(rw, [row(1), [None] * 7, row(2), row(1, name="职工1"), row(4, 身份证号=woman),
                       row(4, plan="t-nvzhigong", 身份证号=woman)])
    # The same person under another plan is no duplicate.
    assert issues(found) == [(3, "", "row.empty"), (5, "身份证号", "row.duplicate")]
    assert "第2行" in found.errors[1]["message"]


def test_partial_import_writes_only_the_clean_rows_when_chosen(rw):
    found = check(rw, [row(1), row(2, 份数=9), row(3)])
    assert found.error_rows == 1
    done = actions.import_roster(rw.world.enterprise_admin, found, only_clean_rows=True, today=TODAY)
    assert done.state == RosterUpload.State.PARTIAL and done.imported_rows == 2
    assert sorted(Coverage.objects.values_list("person__name", flat=True)) == ["职工1", "职工3"]
    with pytest.raises(DomainError):
        actions.import_roster(rw.world.enterprise_admin, done, today=TODAY)


def test_the_same_file_again_skips_who_is_already_covered(rw):
    data = [row(1), row(2)]
    actions.import_roster(rw.world.enterprise_admin, check(rw, data), today=TODAY)
    again = actions.import_roster(rw.world.enterprise_admin, check(rw, data + [row(3)]), today=TODAY)
    assert again.summary["import"]["already"] == 2 and again.imported_rows == 1
    assert Coverage.objects.count() == 3


def test_cover_by_another_enterprise_for_an_overlapping_period_is_refused(rw):
    world = rw.world
    from zhigong.mutualaid.tests.roster_fixtures import county_pool

    county_pool(world.county_b, [rw.plan])
    admin = world.admin
    other = actions.check_roster(admin, world.enterprise_b, upload(xlsx([row(7)])), START, today=TODAY)
    actions.import_roster(admin, other, today=TODAY)
    found = check(rw, [row(7), row(8)])
    assert issues(found) == [(2, "身份证号", "coverage.elsewhere")]
    assert "2026-12-31" in found.errors[0]["message"]
    assert world.enterprise_b.name not in found.errors[0]["message"]


BAD_FILES = [
    ("not a spreadsheet", b"%PDF-1.7 not a roster", "roster.pdf", "file.type"),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "roster.xls", "file.old_excel"),
    ("broken zip", b"PK\x03\x04 broken", "roster.xlsx", "roster.unreadable"),
]


@pytest.mark.parametrize("case,data,name,code", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_file_that_is_not_an_xlsx_is_refused(rw, case, data, name, code):
    with pytest.raises(DomainError) as refused:
        actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(data, name), START, today=TODAY)
    assert refused.value.code == code and refused.value.field == "file"
    assert RosterUpload.objects.count() == 0


def test_a_50_mb_file_is_refused_before_it_is_read(rw):
    big = upload(b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    with pytest.raises(DomainError) as refused:
        actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, big, START, today=TODAY)
    assert refused.value.code == "file.too_large"
    assert "20 MB" in str(refused.value.message) and "50" in str(refused.value.message)
    assert RosterUpload.objects.count() == 0


@pytest.mark.parametrize("header,codes", [
    (["姓名", "身份证", "手机号", "入职日期", "月工资（元）", "保障计划", "份数"],
     {"header.unknown", "header.missing"}),
    (["姓名", "身份证号", "手机号", "入职日期", "保障计划", "份数"], {"header.missing"}),
    (["姓名", "身份证号", "身份证号", "手机号", "入职日期", "月工资（元）", "保障计划", "份数"], {"header.repeated"}),
])
def test_wrong_or_missing_columns_are_refused(rw, header, codes):
    data = xlsx([], header=header)
    with pytest.raises(DomainError) as refused:
        actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(data), START, today=TODAY)
    assert refused.value.code == "roster.columns"
    assert {i["code"] for i in refused.value.details["issues"]} == codes
    assert RosterUpload.objects.count() == 0


def test_a_roster_without_rows_is_refused(rw):
    with pytest.raises(DomainError) as refused:
        actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(xlsx([])), START, today=TODAY)
    assert refused.value.code == "roster.no_rows"


def test_ascii_brackets_and_spaces_in_headers_are_accepted(rw):
    header = ["姓名", " 身份证号 ", "手机号", "入职日期", "月工资(元)", "保障计划", "份数"]
    found = check(rw, [row(1)], header=header)
    assert found.error_rows == 0


def test_no_pool_in_the_county_is_a_clear_error(rw):
    world = rw.world
    found = actions.check_roster(world.admin, world.enterprise_b, upload(xlsx([row(1)])), START, today=TODAY)
    assert issues(found) == [(2, "保障计划", "plan.no_pool")]
    assert "资金池" in found.errors[0]["message"]


def test_outsider_and_worker_may_not_upload(rw):
    for user in (rw.world.outsider, rw.world.worker, rw.world.auditor):
        with pytest.raises(PermissionDenied):
            actions.check_roster(user, rw.world.enterprise_a, upload(xlsx([row(1)])), START, today=TODAY)
