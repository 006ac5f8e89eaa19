"""The evaluation in a real browser (Debian's Chromium through Playwright): a cadre opens the
evaluation, computes the county's grades, reads the ranking with its weakest-indicator chart,
opens an enterprise's evaluation (radar) and its report, and downloads the PDF, whose first page
is rendered to a PNG with pdftoppm; a worker answers the survey on a 360-px phone. Screenshots
go to var/screenshots/evaluation-*.png."""

import subprocess

import pytest

from zhigong.conftest import PHONE
from zhigong.env import VAR_DIR
from zhigong.evaluation import actions
from zhigong.evaluation.models import Evaluation, SurveyAnswer
from zhigong.participation.tests.test_browser import click_and_wait, open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SHOTS = VAR_DIR / "screenshots"


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"evaluation-{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_cadre_reads_the_ranking_and_a_report(ew, world, live_server, browser):
    from playwright.sync_api import expect

    actions.enter_score(world.cadre_a, world.enterprise_a, ew.year, "federation_review", 86.5, "程序规范，材料齐全。")
    actions.enter_score(ew.assessor, world.enterprise_a, ew.year, "assessor_review", 78, "抽查决议落实，个别滞后。")
    cadre = open_as(browser, live_server, world.cadre_a, DESKTOP)
    cadre.goto(f"{live_server.url}/evaluation/")
    click_and_wait(cadre, f"a[href='/evaluation/federations/{world.county_a.pk}/{ew.year}/']")
    click_and_wait(cadre, "form[action$='/compute/'] button")
    expect(cadre.locator(".messages")).to_contain_text("已计算3家企业")
    expect(cadre.locator("#ranking tbody tr")).to_have_count(3)
    expect(cadre.locator(".chart[data-chart=weakest]")).to_have_attribute("data-drawn", "1")
    shot(cadre, "ranking-desktop")
    assert Evaluation.objects.filter(year=ew.year).count() == 3

    click_and_wait(cadre, f"#ranking a[href='/evaluation/enterprises/{world.enterprise_a.pk}/{ew.year}/']")
    expect(cadre.locator(".chart[data-chart=radar]")).to_have_attribute("data-drawn", "1")
    expect(cadre.locator("#line-proposals_on_time")).to_contain_text("按期答复的提案 3 ÷ 当年到期或已答复的提案 5")
    shot(cadre, "enterprise-desktop")
    click_and_wait(cadre, "a:has-text('评价报告')")
    expect(cadre.locator(".report svg").first).to_be_visible()
    shot(cadre, "report-desktop")

    base = f"{live_server.url}/evaluation"
    document = cadre.request.get(f"{base}/enterprises/{world.enterprise_a.pk}/{ew.year}/report.pdf")
    assert document.status == 200 and document.body().startswith(b"%PDF")
    pdf_path = SHOTS / "evaluation-report.pdf"
    pdf_path.write_bytes(document.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                    str(SHOTS / "evaluation-report-pdf-page1")], check=True)
    assert (SHOTS / "evaluation-report-pdf-page1.png").stat().st_size > 10_000
    federation_pdf = cadre.request.get(f"{base}/federations/{world.county_a.pk}/{ew.year}/report.pdf")
    (SHOTS / "evaluation-federation.pdf").write_bytes(federation_pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(SHOTS / "evaluation-federation.pdf"), str(SHOTS / "evaluation-federation-pdf-page1")],
                   check=True)

    phone = open_as(browser, live_server, world.cadre_a, PHONE)
    phone.goto(f"{live_server.url}/evaluation/federations/{world.county_a.pk}/{ew.year}/")
    expect(phone.locator(".chart[data-chart=weakest]")).to_have_attribute("data-drawn", "1")
    no_sideways_scroll(phone)
    shot(phone, "ranking-phone")
    phone.goto(f"{live_server.url}/evaluation/enterprises/{world.enterprise_a.pk}/{ew.year}/")
    expect(phone.locator(".chart[data-chart=radar]")).to_have_attribute("data-drawn", "1")
    no_sideways_scroll(phone)
    shot(phone, "enterprise-phone")


def test_a_worker_answers_the_survey_on_a_phone(ew, world, live_server, browser):
    from playwright.sync_api import expect

    survey = actions.open_survey(world.cadre_a, world.enterprise_a, ew.year)
    worker = open_as(browser, live_server, world.worker, PHONE)
    worker.goto(f"{live_server.url}/evaluation/")
    click_and_wait(worker, f"a[href='/evaluation/surveys/{survey.pk}/']")
    no_sideways_scroll(worker)
    for n, q in enumerate(survey.questions):
        worker.check(f"input[name={q['code']}][value='{4 if n % 2 else 5}']")
    shot(worker, "survey-phone")
    click_and_wait(worker, "form.survey-form button[type=submit]")
    expect(worker.locator("#answered")).to_be_visible()
    assert SurveyAnswer.objects.count() == 1
