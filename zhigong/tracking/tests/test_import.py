"""Bulk progress from a spreadsheet: the template lists the enterprise's open measures; a file
with any wrong row (or wrong columns) writes nothing and reports every error with its row and
column; a clean file is written at once with one trail event carrying its digest."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from zhigong.core.errors import PermissionDenied
from zhigong.tracking import actions, batch, spreadsheet
from zhigong.tracking.models import Entry, ImportBatch, Measure, Plan
from zhigong.tracking.tests.conftest import measures
from zhigong.trail.canonical import canonical_json
from zhigong.trail.models import Event


def today():
    return timezone.localdate()


@pytest.fixture
def open_measures(tw):
    ms = measures(tw, ("改造灶台", 2, today() + timedelta(days=30)), ("更换餐桌", 1, today() + timedelta(days=60)),
                  ("公示菜价", 1, today() + timedelta(days=10)))
    actions.report_progress(tw.chair, ms[1], 40, "已采购一半。")
    done = actions.add_measure(tw.chair, tw.advised, "安全培训", 1, today() + timedelta(days=5))
    actions.report_progress(tw.chair, done, 100, "已完成。")
    return ms


def filled(rows, header=spreadsheet.SOURCE_HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(measure, percent, note="按计划推进", on=None, reason=""):
    return [measure.pk if hasattr(measure, "pk") else measure, "", "", "", None, None, percent, on, note, reason]


def test_template_lists_open_measures_with_their_progress(tw, open_measures):
    content = spreadsheet.template(batch.template_rows(tw.enterprise), today())
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == spreadsheet.SOURCE_HEADERS
    assert [(r[0], r[2], r[5]) for r in values[1:]] == [(m.pk, m.title, 40 if i == 1 else 0)
                                                          for i, m in enumerate(open_measures)]  # not the done one


def test_a_clean_file_is_written_at_once_with_one_event(tw, open_measures):
    a, b, c = open_measures
    events = Event.objects.count()
    template = spreadsheet.template(batch.template_rows(tw.enterprise), today())
    sheet_rows = list(load_workbook(io.BytesIO(template)).worksheets[0].iter_rows(values_only=True))[1:]
    rows = [list(sheet_rows[0][:6]) + [100, today(), "灶台改造完成", None],
            list(sheet_rows[1][:6]) + ["60%", today().isoformat(), "又到货一批", None],
            list(sheet_rows[2][:6]) + [None, None, None, None],  # left as it was: not updated
            [None] * 10]                                          # an empty row
    imported = batch.import_progress(tw.chair, tw.enterprise, filled(rows), "进度.xlsx")
    assert imported.rows == 2 and Event.objects.count() == events + 1
    event = Event.objects.get(seq=imported.event_seq)
    assert event.verb == "tracking.import" and imported.sha256 in bytes(event.leaf).decode()
    entries = list(Entry.objects.filter(batch=imported).order_by("id"))
    assert [(e.measure_id, e.previous, e.percent) for e in entries] == [(a.pk, 0, 100), (b.pk, 40, 60)]
    assert all(e.event_seq == imported.event_seq for e in entries)
    assert imported.sha256 == hashlib.sha256(canonical_json(batch.digest_rows(entries))).hexdigest()
    plan = Plan.objects.get(resolution=tw.passed)
    assert plan.progress == (2 * 100 + 60 + 0) // 4  # weights 2, 1, 1
    assert Measure.objects.get(pk=c.pk).progress == 0


def assert_nothing_written(events, entries):
    assert Event.objects.count() == events and Entry.objects.count() == entries
    assert not ImportBatch.objects.exists()


def test_wrong_columns_are_reported_per_column_and_nothing_is_written(tw, open_measures):
    events, entries = Event.objects.count(), Entry.objects.count()
    header = list(spreadsheet.SOURCE_HEADERS)
    header[6], header[7] = header[7], header[6]   # two columns swapped
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_progress(tw.chair, tw.enterprise, filled([row(open_measures[0], 50)], header), "x.xlsx")
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [(1, "percent"), (1, "on")]
    assert "本次进度(%)" in errors[0].message
    with pytest.raises(batch.ImportRefused) as refused:
        short = filled([row(open_measures[0], 50)], spreadsheet.SOURCE_HEADERS[:8])
        batch.import_progress(tw.chair, tw.enterprise, short, "x.xlsx")
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "note"), (1, "reason")]
    assert_nothing_written(events, entries)


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(tw, open_measures):
    a, b, c = open_measures
    events, entries = Event.objects.count(), Entry.objects.count()
    rows = [
        row(a, 50),                                     # row 2: fine, but not written either
        row(999999, 50),                                # row 3: unknown measure
        row(b, 30),                                     # row 4: below 40 without a reason
        row(c, 120),                                    # row 5: out of range
        [None] * 10,                                    # row 6: empty, skipped
        row(c, 20, on="5月1日"),                         # row 7: bad date (and c twice)
        row(c, "很多"),                                 # row 8: not a number
        row(a, 60, note=""),                            # row 9: a twice, no note
        row(b, 50, on=today() + timedelta(days=3)),     # row 10: b twice, a future date
    ]
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_progress(tw.chair, tw.enterprise, filled(rows), "进度.xlsx")
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {(3, "measure"), (4, "percent"), (5, "percent"), (7, "on"), (7, "measure"),
                     (8, "percent"), (8, "measure"), (9, "measure"), (9, "note"), (10, "measure"), (10, "on")}
    by_place = {(e.row, e.column): e.message for e in refused.value.errors}
    assert "40%" in by_place[(4, "percent")] and "下调原因" in by_place[(4, "percent")]
    assert by_place[(3, "measure")].startswith("本企业没有")
    assert_nothing_written(events, entries)
    report = load_workbook(io.BytesIO(spreadsheet.error_report(refused.value.errors, "进度.xlsx"))).worksheets[0]
    lines = [r for r in report.iter_rows(values_only=True)][1:]
    assert (4, "F 当前进度(%)") not in [(r[0], r[1]) for r in lines]
    assert (4, "G 本次进度(%)") in [(r[0], r[1]) for r in lines]


def test_a_measure_of_another_enterprise_is_unknown(tw, world, open_measures):
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_progress(world.admin, world.enterprise_b, filled([row(open_measures[0], 50)]), "x.xlsx")
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "measure")]


def test_empty_and_unreadable_files(tw, open_measures):
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_progress(tw.chair, tw.enterprise, filled([[None] * 10]), "x.xlsx")
    assert "没有需要更新的行" in refused.value.errors[0].message
    with pytest.raises(batch.ImportRefused) as refused:
        batch.import_progress(tw.chair, tw.enterprise, b"name,percent\n1,50\n", "x.xlsx")
    assert "无法读取" in refused.value.errors[0].message


def test_going_down_with_a_reason_and_dates_as_text(tw, open_measures):
    _a, b, _c = open_measures
    day = today()
    imported = batch.import_progress(tw.chair, tw.enterprise, filled([
        row(b, 30, on=f"{day.year}/{day.month}/{day.day}", reason="部分餐桌质量不合格退货")]), "x.xlsx")
    entry = imported.entries.get()
    assert (entry.previous, entry.percent, entry.on, entry.reason) == (40, 30, day, "部分餐桌质量不合格退货")


def test_only_those_who_run_the_congress_import(tw, world, open_measures):
    with pytest.raises(PermissionDenied):
        batch.import_progress(world.worker, tw.enterprise, filled([row(open_measures[0], 50)]), "x.xlsx")
    with pytest.raises(PermissionDenied):
        batch.import_progress(tw.vw.clerk, tw.enterprise, filled([row(open_measures[0], 50)]), "x.xlsx")


def test_dates_parse():
    assert spreadsheet._day("2026-5-1") == (date(2026, 5, 1), True)
    assert spreadsheet._day("2026.05.01") == (date(2026, 5, 1), True)
    assert spreadsheet._day("2026-02-30") == (None, False)
