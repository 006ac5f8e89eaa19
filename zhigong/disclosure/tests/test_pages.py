"""The pages: a worker's list and reading page (acknowledge, ask), an admin's catalogue,
calendar, compliance and publishing with its confirmation and its errors beside the fields,
corrections, the department's answer, a federation's heat map and ranking; outsiders get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.disclosure.models import Matter, Publication, Question
from zhigong.disclosure.tests.conftest import pdf, publish


def _html(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def test_worker_reads_acknowledges_and_asks(world, dw, login):
    p = publish(world, dw, "pay_adjustment", "2026", table={"columns": ["岗位", "涨幅"], "rows": [["操作工", "6%"]]})
    client = login(world.worker)
    index = _html(client.get("/disclosure/"))
    assert p.title in index and "未读" in index
    page = _html(client.get(f"/disclosure/p/{p.pk}/"))
    assert "<th>岗位</th>" in page and "我已阅读" in page and "0人已阅" in page
    client.post(f"/disclosure/p/{p.pk}/acknowledge/")
    assert "您已确认阅读" in _html(client.get(f"/disclosure/p/{p.pk}/")) and p.acknowledgements.count() == 1
    empty = _html(client.post(f"/disclosure/p/{p.pk}/ask/", {"text": ""}), 400)
    assert "has-error" in empty
    client.post(f"/disclosure/p/{p.pk}/ask/", {"text": "派遣工也调吗？"})
    assert Question.objects.get().text == "派遣工也调吗？"
    assert _html(client.get(f"/disclosure/p/{p.pk}/correct/"), 403)


def test_admin_publishes_after_confirming_and_sees_green(world, dw, login):
    client = login(world.enterprise_admin)
    safety = dw.matter(world, "safety")
    form = _html(client.get(f"/disclosure/enterprise/{world.enterprise_a.pk}/publish/?matter={safety.pk}"))
    assert "发布后不能修改" in form and 'name="confirm"' in form
    data = {"matter": safety.pk, "period": "2026-Q1", "title": "一季度安全生产情况", "text": "无事故。",
            "table": "项目|数量\n隐患排查|12", "files": [pdf()]}
    refused = _html(client.post(f"/disclosure/enterprise/{world.enterprise_a.pk}/publish/", data), 400)
    assert "请勾选确认" in refused and "无事故。" in refused  # the input is kept
    bad_file = {**data, "confirm": "on", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]}
    url = f"/disclosure/enterprise/{world.enterprise_a.pk}/publish/"
    assert "只能上传PDF" in _html(client.post(url, bad_file), 400)
    response = client.post(f"/disclosure/enterprise/{world.enterprise_a.pk}/publish/",
                           {**data, "confirm": "on", "files": [pdf()]})  # a fresh upload: the first was read
    p = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disclosure/p/{p.pk}/"
    assert p.table == {"columns": ["项目", "数量"], "rows": [["隐患排查", "12"]]} and p.files.count() == 1
    assert client.get(f"/disclosure/p/{p.pk}/files/{p.files.get().pk}/").status_code == 200
    for path in ("catalogue", "calendar", "compliance", ""):
        _html(client.get(f"/disclosure/enterprise/{world.enterprise_a.pk}/{path + '/' if path else ''}"))


def test_correction_page_requires_a_reason(world, dw, login):
    p = publish(world, dw)
    client = login(world.enterprise_admin)
    refused = _html(client.post(f"/disclosure/p/{p.pk}/correct/", {"reason": "", "title": p.title, "text": "新"}), 400)
    assert "请填写更正原因" in refused
    client.post(f"/disclosure/p/{p.pk}/correct/", {"reason": "笔误", "title": p.title, "text": "新"})
    page = _html(client.get(f"/disclosure/p/{p.pk}/"))
    assert "本版本已被更正" in page and "笔误" in page and "全部版本" in page


def test_catalogue_adds_a_matter_and_the_department_answers(world, dw, login):
    client = login(world.enterprise_admin)
    url = f"/disclosure/enterprise/{world.enterprise_a.pk}/catalogue/"
    assert "请选择" in _html(client.post(url, {"name": "食堂收支", "category": "", "frequency": "monthly",
                                              "audience": "workers"}), 400)
    client.post(url, {"name": "食堂收支", "category": "insurance", "frequency": "monthly", "audience": "workers",
                      "department": dw.hr.pk})
    assert Matter.objects.get(name="食堂收支").department == dw.hr
    p = publish(world, dw, "pay_adjustment", "2026")
    question = Question.objects.create(publication=p, asker=world.worker, text="问")
    clerk = login(dw.clerk)
    assert "问" in _html(clerk.get("/disclosure/questions/"))
    clerk.post(f"/disclosure/questions/{question.pk}/", {"answer": "答"})
    question.refresh_from_db()
    assert question.answer == "答"


def test_federation_heat_map_and_ranking(world, dw, login):
    publish(world, dw)
    page = _html(login(world.cadre_a).get(f"/disclosure/federation/{world.county_a.pk}/?year=2026"))
    assert world.enterprise_a.name in page and 'id="ranking"' in page and "chart-data" in page


@pytest.mark.parametrize("path", ["/disclosure/enterprise/{e}/", "/disclosure/enterprise/{e}/calendar/",
                                  "/disclosure/enterprise/{e}/compliance/", "/disclosure/enterprise/{e}/publish/",
                                  "/disclosure/p/{p}/", "/disclosure/federation/{f}/"])
def test_outsider_gets_404(world, dw, login, path):
    p = publish(world, dw)
    url = path.format(e=world.enterprise_a.pk, p=p.pk, f=world.county_a.pk)
    assert login(world.outsider).get(url).status_code == 404


def test_english_pages(world, dw, login):
    p = publish(world, dw)
    client = login(world.worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _html(client.get(f"/disclosure/p/{p.pk}/"))
    assert "I have read it" in page


def test_publishing_waits_for_the_catalogue_and_a_get_writes_nothing(world, login):
    client = login(world.enterprise_admin)
    response = client.get(f"/disclosure/enterprise/{world.enterprise_a.pk}/publish/")
    assert response.status_code == 302 and response["Location"].endswith("/catalogue/")
    assert not Matter.objects.exists()
    page = _html(client.get(response["Location"]))
    assert "采用默认目录" in page and "集体合同草案" in page  # the defaults shown before adoption
    client.post(response["Location"], {"adopt": "1"})
    assert Matter.objects.filter(enterprise=world.enterprise_a, default=True).count() == 18
