"""Bulk progress of accepted proposals from a spreadsheet: the template lists the enterprise's
proposals being carried out; a file with wrong columns or any wrong row writes nothing and
reports every error with its row and column (a page and an xlsx report); a clean file goes
through participation's own report_progress, so each proposal's tracking page shows the
imported step with its inclusion proof exactly as if it had been reported by hand."""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation
from openpyxl import load_workbook

from zhigong.core.errors import PermissionDenied
from zhigong.participation import actions as voice
from zhigong.participation.models import ProgressUpdate
from zhigong.participation.tests.conftest import draft
from zhigong.tracking import batch, queries, spreadsheet
from zhigong.tracking.models import ImportBatch
from zhigong.tracking.tests.conftest import answered
from zhigong.tracking.tests.test_import import filled as import_file
from zhigong.tracking.tests.test_proofs import proves
from zhigong.trail.canonical import canonical_json
from zhigong.trail.models import Event

HEADERS = spreadsheet.PROPOSAL_SOURCE_HEADERS


@pytest.fixture(autouse=True)
def chinese():
    """The messages are asserted in Chinese, whatever language an earlier test left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def today():
    return timezone.localdate()


@pytest.fixture
def open_proposals(tw):
    a = answered(tw, "关于提高高温津贴标准的提案")
    b = answered(tw, "关于增设夜班班车的提案", progress=40)
    accepted = draft(tw.vw, title="关于食堂延时供餐的提案")     # accepted, not yet answered: not listed
    voice.submit(tw.vw.cw.users[0], accepted)
    voice.start_review(tw.vw.cw.users[25], accepted)
    voice.accept(tw.vw.cw.users[25], accepted)
    a.accepted_only = accepted
    return a, b


def filled(rows, header=HEADERS) -> bytes:
    return import_file(rows, header)


def row(proposal, percent, note="按计划推进", on=None):
    return [proposal.pk if hasattr(proposal, "pk") else proposal, "", "", "", None, None, percent, on, note]


def counts():
    return Event.objects.count(), ProgressUpdate.objects.count(), ImportBatch.objects.count()


def test_template_lists_the_proposals_being_carried_out(tw, open_proposals):
    a, b = open_proposals
    content = spreadsheet.template(batch.proposal_template_rows(tw.enterprise), today(), spreadsheet.PROPOSALS)
    book = load_workbook(io.BytesIO(content))
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert values[0] == HEADERS
    assert [(r[0], r[2], r[3], r[5]) for r in values[1:]] == [(a.pk, a.title, "生产部", 0),
                                                                (b.pk, b.title, "生产部", 40)]
    assert "只能增加" in " ".join(str(c.value) for c in book["说明"]["A"])


def test_a_clean_file_writes_each_proposal_as_if_reported_by_hand(tw, world, open_proposals):
    a, b = open_proposals
    events, updates, _batches = counts()
    template = spreadsheet.template(batch.proposal_template_rows(tw.enterprise), today(), spreadsheet.PROPOSALS)
    sheet_rows = list(load_workbook(io.BytesIO(template)).worksheets[0].iter_rows(values_only=True))[1:]
    on = today() - timedelta(days=1) if a.assigned_on < today() else today()
    rows = [list(sheet_rows[0][:6]) + ["30%", on.isoformat(), "高温津贴测算完成"],
            list(sheet_rows[1][:6]) + [100, None, "夜班班车已开通"],
            [None] * 9]
    imported = batch.import_proposals(tw.chair, tw.enterprise, filled(rows), "提案进度.xlsx")
    assert (imported.kind, imported.rows) == ("proposals", 2)
    # One participation event per proposal, as by hand, and the batch's own event.
    assert Event.objects.count() == events + 3 and ProgressUpdate.objects.count() == updates + 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, a.progress, b.state, b.progress) == ("carrying_out", 30, "carried_out", 100)
    event = Event.objects.get(seq=imported.event_seq)
    assert event.verb == "tracking.import" and imported.sha256 in bytes(event.leaf).decode()
    written = [(ProgressUpdate.objects.get(proposal=a, percent=30), 0),
               (ProgressUpdate.objects.get(proposal=b, percent=100), 40)]
    assert imported.sha256 == hashlib.sha256(canonical_json(batch.digest_proposal_rows(written))).hexdigest()
    # The proposal's public tracking page: the imported step with its proof and its entry.
    for proposal, verb, percent in ((a, "proposal.report_progress", 30), (b, "proposal.complete", 100)):
        tracking = queries.proposal_tracking(queries.access_proposal(world.worker, proposal.pk))
        step = tracking.steps[-1]
        assert step.verb == verb and step.entries[0].percent == percent and step.by
        assert proves(step.proof, bytes.fromhex(step.proof["leaf_hash"]))
    hand = answered(tw, "关于更换工作服的提案")
    voice.report_progress(tw.vw.clerk, hand, 30, "已询价")
    by_hand = Event.objects.filter(object_type="participation.proposal", object_id=str(hand.pk)).latest("seq")
    imported_event = Event.objects.filter(object_type="participation.proposal", object_id=str(a.pk)).latest("seq")
    hand_data, import_data = (json.loads(bytes(e.leaf))["data"] for e in (by_hand, imported_event))
    assert by_hand.verb == imported_event.verb and hand_data.keys() == import_data.keys()
    assert (import_data["percent"], import_data["on"]) == (30, on.isoformat())


def assert_nothing_written(before):
    assert counts() == before


def test_wrong_columns_are_reported_per_column_and_nothing_is_written(tw, open_proposals):
    a, _b = open_proposals
    before = counts()
    with pytest.raises(batch.ImportRefused) as refused:     # the measures' template given here
        batch.import_proposals(tw.chair, tw.enterprise, filled([row(a, 50)], spreadsheet.SOURCE_HEADERS), "x.xlsx")
    errors = refused.value.errors
    assert (1, "proposal") in [(e.row, e.column) for e in errors]
    assert "提案ID" in errors[0].message and errors[0].column_label == "A 提案ID"
    header = list(HEADERS)
    header[6], header[8] = header[8], header[6]
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_proposals(tw.chair, tw.enterprise, filled([row(a, 50)], header), "x.xlsx")
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "percent"), (1, "note")]
    assert_nothing_written(before)


def test_every_bad_row_is_reported_and_nothing_is_written(tw, open_proposals):
    a, b = open_proposals
    before = counts()
    rows = [
        row(a, 50),                                   # row 2: fine, but not written either
        row(999999, 50),                              # row 3: unknown proposal
        row(b, 30),                                   # row 4: below 40: never down for a proposal
        row(a, 120),                                  # row 5: out of range (and a twice)
        row(b, "大半"),                                # row 6: not a number (and b twice)
        row("四十二", 20, on="5月1日"),                  # row 7: bad id, bad date
        [None] * 9,                                   # row 8: empty, skipped
        row(a.accepted_only, 10, note=""),            # row 9: accepted but not answered; no note
    ]
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_proposals(tw.chair, tw.enterprise, filled(rows), "提案.xlsx")
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {(3, "proposal"), (4, "percent"), (5, "percent"), (5, "proposal"), (6, "percent"),
                     (6, "proposal"), (7, "proposal"), (7, "on"), (9, "proposal"), (9, "note")}
    by_place = {(e.row, e.column): e for e in refused.value.errors}
    assert "只能增加" in by_place[(4, "percent")].message and "40%" in by_place[(4, "percent")].message
    assert by_place[(3, "proposal")].message.startswith("本企业没有")
    assert by_place[(7, "on")].value == "5月1日" and by_place[(6, "percent")].column_label == "G 本次进度(%)"
    assert_nothing_written(before)
    report = load_workbook(io.BytesIO(spreadsheet.error_report(refused.value.errors, "提案.xlsx"))).worksheets[0]
    lines = list(report.iter_rows(values_only=True))
    assert lines[0] == ("行号", "列", "填写内容", "错误说明")
    assert (4, "G 本次进度(%)") in [(r[0], r[1]) for r in lines[1:]]


def test_a_date_before_the_assignment_or_in_the_future(tw, open_proposals):
    a, _b = open_proposals
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_proposals(tw.chair, tw.enterprise, filled([row(a, 50, on=a.assigned_on - timedelta(days=1))]),
                               "x.xlsx")
    assert "交办" in refused.value.errors[0].message
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_proposals(tw.chair, tw.enterprise, filled([row(a, 50, on=today() + timedelta(days=1))]),
                               "x.xlsx")
    assert refused.value.errors[0].column == "on"


def test_another_enterprise_and_those_who_do_not_run_the_congress(tw, world, open_proposals):
    a, _b = open_proposals
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_proposals(world.admin, world.enterprise_b, filled([row(a, 50)]), "x.xlsx")
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "proposal")]
    for user in (world.worker, tw.vw.clerk):
        with pytest.raises(PermissionDenied):
            batch.import_proposals(user, tw.enterprise, filled([row(a, 50)]), "x.xlsx")


def test_the_page_lists_errors_offers_the_report_and_imports(tw, world, login, open_proposals):
    a, b = open_proposals
    client = login(tw.chair)
    url = f"/tracking/enterprises/{tw.enterprise.pk}/import/proposals/"
    page = client.get(url)
    assert page.status_code == 200 and "2 件已答复、正在落实的提案" in page.content.decode()
    template = client.get(f"/tracking/enterprises/{tw.enterprise.pk}/proposals-template.xlsx")
    assert template.status_code == 200 and template["Content-Type"] == spreadsheet.XLSX
    before = counts()
    bad = client.post(url, {"file": _upload(filled([row(a, 50), row(b, 10)]))})
    text = bad.content.decode()
    assert bad.status_code == 400 and "未导入任何数据" in text and "只能增加" in text
    assert_nothing_written(before)
    report = client.get(bad.context["report_key"] and
                        f"/tracking/enterprises/{tw.enterprise.pk}/import/report/{bad.context['report_key']}.xlsx")
    lines = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert (3, "G 本次进度(%)") in [(r[0], r[1]) for r in lines[1:]]
    done = client.post(url, {"file": _upload(filled([row(a, 50), row(b, 60)]))})
    assert done.status_code == 302
    listed = client.get(url).content.decode()
    assert "提案进度.xlsx" in listed
    assert client.get(f"/tracking/enterprises/{tw.enterprise.pk}/import/").content.decode().count("提案进度.xlsx") == 0
    proposal_page = client.get(f"/tracking/proposals/{b.pk}/").content.decode()
    assert "夜班班车" in proposal_page and "60%" in proposal_page
    assert login(world.worker).get(url).status_code == 403


def test_the_api_imports_and_refuses_with_row_errors(tw, world, client, open_proposals):
    from zhigong.core import actions as core

    a, b = open_proposals
    token = core.issue_token(tw.chair, "t")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    path = f"/api/v1/tracking/enterprises/{tw.enterprise.pk}/proposals-import"
    refused = client.post(path, {"file": _upload(filled([row(b, 10)]))}, **auth)
    assert refused.status_code == 400
    assert refused.json()["details"]["errors"][0]["column"] == "percent"
    done = client.post(path, {"file": _upload(filled([row(a, 20), row(b, 45)]))}, **auth)
    assert done.status_code == 201 and done.json()["kind"] == "proposals" and done.json()["rows"] == 2
    template = client.get(f"/api/v1/tracking/enterprises/{tw.enterprise.pk}/proposals-template.xlsx", **auth)
    assert template.status_code == 200
    values = list(load_workbook(io.BytesIO(template.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[5] for r in values[1:]] == [20, 45]


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("提案进度.xlsx", content, content_type=spreadsheet.XLSX)


def test_the_page_and_its_errors_in_english(tw, login, open_proposals):
    _a, b = open_proposals
    client = login(tw.chair)
    client.cookies["django_language"] = "en"
    url = f"/tracking/enterprises/{tw.enterprise.pk}/import/proposals/"
    text = client.get(url).content.decode()
    assert "Download the proposals template (.xlsx)" in text and "2 answered proposals being carried out" in text
    assert "已答复" not in text
    bad = client.post(url, {"file": _upload(filled([row(b, 10)]))}).content.decode()
    assert "A proposal’s progress only goes up: the new progress cannot be below the current 40%." in bad
