"""Proposals through the pages: drafting with similar proposals beside the form, co-signing,
submitting, the committee, the departments, the rating; every refusal in Chinese with nothing
written; search, the department's queue and the board."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from zhigong.participation import actions, queries
from zhigong.participation.models import Proposal, ProposalFile
from zhigong.participation.tests.conftest import draft
from zhigong.trail.models import Event

TITLE = "关于提高高温津贴标准的提案"


def as_user(client, user):
    client.logout()
    client.force_login(user, backend="zhigong.core.auth.UsernameOrMobileBackend")
    return client


def text(response) -> str:
    return response.content.decode()


def new_draft_data(vw, **overrides) -> dict:
    data = {"session": vw.cw.session.pk, "title": TITLE, "cause": "车间温度高，津贴偏低。",
            "measures": "按市标准上调。", "category": "wages"}
    return {**data, **overrides}


def act(client, proposal, verb, data=None):
    return client.post(f"/proposals/{proposal.pk}/{verb}/", data or {})


def submitted(vw, i=0, **kwargs) -> Proposal:
    p = draft(vw, i, **kwargs)
    actions.submit(vw.cw.users[i], p)
    return p


def png_upload(name="evidence.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


# --- Drafting -----------------------------------------------------------------------------------

def test_draft_form_watches_for_similar_proposals(vw, client):
    earlier = submitted(vw, 0)
    as_user(client, vw.cw.users[5])
    page = text(client.get("/proposals/new/"))
    assert 'hx-post="/proposals/similar/"' in page and 'hx-trigger="keyup changed delay:600ms"' in page
    panel = client.post("/proposals/similar/", {"session": vw.cw.session.pk, "title": "天气炎热，希望上调高温补贴",
                                                "cause": "", "measures": ""})
    assert panel.status_code == 200
    assert earlier.title in text(panel) and "去附议" in text(panel)
    assert f"/proposals/{earlier.pk}/#cosign" in text(panel)
    unrelated = client.post("/proposals/similar/", {"session": vw.cw.session.pk, "title": "职工书屋图书太少，希望增加"})
    assert earlier.title not in text(unrelated) and "没有找到相似的提案" in text(unrelated)


def test_a_delegate_drafts_with_an_attachment(vw, client, world):
    as_user(client, vw.cw.users[0])
    pdf = SimpleUploadedFile("调研.pdf", b"%PDF-1.4 survey", content_type="application/pdf")
    response = client.post("/proposals/new/", {**new_draft_data(vw), "attachments": [pdf]})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.state == "draft" and proposal.files.get().title == "调研.pdf"
    page = text(client.get(response["Location"]))
    assert "征集附议" in page and f"http://testserver/proposals/{proposal.pk}/" in page
    assert "已有 0 名代表附议，至少需要 2 名。" in page
    file_url = f"/proposals/{proposal.pk}/files/{proposal.files.get().pk}/"
    assert file_url in page
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 survey"
    assert download["Content-Type"] == "application/pdf"
    as_user(client, world.outsider)
    assert client.get(file_url).status_code == 404


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "这个字段是必填项。"),
    ("cause", "   ", "这个字段是必填项。"),
    ("title", "题" * 201, "不能超过200个字。"),
    ("measures", "措" * 10001, "不能超过10000个字。"),
])
def test_empty_or_oversized_text_writes_nothing(vw, client, field, value, message):
    as_user(client, vw.cw.users[0])
    events = Event.objects.count()
    response = client.post("/proposals/new/", new_draft_data(vw, **{field: value}))
    assert response.status_code == 200
    page = text(response)
    assert message in page and f'id="id_{field}_errors"' in page
    assert not Proposal.objects.exists() and Event.objects.count() == events
    if value.strip():
        assert value in page  # the input is kept


def test_wrong_attachment_type_leaves_no_half_draft(vw, client):
    as_user(client, vw.cw.users[0])
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00 not a document", content_type="application/octet-stream")
    response = client.post("/proposals/new/", {**new_draft_data(vw), "attachments": [exe]})
    assert "只能上传PDF、Word、Excel或图片文件。" in text(response)
    assert not Proposal.objects.exists() and not ProposalFile.objects.exists()


def test_only_delegates_get_the_draft_form(vw, client, world):
    as_user(client, world.worker)
    page = text(client.get("/proposals/new/"))
    assert "目前没有您可以提出提案的会议" in page and "<form" not in page.split("<main")[1]


# --- Co-signing and submitting ------------------------------------------------------------------

def test_cosign_from_the_link_then_submit(vw, client):
    p = draft(vw, 0, cosigners=())
    for i in (1, 2):
        as_user(client, vw.cw.users[i])
        assert "我要附议" in text(client.get(f"/proposals/{p.pk}/"))
        response = act(client, p, "cosign")
        assert response.status_code == 302
    as_user(client, vw.cw.users[0])
    response = act(client, p, "submit")
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.state == "submitted" and p.number


def test_cosign_from_the_list_of_open_drafts(vw, client):
    p = draft(vw, 0, cosigners=())
    as_user(client, vw.cw.users[7])
    page = text(client.get("/proposals/"))
    assert "等待附议的提案草稿" in page and f"/proposals/{p.pk}/cosign/" in page
    act(client, p, "cosign")
    assert p.signers.filter(delegate=vw.cw.delegates[7]).exists()
    assert f"/proposals/{p.pk}/cosign/" not in text(client.get("/proposals/"))


def test_double_cosign_is_refused(vw, client):
    p = draft(vw, 0, cosigners=(1,))
    as_user(client, vw.cw.users[1])
    assert "我要附议" not in text(client.get(f"/proposals/{p.pk}/"))
    response = act(client, p, "cosign")
    assert response.status_code == 200 and "您已附议过该提案。" in text(response)
    assert p.signers.count() == 2


def test_cosigning_ones_own_proposal_is_refused(vw, client):
    p = draft(vw, 0, cosigners=())
    as_user(client, vw.cw.users[0])
    response = act(client, p, "cosign")
    assert "不能附议自己的提案。" in text(response)
    assert p.signers.count() == 1


def test_submit_without_cosigners_is_refused(vw, client):
    p = draft(vw, 0, cosigners=(1,))
    as_user(client, vw.cw.users[0])
    events = Event.objects.count()
    response = act(client, p, "submit")
    assert "提案需要至少2名代表附议，目前1名。" in text(response)
    p.refresh_from_db()
    assert p.state == "draft" and Event.objects.count() == events


def test_submit_after_the_window_closed_is_refused(vw, client):
    today = timezone.localdate()
    actions.set_window(vw.cw.chair, vw.cw.session, today - timedelta(days=30), today - timedelta(days=1))
    p = draft(vw)
    as_user(client, vw.cw.users[0])
    assert "当前不在本次会议的提案征集期内。" in text(act(client, p, "submit"))
    p.refresh_from_db()
    assert p.state == "draft"


# --- Committee, departments, rating -----------------------------------------------------------

def test_the_whole_way_through_the_pages(vw, client):
    cw = vw.cw
    p = submitted(vw)
    member = cw.users[25]
    as_user(client, member)
    page = text(client.get(f"/proposals/{p.pk}/"))
    verbs = page.split('id="verbs"')[1].split("</section>")[0]
    assert f"/proposals/{p.pk}/start-review/" in verbs and "/accept/" not in verbs
    assert act(client, p, "start-review").status_code == 302
    assert act(client, p, "accept").status_code == 302
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = act(client, p, "assign", {"assign-lead_department": vw.production.pk,
                                         "assign-co_departments": [vw.logistics.pk], "assign-due_on": due})
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.state, p.lead_department, p.due_on.isoformat()) == ("assigned", vw.production, due)

    as_user(client, vw.clerk)
    assert p.title in text(client.get("/proposals/queue/"))
    act(client, p, "answer", {"answer-answer": "已调研，拟于下月起上调。", "answer-planned_measures": "修订津贴办法。"})
    act(client, p, "progress", {"progress-percent": 50, "progress-note": "办法已修订。",
                                "progress-file": [png_upload()]})
    act(client, p, "progress", {"progress-percent": 100, "progress-note": "已按新标准发放。"})
    p.refresh_from_db()
    assert p.state == "carried_out" and p.files.filter(kind="evidence").count() == 1

    as_user(client, cw.users[0])
    page = text(client.get(f"/proposals/{p.pk}/"))
    assert "评价办理结果" in page and "满意" in page and "基本满意" in page and "不满意" in page
    assert act(client, p, "rate", {"rate-rating": "satisfied"}).status_code == 302
    p.refresh_from_db()
    assert p.state == "closed" and p.rating == "satisfied"

    page = text(client.get(f"/proposals/{p.pk}/"))
    events = Event.objects.filter(object_type="participation.proposal", object_id=str(p.pk)).order_by("seq")
    for label in ("起草", "附议", "提交", "开始审查", "立案", "交办", "答复", "报告落实进度", "落实完毕", "提案人评价"):
        assert f'<span class="what">{label}' in page, label
    assert all(f"#{e.seq}<" in page for e in events)
    assert 'id="verbs"' not in page  # nothing left for the proposer to do


def test_convert_shows_the_reason_to_the_proposer(vw, client):
    p = submitted(vw)
    actions.start_review(vw.cw.chair, p)
    as_user(client, vw.cw.users[26])
    response = act(client, p, "convert", {"convert-reason": ""})
    assert "这个字段是必填项。" in text(response)
    act(client, p, "convert", {"convert-reason": "属于日常管理事项，转职能部门办理。"})
    as_user(client, vw.cw.users[0])
    page = text(client.get(f"/proposals/{p.pk}/"))
    assert "提案审查意见" in page and "属于日常管理事项" in page


def test_merge_through_the_page(vw, client):
    a = submitted(vw, 0)
    b = submitted(vw, 3, title="关于上调夏季高温补贴的提案", cosigners=(4, 5))
    as_user(client, vw.cw.users[25])
    page = text(client.get(f"/proposals/{b.pk}/"))
    assert "并案" in page and a.title in page
    assert act(client, b, "merge", {"merge-into": a.pk}).status_code == 302
    b.refresh_from_db()
    assert b.state == "merged" and b.merged_into_id == a.pk


def test_a_forged_post_gets_the_chinese_refusal(vw, client):
    p = submitted(vw)
    as_user(client, vw.cw.users[5])  # an ordinary delegate
    page = text(client.get(f"/proposals/{p.pk}/"))
    assert "/start-review/" not in page and "/accept/" not in page
    response = act(client, p, "start-review")
    assert response.status_code == 403 and "您无权对该提案进行此操作。" in text(response)
    p.refresh_from_db()
    assert p.state == "submitted"


def test_an_illegal_transition_is_refused_in_chinese(vw, client):
    p = submitted(vw)
    as_user(client, vw.cw.users[25])
    response = act(client, p, "accept")  # must be under review first
    assert "提案当前状态为“已提交”，不能进行此操作。" in text(response)
    p.refresh_from_db()
    assert p.state == "submitted"


def test_progress_cannot_go_backwards(vw, client):
    p = submitted(vw)
    for verb in (actions.start_review, actions.accept):
        verb(vw.cw.chair, p)
    actions.assign(vw.cw.chair, p, vw.production, [])
    actions.answer(vw.clerk, p, "答复", "措施")
    actions.report_progress(vw.clerk, p, 60, "过半")
    as_user(client, vw.clerk)
    response = act(client, p, "progress", {"progress-percent": 40, "progress-note": "倒退"})
    assert "进度不能低于上次填报的60%。" in text(response) and 'value="40"' in text(response)
    assert p.updates.count() == 1


def test_an_outsider_gets_404(vw, client, world):
    p = submitted(vw)
    as_user(client, world.outsider)
    assert client.get(f"/proposals/{p.pk}/").status_code == 404
    assert act(client, p, "start-review").status_code == 404
    assert client.get(f"/proposals/board/{vw.cw.congress.pk}/").status_code == 404


def test_drafts_stay_among_the_delegates(vw, client, world):
    p = draft(vw)
    as_user(client, world.worker)  # a worker of the enterprise, not a delegate
    assert client.get(f"/proposals/{p.pk}/").status_code == 404


# --- A department's office account: the bug this page found -----------------------------------

def test_department_members_see_what_is_assigned_to_them(vw, world):
    """The clerk's account holds no grant and no person: before the fix, queries.visible hid
    every proposal from it, so the department could not open what it had to answer."""
    p, other = submitted(vw), submitted(vw, 3, title="关于改善职工食堂伙食的提案", cosigners=(4, 5))
    assert not queries.visible(vw.clerk, Proposal).exists()
    for verb in (actions.start_review, actions.accept):
        verb(vw.cw.chair, p)
    actions.assign(vw.cw.chair, p, vw.production, [])
    assert list(queries.visible(vw.clerk, Proposal)) == [p]
    assert queries.access(vw.clerk, Proposal, p.pk) == p
    assert list(queries.department_queue(vw.clerk)) == [p]
    assert other not in set(queries.visible(vw.clerk, Proposal))
    assert not queries.visible(world.outsider, Proposal).exists()


# --- Search, queue, board -----------------------------------------------------------------------

def test_search_by_words_and_filters(vw, client):
    p = submitted(vw)
    q = submitted(vw, 3, title="关于改善职工食堂伙食的提案", cosigners=(4, 5), cause="菜品单一，价格偏高。",
                  measures="引入招标。")
    as_user(client, vw.cw.users[10])
    page = text(client.get("/proposals/search/", {"q": "津贴"}))
    assert p.title in page and q.title not in page
    page = text(client.get("/proposals/search/", {"q": "食堂伙食"}))
    assert q.title in page and p.title not in page
    page = text(client.get("/proposals/search/", {"category": "wages", "state": "submitted",
                                                  "session": vw.cw.session.pk}))
    assert p.title in page and q.title in page and "共 2 件提案" in page


def test_search_paginates(vw, client):
    for n in range(21):
        actions.draft_proposal(vw.cw.users[0], vw.cw.session, f"关于第{n}号问题的提案", "理由", "措施", "other")
    as_user(client, vw.cw.users[0])
    first = text(client.get("/proposals/search/"))
    assert "第 1 / 2 页" in first and "共 21 件提案" in first
    second = text(client.get("/proposals/search/", {"page": 2}))
    assert "关于第0号问题的提案" in second and "关于第20号问题的提案" not in second


def test_queue_flags_overdue_in_red(vw, client):
    late, fine = submitted(vw), submitted(vw, 3, title="关于改善职工食堂伙食的提案", cosigners=(4, 5))
    for p in (late, fine):
        actions.start_review(vw.cw.chair, p)
        actions.accept(vw.cw.chair, p)
        actions.assign(vw.cw.chair, p, vw.production, [])
    # Ten days pass without an answer: move the due date back rather than the clock.
    Proposal.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=10))
    as_user(client, vw.clerk)
    page = text(client.get("/proposals/queue/"))
    rows = {chunk.split("</tr>")[0] for chunk in page.split("<tr")[2:]}
    late_row = next(r for r in rows if late.title in r)
    fine_row = next(r for r in rows if fine.title in r)
    assert 'class="overdue"' in late_row and "已逾期" in late_row
    assert "已逾期" not in fine_row and "有 1 件提案已逾期未答复" in page


def test_board_shows_charts_and_the_same_numbers_in_tables(vw, client):
    p = submitted(vw)
    submitted(vw, 3, title="关于改善职工食堂伙食的提案", cosigners=(4, 5))
    for verb in (actions.start_review, actions.accept):
        verb(vw.cw.chair, p)
    actions.assign(vw.cw.chair, p, vw.production, [])
    actions.answer(vw.clerk, p, "答复", "措施")
    actions.report_progress(vw.clerk, p, 100, "完成")
    actions.rate(vw.cw.users[0], p, "basically_satisfied")
    as_user(client, vw.cw.chair)
    response = client.get("/proposals/board/")
    assert response.status_code == 302 and response["Location"] == f"/proposals/board/{vw.cw.congress.pk}/"
    page = text(client.get(response["Location"]))
    assert '<script src="/static/vendor/echarts/echarts.min.js"' in page and "cdn" not in page.lower()
    states = page.split('id="states-table"')[1].split("</table>")[0]
    assert "<td>已提交</td><td class=\"num\">1</td>" in states and "<td>已办结</td><td class=\"num\">1</td>" in states
    departments = page.split('id="departments-table"')[1].split("</table>")[0]
    assert "<td>生产部</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td>" in departments
    rates = page.split('id="rates-table"')[1].split("</table>")[0]
    assert rates.count("100.0%") == 2
    assert 'id="chart-data"' in page and '"departments"' in page


def test_the_detail_page_speaks_english_when_chosen(vw, client):
    p = submitted(vw)
    as_user(client, vw.cw.users[25])
    client.cookies["django_language"] = "en"
    page = text(client.get(f"/proposals/{p.pk}/"))
    assert "Start the review" in page and "Proposers and co-signers" in page and "Drafted" in page
    assert "开始审查" not in page
