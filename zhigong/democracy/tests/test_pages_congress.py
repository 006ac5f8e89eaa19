"""Pages of those who run the congress: they render, their forms go through the actions with
the Chinese message beside the field and the input kept, an outsider gets 404 on every
congress URL of county A, and a worker of the enterprise gets 403 on what only runs it."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern

from zhigong.democracy import actions, urls
from zhigong.democracy.models import (
    Congress,
    Constituency,
    Delegate,
    Document,
    Governance,
    InterimRequest,
    Session,
    Term,
)
from zhigong.democracy.tests.conftest import start
from zhigong.trail.models import Event


def _ok(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _field_errors(page: str, field: str) -> str:
    """The text of the error slot beside one field (web/fields.html's id_<field>_errors)."""
    match = re.search(rf'id="id_{field}_errors">(.*?)</div>\s*(?:<div class="help"|</div>)', page, re.S)
    assert match, f"no error slot for {field}"
    return match.group(1)


# --- Congress, governance, term ------------------------------------------------------------

def test_enterprise_admin_sets_up_a_congress_through_the_page(world, login):
    client = login(world.enterprise_admin)
    index = _ok(client, "/congress/")
    assert f'href="/congress/new/{world.enterprise_a.pk}/"' in index
    assert "秦淮纺织" not in index  # another county's enterprise is not offered
    response = client.post(f"/congress/new/{world.enterprise_a.pk}/", {"name": ""})
    congress = Congress.objects.get(enterprise=world.enterprise_a)
    assert response.status_code == 302 and response.url == f"/congress/{congress.pk}/"
    assert congress.name == "玄武机械有限公司职工代表大会" and congress.form == "congress"
    assert Event.objects.filter(verb="congress.create").count() == 1
    page = _ok(client, f"/congress/{congress.pk}/")
    assert "尚未开始第一届" in page and "开始新一届" in page


def test_term_form_keeps_input_and_says_why_beside_the_field(cw, login):
    client = login(cw.chair)
    response = client.post(f"/congress/{cw.congress.pk}/terms/new/", {
        "number": 2, "start_date": "2030-01-01", "end_date": "2031-06-30", "workers": 350, "women_workers": 140})
    page = response.content.decode()
    assert response.status_code == 400
    assert "每届任期应为3至5年。" in _field_errors(page, "end_date")
    assert 'value="2031-06-30"' in page and 'value="2030-01-01"' in page
    assert not Term.objects.filter(number=2).exists()


def test_congress_page_shows_checks_with_rule_figure_and_threshold(cw, login):
    page = _ok(login(cw.chair), f"/congress/{cw.congress.pk}/")
    assert "代表人数：40人，要求不少于30人" in page
    assert "中层以上管理人员代表：4人，要求不超过8人" in page
    assert "代表人数不少于职工总数的5%" in page  # the rule row's source
    assert "check-block" not in page and page.count("check check-ok") == 4


def test_hard_failure_blocks_soft_failure_warns(cw, login):
    """A second term with two delegates elected through the page: too few delegates (hard,
    red) and no front-line delegate (soft, amber)."""
    client = login(cw.chair)
    client.post(f"/congress/{cw.congress.pk}/terms/new/", {
        "number": 2, "start_date": "2030-01-01", "end_date": "2034-12-31", "workers": 350, "women_workers": 140})
    term = Term.objects.get(number=2)
    client.post(f"/congress/terms/{term.pk}/constituencies/new/", {"name": "机关", "kind": "office", "workers": 40})
    place = Constituency.objects.get(term=term)
    for delegate in cw.delegates[:2]:
        response = client.post(f"/congress/terms/{term.pk}/delegates/new/", {
            "person": delegate.person.pk, "constituency": place.pk, "elected_on": "2030-01-05",
            "voters": 40, "votes_for": 30})
        assert response.status_code == 302, response.content.decode()
    page = _ok(client, f"/congress/terms/{term.pk}/")
    block = re.search(r'<li class="check check-block">(.*?)</li>', page, re.S).group(1)
    warn = re.search(r'<li class="check check-warn">(.*?)</li>', page, re.S).group(1)
    assert "阻止召开" in block and "代表人数：2人，要求不少于30人" in block
    assert "提示" in warn and "一线职工代表：0人，要求不少于1人" in warn


def test_governance_form_and_company_law_checks(cw, login):
    client = login(cw.chair)
    response = client.post(f"/congress/{cw.congress.pk}/governance/", {
        "company_form": "llc", "has_supervisory_board": "on", "supervisory_board_size": 3})
    assert response.status_code == 302
    assert Governance.objects.get(enterprise=cw.congress.enterprise).supervisory_board_size == 3
    page = _ok(client, f"/congress/{cw.congress.pk}/")
    assert "不符合公司法" in page and "职工监事：0人，要求不少于1人" in page
    bad = client.post(f"/congress/{cw.congress.pk}/governance/", {"company_form": "kingdom",
                                                                  "supervisory_board_size": 3})
    assert bad.status_code == 400 and "kingdom" in _field_errors(bad.content.decode(), "company_form")


# --- Delegates -------------------------------------------------------------------------------

def test_elect_form_refuses_a_minority_beside_the_votes(cw, world, login):
    client = login(cw.chair)
    url = f"/congress/terms/{cw.term.pk}/delegates/new/"
    form = _ok(client, url)
    assert "张伟" in form  # an employee of the enterprise, not yet a delegate
    response = client.post(url, {"person": world.worker_person.pk, "constituency": cw.constituencies[0].pk,
                                 "elected_on": "2026-03-01", "voters": 70, "votes_for": 35, "frontline": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "得票35，未超过选区全体职工（70人）的半数，不能当选。" in _field_errors(page, "votes_for")
    assert 'value="35"' in page and f'<option value="{world.worker_person.pk}" selected>' in page
    response = client.post(url, {"person": world.worker_person.pk, "constituency": cw.constituencies[0].pk,
                                 "elected_on": "2026-03-01", "voters": 70, "votes_for": 36, "frontline": "on"})
    assert response.status_code == 302
    assert Delegate.objects.get(person=world.worker_person).frontline


def test_a_person_of_another_enterprise_cannot_be_picked(cw, world, login):
    response = login(cw.chair).post(f"/congress/terms/{cw.term.pk}/delegates/new/", {
        "person": world.person_b.pk, "constituency": cw.constituencies[0].pk, "elected_on": "2026-03-01",
        "voters": 70, "votes_for": 60})
    assert response.status_code == 400
    assert "请从列表中选择本企业在职职工。" in _field_errors(response.content.decode(), "person")


def test_person_search_by_name(cw, login):
    options = _ok(login(cw.chair), f"/congress/terms/{cw.term.pk}/people/?q=代表01")
    assert re.findall(r">(代表\d+)（", options) == [f"代表{i:03d}" for i in range(10, 20)]


def test_recall_with_vote_figures_then_by_election(cw, world, login):
    client = login(cw.chair)
    delegate = cw.delegates[0]
    failed = client.post(f"/congress/delegates/{delegate.pk}/recall/", {"votes_for_recall": 35, "on": "2026-04-01"})
    assert failed.status_code == 400
    assert "同意罢免35票，未达到选区全体职工过半数（36票），罢免不成立。" in _field_errors(
        failed.content.decode(), "votes_for_recall")
    assert client.post(f"/congress/delegates/{delegate.pk}/recall/",
                       {"votes_for_recall": 36, "on": "2026-04-01"}).status_code == 302
    term_page = _ok(client, f"/congress/terms/{cw.term.pk}/")
    assert f'href="/congress/delegates/{delegate.pk}/by-election/"' in term_page and "已罢免" in term_page
    response = client.post(f"/congress/delegates/{delegate.pk}/by-election/", {
        "person": world.worker_person.pk, "elected_on": "2026-05-01", "voters": 70, "votes_for": 50})
    assert response.status_code == 302
    assert Delegate.objects.get(person=world.worker_person).replaces == delegate


def test_committee_and_interim_requests_with_the_live_count(cw, login):
    client = login(cw.chair)
    response = client.post(f"/congress/terms/{cw.term.pk}/committees/new/", {
        "kind": "proposal", "name": "提案工作委员会", "members": [d.pk for d in cw.delegates[:3]]})
    assert response.status_code == 302
    for user in cw.users[:4]:
        assert login(user).post(f"/congress/terms/{cw.term.pk}/interim/",
                                {"by": "delegate", "reason": "讨论工资调整"}).status_code == 302
    again = login(cw.users[0]).post(f"/congress/terms/{cw.term.pk}/interim/", {"by": "delegate", "reason": "再提"})
    assert again.status_code == 400 and "请勿重复提议" in _field_errors(again.content.decode(), "reason")
    page = _ok(login(cw.chair), f"/congress/terms/{cw.term.pk}/")
    assert "已有4名代表提议，需要14名" in page and "提案工作委员会" in page
    assert InterimRequest.objects.filter(by="delegate").count() == 4


# --- Session ----------------------------------------------------------------------------------

def test_session_preparation_through_the_forms(cw, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(cw.chair)
    manage = f"/congress/sessions/{cw.session.pk}/manage/"
    refused = client.post(f"/congress/sessions/{cw.session.pk}/convene/")
    assert refused.status_code == 400 and "请先确定会议议程。" in refused.content.decode()
    bad = client.post(f"/congress/sessions/{cw.session.pk}/items/new/", {"title": "选举职工董事", "kind": "elect",
                                                                       "matter": "worker_director"})
    assert bad.status_code == 400 and "选举议程应填写应选名额。" in _field_errors(bad.content.decode(), "seats")
    assert 'value="选举职工董事"' in bad.content.decode()
    assert client.post(f"/congress/sessions/{cw.session.pk}/items/new/", {
        "title": "集体合同草案", "kind": "approve", "matter": "collective_contract"}).status_code == 302
    assert client.post(f"/congress/sessions/{cw.session.pk}/attendees/new/",
                       {"name": "王主任", "affiliation": "区总工会"}).status_code == 302
    text = client.post(f"/congress/sessions/{cw.session.pk}/documents/new/", {
        "title": "说明", "file": SimpleUploadedFile("a.txt", b"plain words", "text/plain")})
    assert text.status_code == 400 and "只能上传PDF、Word、Excel或图片文件。" in _field_errors(
        text.content.decode(), "file")
    assert client.post(f"/congress/sessions/{cw.session.pk}/documents/new/", {
        "title": "集体合同草案全文", "file": SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft", "application/pdf"),
    }).status_code == 302
    page = _ok(client, manage)
    assert "集体合同草案" in page and "王主任" in page and "集体合同草案全文" in page and "无记名投票" in page


def test_convene_shows_code_and_qr_then_open_needs_two_thirds(cw, login):
    client = login(cw.chair)
    actions.add_agenda_item(cw.chair, cw.session, "集体合同草案", "approve", matter="collective_contract")
    assert client.post(f"/congress/sessions/{cw.session.pk}/convene/").status_code == 302
    cw.session.refresh_from_db()
    page = _ok(client, f"/congress/sessions/{cw.session.pk}/manage/")
    assert cw.session.check_in_code in page and "<svg" in page
    assert f"/congress/sessions/{cw.session.pk}/check-in/?code={cw.session.check_in_code}" in page
    for delegate in cw.delegates[:26]:
        client.post(f"/congress/sessions/{cw.session.pk}/check-in/secretariat/", {"delegate": delegate.pk})
    assert cw.session.check_ins.filter(by="secretariat").count() == 26
    assert "已签到26人，开会需要27人，还差1人。" in _ok(client, f"/congress/sessions/{cw.session.pk}/manage/")
    live = _ok(client, f"/congress/sessions/{cw.session.pk}/attendance/")  # polled every 2 s
    assert 'id="present-count">26<' in live and 'id="still-needed">1<' in live and 'hx-trigger="every 2s"' in live
    refused = client.post(f"/congress/sessions/{cw.session.pk}/open/")
    assert refused.status_code == 400
    assert "出席代表26人，未达到全体代表40人的三分之二（27人），不能开会。" in refused.content.decode()
    again = client.post(f"/congress/sessions/{cw.session.pk}/check-in/secretariat/",
                        {"delegate": cw.delegates[0].pk})
    assert again.status_code == 400  # already checked in: no longer offered
    client.post(f"/congress/sessions/{cw.session.pk}/check-in/secretariat/", {"delegate": cw.delegates[30].pk})
    assert client.post(f"/congress/sessions/{cw.session.pk}/open/").status_code == 302
    cw.session.refresh_from_db()
    assert cw.session.status == Session.Status.OPEN


def test_convene_refused_while_composition_blocks(cw, login):
    for delegate in cw.delegates[:11]:
        actions.recall_delegate(cw.chair, delegate, 36, date(2026, 2, 1))
    actions.add_agenda_item(cw.chair, cw.session, "集体合同草案", "approve", matter="collective_contract")
    client = login(cw.chair)
    page = _ok(client, f"/congress/sessions/{cw.session.pk}/manage/")
    assert "代表构成不符合规定，会议不能召开" in page and "代表人数：29人，要求不少于30人" in page
    refused = client.post(f"/congress/sessions/{cw.session.pk}/convene/")
    assert refused.status_code == 400
    assert "代表构成不符合规定：代表人数为29人，要求不少于30人，不能召开会议。" in refused.content.decode()


def test_advise_item_summary_through_the_form(cw, login):
    start(cw, items=[("生产经营情况报告", "advise", {"matter": "business_report"})])
    item = cw.session.items.get()
    client = login(cw.chair)
    empty = client.post(f"/congress/items/{item.pk}/advise/", {f"advise-{item.pk}-summary": " "})
    assert empty.status_code == 400 and "必填" in _field_errors(empty.content.decode(), f"advise-{item.pk}-summary")
    done = client.post(f"/congress/items/{item.pk}/advise/", {f"advise-{item.pk}-summary": "代表建议加快技改。"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.resolution.text == "代表建议加快技改。"


# --- Who may reach what ------------------------------------------------------------------------

@pytest.fixture
def objects(cw, world, settings, tmp_path):
    """One of everything the congress URLs name, in enterprise A."""
    settings.MEDIA_ROOT = tmp_path
    start(cw, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    item = cw.session.items.get()
    document = actions.upload_document(cw.chair, cw.session, "草案", SimpleUploadedFile(
        "d.pdf", b"%PDF-1.4 x", "application/pdf"))
    actions.open_voting(cw.chair, item)
    for user in cw.users[:25]:
        actions.cast_ballot(user, item, {"choice": "yes"})
    actions.close_voting(cw.chair, item)
    item.refresh_from_db()
    return {"": cw.congress.pk, "new": world.enterprise_a.pk, "terms": cw.term.pk, "sessions": cw.session.pk,
            "items": item.pk, "delegates": cw.delegates[0].pk, "resolutions": item.resolution.pk,
            "documents": document.pk, "congress": cw.congress, "document": Document.objects.get(pk=document.pk)}


def congress_urls(objects) -> list[str]:
    """Every congress URL that names an object, filled with the objects of county A."""
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if "<int:" not in route:
            continue
        head = route.split("/")[0]
        key = "" if head.startswith("<") else head
        found.append("/congress/" + re.sub(r"<int:\w+>", str(objects[key]), route))
    return found


def test_outsider_gets_404_on_every_congress_url(objects, world, login):
    client = login(world.outsider)
    checked = congress_urls(objects)
    assert len(checked) >= 34  # every URL but the index and "my sessions"
    for url in checked:
        # 405 for a GET of a POST-only URL says nothing about the object; every POST reaches
        # the policy, which must not admit that the object exists.
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"name": "x", "code": "1"}).status_code == 404, url
    index = _ok(client, "/congress/")
    assert objects["congress"].name not in index


def test_worker_may_read_but_gets_403_on_what_runs_the_congress(objects, world, login):
    client = login(world.worker)  # an employee of enterprise A, not a delegate
    assert "集体合同草案" in _ok(client, f"/congress/sessions/{objects['sessions']}/")
    assert "开始新一届" not in _ok(client, f"/congress/{objects['']}/")
    _ok(client, f"/congress/resolutions/{objects['resolutions']}/")
    assert client.get(f"/congress/documents/{objects['documents']}/").status_code == 200
    for url in congress_urls(objects):
        if any(part in url for part in ("/manage/", "/new/", "/recall/", "/by-election/", "/open/", "/close/",
                                        "/convene/", "/advise/", "/governance/", "/people/", "/secretariat/",
                                        "/attendance/")):
            assert client.post(url, {"name": "x"}).status_code == 403, url
    assert client.get(f"/congress/sessions/{objects['sessions']}/manage/").status_code == 403
    assert client.get(f"/congress/items/{objects['items']}/vote/").status_code == 403  # not a delegate
