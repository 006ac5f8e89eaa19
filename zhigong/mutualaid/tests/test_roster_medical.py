"""参加职工医保 (in employee medical insurance): the roster's optional column, refused for a plan
that requires it when the row says 否, stored on the cover, kept on renewal, and used (and
explained in Chinese) by the claim adjudication's eligibility step. An older template without
the column still imports, every row counting as 是."""

from datetime import date

import pytest

from zhigong.mutualaid import actions_claims
from zhigong.mutualaid import actions_roster as actions
from zhigong.mutualaid import rules_roster as rules
from zhigong.mutualaid.models import Coverage, Enrolment
from zhigong.mutualaid.tests import claims_setup
from zhigong.mutualaid.tests.roster_fixtures import START, TODAY, build, make_plan, row, upload, xlsx

pytestmark = pytest.mark.django_db


def checked(values, requires=True):
    plan = rules.PlanTerms("p", "计划", 16, 60, 3, False, 90, START, date(2026, 12, 31),
                           requires_medical_insurance=requires)
    terms = rules.Terms({"p": plan}, frozenset({"320102"}), START, TODAY)
    raw = [row(n + 1, plan="p", 参加职工医保=v) for n, v in enumerate(values)]
    positions = {c.key: i for i, c in enumerate(rules.COLUMNS)}
    return rules.check_rows(rules.rows_from_cells(list(range(2, 2 + len(raw))), raw, positions), terms)


def test_yes_no_values_and_blank_as_yes():
    assert [rules.parse_yes_no(v) for v in ("是", "否", "", None, "Y", "n", 1.0, 0, "有", "无")] == [
        True, False, True, True, True, False, True, False, True, False]
    with pytest.raises(ValueError, match="medical_insured.format"):
        rules.parse_yes_no("也许")


def test_rules_refuse_no_for_a_plan_that_requires_it_and_keep_the_flag():
    found = checked(["是", "否", "", "不知道"])
    assert [(i.row, i.column, i.code) for i in found.issues] == [
        (3, "参加职工医保", "eligibility.medical_insurance"), (5, "参加职工医保", "medical_insured.format")]
    assert found.ok.tolist() == [True, False, True, False]
    assert found.medical_insured[:3] == [True, False, True]
    relaxed = checked(["否"], requires=False)
    assert relaxed.issues == [] and relaxed.medical_insured == [False]


def test_an_old_template_without_the_column_is_not_refused():
    headers = [h for h in rules.HEADERS if h != "参加职工医保"]
    assert rules.match_header(headers).issues == []
    assert {i.code for i in rules.match_header(headers[:-1]).issues} == {"header.missing"}


@pytest.fixture
def rw(world):
    return build(world)


def check(rw, rows, header=None):
    return actions.check_roster(rw.world.enterprise_admin, rw.world.enterprise_a, upload(xlsx(rows, header)), START,
                                today=TODAY)


def test_import_refuses_no_with_row_column_and_chinese_message(rw):
    found = check(rw, [row(1, 参加职工医保="是"), row(2, 参加职工医保="否")])
    assert [(i["row"], i["column"], i["code"]) for i in found.errors] == [
        (3, "参加职工医保", "eligibility.medical_insurance")]
    assert found.errors[0]["message"] == (
        "“职工重大疾病互助保障（测试）”要求参加职工基本医疗保险，本行“参加职工医保”为“否”，不能参加。")


def test_the_flag_is_stored_on_the_cover_and_an_old_template_imports_as_yes(rw):
    relaxed, _version = make_plan("t-buzhi", "不要求医保的计划（测试）")
    _version.requires_medical_insurance = False
    _version.save()
    rw.pool.plans.add(relaxed)
    found = check(rw, [row(1), row(2, plan="t-buzhi", 参加职工医保="否")])
    assert found.error_rows == 0
    actions.import_roster(rw.world.enterprise_admin, found, today=TODAY)
    old_header = [h for h in rules.HEADERS if h != "参加职工医保"]
    older = check(rw, [row(3)[:-1]], header=old_header)
    assert older.error_rows == 0
    actions.import_roster(rw.world.enterprise_admin, older, today=TODAY)
    stored = dict(Coverage.objects.values_list("person__name", "medical_insured"))
    assert stored == {"职工1": True, "职工2": False, "职工3": True}


def test_renewal_keeps_the_flag_and_refuses_when_the_new_version_requires_it(rw):
    relaxed, version = make_plan("t-buzhi", "不要求医保的计划（测试）")
    version.requires_medical_insurance = False
    version.save()
    rw.pool.plans.add(relaxed)
    actions.import_roster(rw.world.enterprise_admin, check(rw, [row(1, plan="t-buzhi", 参加职工医保="否"),
                                                                row(2, plan="t-buzhi")]), today=TODAY)
    from zhigong.mutualaid.tests.roster_fixtures import add_version

    add_version(relaxed, date(2027, 1, 1), requires_medical_insurance=True)
    result = actions.renew_enrolment(rw.world.enterprise_admin, Enrolment.objects.get(), today=date(2026, 12, 1))
    assert [(r["name"], r["code"]) for r in result.refused] == [("职工1", "eligibility.medical_insurance")]
    assert list(result.enrolment.coverages.values_list("person__name", "medical_insured")) == [("职工2", True)]


def test_adjudication_refuses_and_explains_without_medical_insurance(world):
    cw = claims_setup.build(world)
    coverage = claims_setup.cover(cw, "zgbx-zhuyuan")
    coverage.medical_insured = False
    coverage.save(update_fields=["medical_insured"])
    claim = actions_claims.submit_claim(world.worker, claims_setup.stay(coverage, date(2026, 5, 1), 10),
                                        [("invoice", claims_setup.pdf())])
    assert claim.computed_fen == 0
    assert [s["code"] for s in claim.explanation if s["code"] == "no_medical_insurance"] == ["no_medical_insurance"]
    assert any("花名册登记该职工未参加职工医保" in s["text"] for s in claim.explanation)
    coverage.medical_insured = True
    coverage.save(update_fields=["medical_insured"])
    again = actions_claims.submit_claim(world.worker, claims_setup.stay(coverage, date(2026, 7, 1), 10),
                                        [("invoice", claims_setup.pdf())])
    assert again.computed_fen == 35000


def test_one_worker_through_the_api_with_medical_insurance_no(rw, client):
    from zhigong.core import actions as core
    from zhigong.mutualaid.tests.roster_fixtures import person_id

    auth = {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(rw.world.enterprise_admin, 't')[1]}"}
    url = f"/api/v1/mutualaid/roster/enterprises/{rw.world.enterprise_a.pk}/coverages"
    body = {"name": "职工9", "id_number": person_id(9), "employment_start": "2015-07-01", "plan": "t-zhongji",
            "starts_on": "2026-01-01", "medical_insured": "否"}
    refused = client.post(url, body, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["details"]["field"]) == (
        "eligibility.medical_insurance", "medical_insured")
    assert Coverage.objects.count() == 0
    made = client.post(url, {**body, "medical_insured": "是"}, content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["medical_insured"] is True


def test_the_coverage_page_shows_the_flag(rw, login):
    relaxed, version = make_plan("t-buzhi", "不要求医保的计划（测试）")
    version.requires_medical_insurance = False
    version.save()
    rw.pool.plans.add(relaxed)
    actions.import_roster(rw.world.enterprise_admin, check(rw, [row(1, plan="t-buzhi", 参加职工医保="否")]),
                          today=TODAY)
    cover = Coverage.objects.get()
    page = login(rw.world.enterprise_admin).get(f"/mutualaid/roster/coverages/{cover.pk}/").content.decode()
    assert "参加职工医保</dt><dd>否</dd>" in page
