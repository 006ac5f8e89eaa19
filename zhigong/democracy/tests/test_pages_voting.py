"""The delegate's phone pages and the public record: check-in by code, the ballot with its
confirmation step and receipt (server-made salt and voter-made commitment), the refusal of a
second ballot, the live room that shows no result before the close, the bulletin, and the
resolution page and PDF."""

import json
import re
import shutil
import subprocess

import pytest
from django.contrib.sessions.models import Session as WebSession
from django.utils import translation

from zhigong.democracy import actions, ballots, rules
from zhigong.democracy.models import CheckIn, SecretBallot, VotingRound
from zhigong.democracy.tests.conftest import start


def _page(response, status=200) -> str:
    assert response.status_code == status, (response.status_code, response.content.decode()[-2000:])
    return response.content.decode()


def _convened(cw, title="集体合同草案", kind="approve", **kwargs):
    actions.add_agenda_item(cw.chair, cw.session, title, kind, **({"matter": "collective_contract"} | kwargs))
    actions.convene_session(cw.chair, cw.session)
    cw.session.refresh_from_db()
    return cw.session


@pytest.fixture
def voting(cw):
    """An open session, 30 present, voting open on a secret approve item."""
    start(cw, present=30, items=[("集体合同草案", "approve", {"matter": "collective_contract"})])
    cw.item = cw.session.items.get()
    actions.open_voting(cw.chair, cw.item)
    return cw


def _vote(client, item, marks: dict) -> str:
    """The two steps of the page without JavaScript: mark, then confirm what is shown."""
    confirm = _page(client.post(f"/congress/items/{item.pk}/vote/", marks))
    content = re.search(r'name="content" value="([^"]+)"', confirm).group(1).replace("&quot;", '"')
    return client.post(f"/congress/items/{item.pk}/vote/", {"content": content, "commitment": ""})


def _receipt(page: str) -> dict:
    box = re.search(r'<div class="card receipt-card" id="receipt"(.*?)>', page, re.S).group(1)
    return dict(re.findall(r'data-(\w+)="([^"]*)"', box))


# --- Check-in ----------------------------------------------------------------------------------

def test_delegate_checks_in_with_the_code_from_the_hall(cw, login):
    session = _convened(cw)
    client = login(cw.users[0])
    mine = _page(client.get("/congress/mine/"))
    assert session.title in mine and f'href="/congress/sessions/{session.pk}/"' in mine
    prefilled = _page(client.get(f"/congress/sessions/{session.pk}/check-in/?code={session.check_in_code}"))
    assert f'value="{session.check_in_code}"' in prefilled  # the QR code's URL fills it in
    wrong = "000000" if session.check_in_code != "000000" else "111111"
    refused = _page(client.post(f"/congress/sessions/{session.pk}/check-in/", {"code": wrong}), 400)
    assert "签到码不正确，请核对会场显示的签到码。" in refused and f'value="{wrong}"' in refused
    response = client.post(f"/congress/sessions/{session.pk}/check-in/", {"code": session.check_in_code})
    assert response.status_code == 302 and response.url == f"/congress/sessions/{session.pk}/"
    assert CheckIn.objects.get(session=session, delegate=cw.delegates[0]).by == "self"
    assert "您已签到。" in _page(client.get(response.url))


def test_delegate_reads_the_documents_before_the_session(cw, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session = _convened(cw)
    document = actions.upload_document(cw.chair, session, "集体合同草案全文",
                                       SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft text", "application/pdf"))
    client = login(cw.users[5])
    page = _page(client.get(f"/congress/sessions/{session.pk}/"))
    assert "集体合同草案全文" in page and "请在会前阅读" in page
    download = client.get(f"/congress/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 draft text"
    assert download["Content-Type"] == "application/pdf"


# --- Voting --------------------------------------------------------------------------------------

def test_vote_through_the_pages_with_a_server_made_salt(voting, login):
    client = login(voting.users[0])
    session_page = _page(client.get(f"/congress/sessions/{voting.session.pk}/"))
    assert f'href="/congress/items/{voting.item.pk}/vote/"' in session_page
    ballot = _page(client.get(f"/congress/items/{voting.item.pk}/vote/"))
    assert all(label in ballot for label in ("同意", "不同意", "弃权"))
    confirm = _page(client.post(f"/congress/items/{voting.item.pk}/vote/", {"choice": "yes"}))
    assert "确认投票" in confirm and "投出后不能更改" in confirm
    assert VotingRound.objects.get(item=voting.item).roll.count() == 0  # nothing cast by the first step
    page = _page(_vote(client, voting.item, {"choice": "yes"}))
    receipt = _receipt(page)
    round_id = VotingRound.objects.get(item=voting.item).pk
    # The salt shown once reproduces the commitment, and the code is its first 50 bits.
    assert ballots.commitment_for(round_id, {"choice": "yes"}, receipt["salt"]) == receipt["commitment"]
    assert rules.receipt_code(receipt["commitment"]) == receipt["receipt"]
    assert receipt["receipt"] in page and f'href="/congress/items/{voting.item.pk}/bulletin/"' in page
    assert SecretBallot.objects.get().content == {"choice": "yes"}
    # Nothing that pairs the voter with the receipt is kept in their web session.
    stored = "".join(str(s.get_decoded()) for s in WebSession.objects.all())
    assert receipt["salt"] not in stored and receipt["receipt"] not in stored


def test_second_attempt_is_refused_with_the_message(voting, login):
    client = login(voting.users[1])
    _page(_vote(client, voting.item, {"choice": "no"}))
    again = _page(_vote(client, voting.item, {"choice": "yes"}), 400)
    assert "您已对本议程投过票，不能重复投票。" in again
    assert SecretBallot.objects.count() == 1
    assert "您已对本议程投过票" in _page(client.get(f"/congress/items/{voting.item.pk}/vote/"))


def test_voter_made_commitment_is_kept_and_no_salt_comes_back(voting, login):
    client = login(voting.users[2])
    round_id = VotingRound.objects.get(item=voting.item).pk
    commitment = ballots.commitment_for(round_id, {"choice": "abstain"}, "f" * 32)
    page = _page(client.post(f"/congress/items/{voting.item.pk}/vote/",
                             {"content": '{"choice":"abstain"}', "commitment": commitment}))
    receipt = _receipt(page)
    assert receipt["commitment"] == commitment and "salt" not in receipt
    assert receipt["receipt"] == rules.receipt_code(commitment)
    assert SecretBallot.objects.get().receipt == commitment


def test_absent_delegate_is_sent_to_check_in(voting, login):
    page = _page(login(voting.users[35]).get(f"/congress/items/{voting.item.pk}/vote/"))
    assert "请先签到再投票。" in page and 'class="ballot' not in page


def test_election_ballot_is_limited_to_the_seats(cw, login):
    start(cw, items=[("选举职工董事", "elect", {"matter": "worker_director", "seats": 1})])
    item = cw.session.items.get()
    candidates = [actions.add_candidate(cw.chair, item, d.person) for d in cw.delegates[-3:]]
    actions.open_voting(cw.chair, item)
    client = login(cw.users[0])
    ballot = _page(client.get(f"/congress/items/{item.pk}/vote/"))
    assert 'data-seats="1"' in ballot and "最多选1名" in ballot and ballot.count('type="checkbox" name="approve"') == 3
    too_many = _page(client.post(f"/congress/items/{item.pk}/vote/", {"approve": [c.pk for c in candidates[:2]]}), 400)
    assert "所选人数超过应选名额。" in too_many
    page = _page(_vote(client, item, {"approve": [candidates[1].pk]}))
    assert candidates[1].person.name in page
    assert SecretBallot.objects.get().content == {"approve": [candidates[1].pk]}


def test_appraisal_ballot_grades_each_manager(cw, login):
    start(cw, items=[("民主评议管理人员", "appraise", {"matter": "managers"})])
    item = cw.session.items.get()
    subjects = [actions.add_candidate(cw.chair, item, d.person) for d in cw.delegates[-2:]]
    actions.open_voting(cw.chair, item)
    client = login(cw.users[0])
    assert "基本称职" in _page(client.get(f"/congress/items/{item.pk}/vote/"))
    _page(_vote(client, item, {f"grade_{subjects[0].pk}": "competent", f"grade_{subjects[1].pk}": "excellent"}))
    assert SecretBallot.objects.get().content == {"ratings": {str(subjects[0].pk): "competent",
                                                              str(subjects[1].pk): "excellent"}}


# --- Live room, bulletin, resolution --------------------------------------------------------------

def test_live_figures_hide_the_result_until_the_close(voting, login):
    for i in range(22):
        actions.cast_ballot(voting.users[i], voting.item, {"choice": "yes" if i < 21 else "no"})
    chair = login(voting.chair)
    room = _page(chair.get(f"/congress/sessions/{voting.session.pk}/live/"))
    assert 'hx-trigger="every 2s"' in room and "集体合同草案" in room
    partial = _page(chair.get(f"/congress/sessions/{voting.session.pk}/live/figures/"))
    assert re.search(r'id="live-cast">22<', partial) and re.search(r'id="live-present">30<', partial)
    assert "live-result" not in partial and "通过所需" not in partial and "未通过" not in partial
    actions.close_voting(voting.chair, voting.item)
    closed = _page(chair.get(f"/congress/sessions/{voting.session.pk}/live/figures/"))
    assert 'id="live-result"' in closed and "通过所需" in closed
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", closed))
    assert figures == {"同意": "21", "不同意": "1", "弃权": "0", "通过所需": "21"}
    assert 'class="verdict-line passed"' in closed


def test_bulletin_lists_the_receipt_and_recounts(voting, login):
    client = login(voting.users[3])
    receipt = _receipt(_page(_vote(client, voting.item, {"choice": "yes"})))
    assert "表决结束后公布" in _page(client.get(f"/congress/items/{voting.item.pk}/bulletin/"))
    for i in range(4, 25):
        actions.cast_ballot(voting.users[i], voting.item, {"choice": "yes"})
    actions.close_voting(voting.chair, voting.item)
    page = _page(client.get(f"/congress/items/{voting.item.pk}/bulletin/"))
    row = re.search(rf'<tr data-receipt="{receipt["receipt"]}" data-content="([^"]+)">', page)
    assert row and json.loads(row.group(1).replace("&quot;", '"')) == {"choice": "yes"}
    assert page.count("<tr data-receipt=") == 22
    assert "重新计票与公布结果一致。" in page and "公告板摘要与留痕记录一致。" in page
    assert "代表0" not in page  # a secret item names no one


def test_resolution_page_and_pdf(voting, login):
    for i in range(25):
        actions.cast_ballot(voting.users[i], voting.item, {"choice": "yes" if i < 23 else "abstain"})
    actions.close_voting(voting.chair, voting.item)
    resolution = voting.item.__class__.objects.get(pk=voting.item.pk).resolution
    client = login(voting.users[30])
    page = _page(client.get(f"/congress/resolutions/{resolution.pk}/"))
    assert resolution.number in page and "如何核验" in page
    assert f'href="/tracking/resolutions/{resolution.pk}/"' in page  # how it is being carried out
    assert str(resolution.event_seq) in page and "Ed25519" in page
    from zhigong.democracy.queries import resolution_proof
    proof = resolution_proof(resolution)
    assert proof["leaf_hash"] in page and proof["root_hash"] in page and proof["head"]["signature"] in page
    response = client.get(f"/congress/resolutions/{resolution.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run([shutil.which("pdftotext"), "-layout", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    squeezed = re.sub(r"\s+", "", text)
    assert "决议" in text and resolution.number in squeezed
    for label, number in (("全体代表", 40), ("出席代表", 30), ("同意", 23), ("弃权", 2), ("通过所需", 21)):
        assert re.search(rf"{label}\S*\s+{number}\b", text), (label, number)
    assert proof["leaf_hash"][:32] in squeezed


def test_ballot_speaks_english_when_chosen(voting, login):
    client = login(voting.users[0])
    # The locale middleware leaves the language it activated on this thread: put Chinese back
    # afterwards, or the tests that follow would read English messages.
    with translation.override("zh-hans"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = _page(client.get(f"/congress/items/{voting.item.pk}/vote/"))
    assert all(word in page for word in ("Yes", "No", "Abstain", "Next: confirm", "Secret ballot"))
    assert "同意" not in page
