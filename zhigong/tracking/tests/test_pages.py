"""The tracking pages: a worker of the enterprise reads the tracking page and the overview, an
outsider gets 404, the enterprise admin plans and reports through forms (errors beside the
field, nothing lost), and imports a spreadsheet (errors as a table and an xlsx report)."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from zhigong.tracking import actions
from zhigong.tracking.models import Entry, Measure
from zhigong.tracking.tests.conftest import measures
from zhigong.tracking.tests.test_import import filled, row


def test_worker_reads_tracking_and_outsider_gets_404(tw, world, login):
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    actions.report_progress(tw.chair, m, 60, "灶台改造过半。")
    client = login(world.worker)
    page = client.get(f"/tracking/resolutions/{tw.passed.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "灶台改造过半。" in text and "60%" in text and "留痕证明" in text
    assert "提交进度" not in text and "添加措施" not in text
    assert client.get(f"/tracking/enterprises/{world.enterprise_a.pk}/").status_code == 200
    assert client.get("/tracking/").status_code == 302  # one enterprise: straight to its overview
    outsider = login(world.outsider)
    for url in (f"/tracking/resolutions/{tw.passed.pk}/", f"/tracking/enterprises/{world.enterprise_a.pk}/",
                f"/tracking/enterprises/{world.enterprise_a.pk}/import/", f"/tracking/measures/{m.pk}/progress/"):
        response = outsider.post(url) if "progress" in url else outsider.get(url)
        assert response.status_code == 404, url


def test_forms_show_errors_beside_the_field_and_keep_the_input(tw, login):
    client = login(tw.chair)
    base = f"/tracking/resolutions/{tw.passed.pk}"
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.post(f"{base}/measures/new/", {"title": "改造灶台", "weight": "2", "due_on": due}).status_code == 302
    bad = client.post(f"{base}/measures/new/", {"title": "更换餐桌", "weight": "0", "due_on": due})
    assert bad.status_code == 400 and "权重应为1到100之间的整数。" in bad.content.decode()
    assert 'value="更换餐桌"' in bad.content.decode()
    m = Measure.objects.get()
    url = f"/tracking/measures/{m.pk}/progress/"
    assert client.post(url, {f"m{m.pk}-percent": "70", f"m{m.pk}-note": "过半"}).status_code == 302
    back = client.post(url, {f"m{m.pk}-percent": "20", f"m{m.pk}-note": "返工"})
    assert back.status_code == 400 and "进度不能低于上次的70%" in back.content.decode()
    assert Entry.objects.count() == 1
    evidence = SimpleUploadedFile("验收.pdf", b"%PDF-1.4\n%%EOF")
    ok = client.post(url, {f"m{m.pk}-percent": "20", f"m{m.pk}-note": "返工", f"m{m.pk}-reason": "验收不合格",
                           f"m{m.pk}-files": [evidence]})
    assert ok.status_code == 302
    entry = Entry.objects.latest("id")
    assert entry.reason == "验收不合格" and entry.files.count() == 1
    assert client.get(f"/tracking/evidence/{entry.files.get().pk}/").status_code == 200


def test_import_page_lists_errors_and_offers_the_report(tw, login):
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    client = login(tw.chair)
    url = f"/tracking/enterprises/{tw.enterprise.pk}/import/"
    template = client.get(f"/tracking/enterprises/{tw.enterprise.pk}/template.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).worksheets[0].cell(2, 1).value == m.pk
    response = client.post(url, {"file": SimpleUploadedFile("p.xlsx", filled([row(m, 150), row(12345, 10)]))})
    text = response.content.decode()
    assert response.status_code == 400 and "未导入任何数据" in text and "G 本次进度(%)" in text
    assert not Entry.objects.exists()
    report = client.get(response.context["errors"] and
                        f"/tracking/enterprises/{tw.enterprise.pk}/import/report/{response.context['report_key']}.xlsx")
    lines = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in lines[1:3]] == [(2, "G 本次进度(%)"), (3, "A 措施编号")]
    good = client.post(url, {"file": SimpleUploadedFile("p.xlsx", filled([row(m, 50)]))})
    assert good.status_code == 302 and Entry.objects.count() == 1


def test_worker_cannot_import_or_download_the_template(tw, world, login):
    client = login(world.worker)
    assert client.get(f"/tracking/enterprises/{tw.enterprise.pk}/import/").status_code == 403
    assert client.get(f"/tracking/enterprises/{tw.enterprise.pk}/template.xlsx").status_code == 403


def test_empty_states(world, login):
    client = login(world.outsider)
    page = client.get("/tracking/")
    assert page.status_code == 200 and "还没有设立职代会" in page.content.decode()


def test_proposal_tracking_page(tw, world, login):
    from zhigong.participation import actions as voice
    from zhigong.participation.tests.conftest import draft

    proposal = draft(tw.vw)
    voice.submit(tw.vw.cw.users[0], proposal)
    voice.start_review(tw.vw.cw.users[25], proposal)
    client = login(world.worker)
    assert client.get(f"/tracking/proposals/{proposal.pk}/").status_code == 404   # not accepted yet
    voice.accept(tw.vw.cw.users[25], proposal)
    page = client.get(f"/tracking/proposals/{proposal.pk}/")
    assert page.status_code == 200 and "立案" in page.content.decode()


def test_english_pages(tw, login):
    (m,) = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=30)))
    client = login(tw.chair)
    client.cookies["django_language"] = "en"
    text = client.get(f"/tracking/resolutions/{tw.passed.pk}/").content.decode()
    assert "How it was carried out" in text and "Report progress" in text and "落实过程" not in text
    back = client.post(f"/tracking/measures/{m.pk}/progress/", {f"m{m.pk}-percent": "120", f"m{m.pk}-note": "x"})
    assert "Progress must be between 0 and 100." in back.content.decode()
    overview = client.get(f"/tracking/enterprises/{tw.enterprise.pk}/").content.decode()
    assert "Resolutions overview" in overview and "Overdue measures" in overview
