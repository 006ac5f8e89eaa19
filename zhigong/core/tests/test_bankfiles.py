"""Bank batch-payment files and return files (zhigong.core.bankfiles): the documented columns,
text accounts, Excel-safe text, and every kind of bad return row reported with row and column."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from zhigong.core import bankfiles
from zhigong.core.errors import DomainError

LINES = [
    bankfiles.PaymentLine("ZF1-0001", "张伟", "6222020200112233445", "工商银行南京玄武支行", 450000, "互助金 HZ1"),
    bankfiles.PaymentLine("ZF1-0002", "=HYPERLINK()", "0012345678901234567", "建设银行", 12345, "互助金 HZ2"),
]
EXPECTED = {"ZF1-0001": 450000, "ZF1-0002": 12345}


def test_csv_has_a_bom_the_documented_columns_and_yuan():
    data = bankfiles.payment_csv(LINES)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == bankfiles.PAYMENT_COLUMNS
    assert rows[1] == ["1", "ZF1-0001", "张伟", "6222020200112233445", "工商银行南京玄武支行", "4500.00", "互助金 HZ1"]
    # A name that Excel would run as a formula is written as text.
    assert rows[2][2] == "'=HYPERLINK()" and rows[2][5] == "123.45"


def test_xlsx_keeps_accounts_as_text_with_leading_zeros():
    sheet = load_workbook(io.BytesIO(bankfiles.payment_xlsx(LINES))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == bankfiles.PAYMENT_COLUMNS
    assert rows[2][3] == "0012345678901234567"
    assert rows[1][5] == 4500 and sheet.cell(row=2, column=4).number_format == "@"


def test_a_clean_return_file_in_csv():
    data = bankfiles.return_template_csv([("ZF1-0001", 450000, True, "", date(2026, 11, 24)),
                                          ("ZF1-0002", 12345, False, "户名与账号不符", date(2026, 11, 24))])
    parsed = bankfiles.parse_return(data, EXPECTED)
    assert parsed.clean
    assert [(r.reference, r.paid, r.reason) for r in parsed.rows] == [
        ("ZF1-0001", True, ""), ("ZF1-0002", False, "户名与账号不符")]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_return_file_in_xlsx_with_dates_and_numbers_as_excel_keeps_them():
    data = _xlsx([bankfiles.RETURN_COLUMNS, ["ZF1-0001", 4500, "成功", None, date(2026, 11, 24)],
                  [None, None, None, None, None]])
    parsed = bankfiles.parse_return(data, EXPECTED)
    assert parsed.clean and parsed.rows[0].amount_fen == 450000 and parsed.rows[0].day == date(2026, 11, 24)


def test_gbk_csv_from_a_bank_system_is_read():
    text = "付款流水号,金额（元）,状态,原因,日期\r\nZF1-0002,123.45,失败,账户已销户,20261124\r\n"
    parsed = bankfiles.parse_return(text.encode("gb18030"), EXPECTED)
    assert parsed.clean and parsed.rows[0].reason == "账户已销户"


def test_wrong_columns_are_named():
    parsed = bankfiles.parse_return("流水号,金额,状态\r\nZF1-0001,1,成功\r\n".encode(), EXPECTED)
    assert not parsed.clean
    first = parsed.errors[0]
    assert first.row == 1 and "付款流水号" in first.column and "缺少列" in first.message


@pytest.mark.parametrize("row, column, words", [
    (["ZF9-0001", "4500.00", "成功", "", "2026-11-24"], "付款流水号", "不是本批次"),
    (["", "4500.00", "成功", "", "2026-11-24"], "付款流水号", "为空"),
    (["ZF1-0001", "45OO", "成功", "", "2026-11-24"], "金额（元）", "格式不正确"),
    (["ZF1-0001", "-4500", "成功", "", "2026-11-24"], "金额（元）", "格式不正确"),
    (["ZF1-0001", "4500.001", "成功", "", "2026-11-24"], "金额（元）", "格式不正确"),
    (["ZF1-0001", "4499.99", "成功", "", "2026-11-24"], "金额（元）", "不符"),
    (["ZF1-0001", "4500.00", "已付", "", "2026-11-24"], "状态", "成功"),
    (["ZF1-0001", "4500.00", "失败", "", "2026-11-24"], "原因", "原因"),
    (["ZF1-0001", "4500.00", "成功", "", "24/11/2026"], "日期", "日期格式"),
])
def test_each_bad_row_is_reported_with_row_and_column(row, column, words):
    text = ",".join(bankfiles.RETURN_COLUMNS) + "\r\n" + "\r\n" + ",".join(row) + "\r\n"
    parsed = bankfiles.parse_return(text.encode(), EXPECTED)
    assert not parsed.clean and parsed.rows == []
    assert [(e.row, e.column) for e in parsed.errors] == [(3, column)]
    assert words in parsed.errors[0].message


def test_a_reference_twice_in_one_file_is_an_error():
    data = bankfiles.return_template_csv([("ZF1-0001", 450000, True, "", date(2026, 11, 24))] * 2)
    parsed = bankfiles.parse_return(data, EXPECTED)
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "付款流水号")] and "重复" in parsed.errors[0].message


def test_a_file_with_more_rows_than_any_batch_is_refused(monkeypatch):
    monkeypatch.setattr(bankfiles, "MAX_ROWS", 3)
    rows = [("ZF1-0001", 450000, True, "", date(2026, 11, 24))] * 4
    with pytest.raises(DomainError) as caught:
        bankfiles.parse_return(bankfiles.return_template_csv(rows), EXPECTED)
    assert caught.value.code == "bankfile.rows"


def test_empty_files_and_files_that_are_not_tables_are_refused():
    assert "空" in bankfiles.parse_return(b"", EXPECTED).errors[0].message
    header_only = ",".join(bankfiles.RETURN_COLUMNS).encode()
    assert "没有回盘记录" in bankfiles.parse_return(header_only, EXPECTED).errors[0].message
    with pytest.raises(DomainError) as caught:
        bankfiles.parse_return(b"PK\x03\x04not a workbook", EXPECTED)
    assert caught.value.code == "bankfile.type"
    with pytest.raises(DomainError) as caught:
        bankfiles.parse_return(b'"' + b"x" * 200_000 + b'"', EXPECTED)  # one field beyond csv's limit
    assert caught.value.code == "bankfile.type"
    with pytest.raises(DomainError) as caught:
        bankfiles.parse_return(b"x" * (bankfiles.MAX_RETURN_BYTES + 1), EXPECTED)
    assert caught.value.code == "file.too_large"
