"""Evaluation pages: the cadre's ranking and an enterprise's evaluation, reports as page and PDF,
the score form keeping its input beside the error, the survey on a phone, 404 to outsiders."""

import pytest

from zhigong.evaluation import actions
from zhigong.evaluation.models import PartyScore, SurveyAnswer


@pytest.fixture
def computed(ew, world):
    actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 88, "会议规范。")
    actions.compute_federation(world.cadre_a, world.county_a, ew.year)
    return ew


def test_the_cadre_sees_the_ranking(computed, world, login):
    page = login(world.cadre_a).get(f"/evaluation/federations/{world.county_a.pk}/{computed.year}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert world.enterprise_a.name in html and "薄弱指标" in html and 'id="ranking"' in html
    assert html.index(world.enterprise_a.name) < html.index("玄武物流有限公司")


def test_the_enterprise_page_shows_how_each_score_came_about(computed, world, login):
    page = login(world.enterprise_admin).get(f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "按期答复的提案 3 ÷ 当年到期或已答复的提案 5" in html and 'id="improve"' in html
    assert "会议规范。" in html               # the federation's reasons
    assert 'id="score-federation_review"' not in html   # the enterprise does not score itself


def test_reports_as_page_and_pdf(computed, world, login):
    client = login(world.cadre_a)
    base = f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/report"
    page = client.get(base + "/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    document = client.get(base + ".pdf")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    federation = client.get(f"/evaluation/federations/{world.county_a.pk}/{computed.year}/report.pdf")
    assert federation.status_code == 200 and federation.content.startswith(b"%PDF")


def test_a_bad_score_is_shown_beside_the_field_and_nothing_is_saved(computed, world, login):
    url = f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/"
    response = login(world.cadre_a).post(url, {"code": "federation_review", "federation_review-value": "120",
                                                "federation_review-note": "补充材料后上调"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "得分应在0到100之间。" in html and "补充材料后上调" in html
    assert PartyScore.objects.get().value_tenths == 880


def test_outsiders_get_404(computed, world, login):
    client = login(world.outsider)
    for url in (f"/evaluation/federations/{world.county_a.pk}/{computed.year}/",
                f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/",
                f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/report.pdf",
                f"/evaluation/federations/{world.county_a.pk}/{computed.year}/report/"):
        assert client.get(url).status_code == 404, url


def test_a_worker_answers_the_survey_once(computed, world, login):
    survey = actions.open_survey(world.cadre_a, world.enterprise_a, computed.year)
    client = login(world.worker)
    assert f"/evaluation/surveys/{survey.pk}/" in client.get("/evaluation/").content.decode()
    answers = {q["code"]: "4" for q in survey.questions}
    incomplete = client.post(f"/evaluation/surveys/{survey.pk}/", {"overall": "5"})
    assert incomplete.status_code == 400 and not SurveyAnswer.objects.exists()
    done = client.post(f"/evaluation/surveys/{survey.pk}/", answers, follow=True)
    assert 'id="answered"' in done.content.decode()
    client.post(f"/evaluation/surveys/{survey.pk}/", answers)
    assert SurveyAnswer.objects.count() == 1


def test_the_page_in_english(computed, world, login):
    client = login(world.cadre_a)
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get(f"/evaluation/federations/{world.county_a.pk}/{computed.year}/").content.decode()
    assert "Weakest indicators" in html and "薄弱指标" not in html


def test_the_assessor_scores_on_the_page(computed, world, login):
    client = login(computed.assessor)
    url = f"/evaluation/enterprises/{world.enterprise_a.pk}/{computed.year}/"
    html = client.get(url).content.decode()
    assert 'id="score-assessor_review"' in html and 'id="score-federation_review"' not in html
    response = client.post(url, {"code": "assessor_review", "assessor_review-value": "76.5",
                                 "assessor_review-note": "现场核查。"})
    assert response.status_code == 302
    assert PartyScore.objects.get(code="assessor_review").value_tenths == 765
    assert world.enterprise_a.name in client.get("/evaluation/").content.decode()
