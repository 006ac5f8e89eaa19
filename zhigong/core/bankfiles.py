"""Bank batch-payment files (批量代付文件) and the bank's return files (回盘文件), for any fund.

A fund hands over a list of PaymentLine and gets back an xlsx or a CSV (UTF-8 with BOM, which
Excel opens as Chinese) with the columns of PAYMENT_COLUMNS. The bank answers with a return
file in the columns of RETURN_COLUMNS; parse_return() checks every row against the payments the
fund expects (reference → amount in fen) and reports each problem with its row and column, so
that the caller writes nothing unless the whole file is clean. docs/mutualaid/payments.md
documents both layouts.

Nothing here touches the database: the caller passes what it expects and applies the result.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from zhigong.core.errors import DomainError
from zhigong.core.money import fen_to_yuan, yuan_to_fen

PAYMENT_COLUMNS = ("序号", "付款流水号", "收款人户名", "收款账号", "开户行", "金额（元）", "用途")
RETURN_COLUMNS = ("付款流水号", "金额（元）", "状态", "原因", "日期")
PAID, FAILED = "成功", "失败"
MAX_RETURN_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 200
MAX_ROWS = 200_000  # a batch of the largest federation; more is not a return file
# A cell starting with one of these is a formula to Excel (CSV injection): such text is
# written with a leading apostrophe, which Excel shows as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class PaymentLine:
    """One payment to a payee; `reference` is unique and stays the same in every export, so a
    bank that receives a file twice pays each reference once."""

    reference: str
    payee_name: str
    account: str
    bank_name: str
    amount_fen: int
    purpose: str


@dataclass(frozen=True)
class ReturnRow:
    row: int  # the row number in the file (the header is row 1)
    reference: str
    amount_fen: int
    paid: bool
    reason: str
    day: date


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ReturnFile:
    rows: list[ReturnRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.errors


# --- Export ------------------------------------------------------------------------------------

def _text(value: str) -> str:
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cells(index: int, line: PaymentLine) -> list:
    return [index, _text(line.reference), _text(line.payee_name), _text(line.account), _text(line.bank_name),
            fen_to_yuan(line.amount_fen), _text(line.purpose)]


def payment_csv(lines: Iterable[PaymentLine]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAYMENT_COLUMNS)
    for index, line in enumerate(lines, 1):
        cells = _cells(index, line)
        cells[5] = f"{cells[5]:.2f}"
        writer.writerow(cells)
    return out.getvalue().encode("utf-8-sig")


def payment_xlsx(lines: Iterable[PaymentLine], title: str = "付款明细") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(PAYMENT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, line in enumerate(lines, 1):
        sheet.append(_cells(index, line))
        row = sheet.max_row
        # Accounts and references are text: 19 digits would lose their tail as numbers.
        for column in (2, 3, 4, 5, 7):
            sheet.cell(row=row, column=column).number_format = "@"
        sheet.cell(row=row, column=6).number_format = "#,##0.00"
    for letter, width in zip("ABCDEFG", (6, 24, 14, 24, 24, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def return_template_csv(rows: Iterable[tuple[str, int, bool, str, date]]) -> bytes:
    """A return file in the documented layout (the bank's answer; tests and demos build one)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RETURN_COLUMNS)
    for reference, amount_fen, paid, reason, day in rows:
        writer.writerow([reference, f"{fen_to_yuan(amount_fen):.2f}", PAID if paid else FAILED, reason,
                         day.isoformat()])
    return out.getvalue().encode("utf-8-sig")


# --- Return file -------------------------------------------------------------------------------

def read_table(data: bytes) -> list[list[str]]:
    """The rows of an xlsx (first sheet) or a CSV (UTF-8, with or without BOM, or GB18030 as
    banks' own systems write it), as text cells."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("bankfile.encoding", _("无法识别文件编码，请保存为UTF-8或GBK编码的CSV，或xlsx文件。"),
                          field="file")
    if "\x00" in text:
        raise DomainError("bankfile.type", _("只能上传xlsx或CSV格式的回盘文件。"), field="file")
    try:
        return _bounded([cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)))
    except csv.Error:  # e.g. a field beyond the csv module's size limit: not a bank's table
        raise DomainError("bankfile.type", _("只能上传xlsx或CSV格式的回盘文件。"), field="file") from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a zip that is not a workbook: openpyxl raises several kinds
        raise DomainError("bankfile.type", _("只能上传xlsx或CSV格式的回盘文件。"), field="file") from None
    sheet = book.worksheets[0]
    try:
        return _bounded([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _bounded(rows) -> list[list[str]]:
    table = []
    for row in rows:
        table.append(row)
        if len(table) > MAX_ROWS + 1:
            raise DomainError("bankfile.rows", _("回盘文件超过%(n)s行。") % {"n": f"{MAX_ROWS:,}"}, field="file")
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")
AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")


def _day(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_return(data: bytes, expected: Mapping[str, int]) -> ReturnFile:
    """Check a return file against the payments the caller expects (reference → fen). Every
    problem is a RowError; ReturnFile.clean tells whether anything may be written."""
    if len(data) > MAX_RETURN_BYTES:
        raise DomainError("file.too_large", _("回盘文件不能超过5MB。"), field="file")
    table = [row for row in read_table(data)]
    result = ReturnFile()
    if not table or not any(table[0]):
        result.errors.append(RowError(1, "", _("文件是空的。")))
        return result
    header = [cell.strip() for cell in table[0]]
    missing = [name for name in RETURN_COLUMNS if name not in header]
    if missing:
        result.errors.append(RowError(1, "、".join(missing), _("缺少列：%(columns)s。回盘文件的列应为：%(expected)s。")
                                      % {"columns": "、".join(missing), "expected": "、".join(RETURN_COLUMNS)}))
        return result
    where = {name: header.index(name) for name in RETURN_COLUMNS}
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue  # empty rows at the end are common in spreadsheets
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in where.items()}
        row = _check_row(number, values, expected, seen, result.errors)
        if row is not None:
            result.rows.append(row)
        if len(result.errors) >= MAX_ERRORS:
            break
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", _("文件中没有回盘记录。")))
    return result


def _check_row(number: int, values: dict, expected: Mapping[str, int], seen: dict[str, int],
               errors: list[RowError]) -> ReturnRow | None:
    before = len(errors)

    def error(column: str, message) -> None:
        errors.append(RowError(number, column, str(message)))

    reference = values["付款流水号"]
    if not reference:
        error("付款流水号", _("付款流水号为空。"))
    elif reference not in expected:
        error("付款流水号", _("付款流水号%(ref)s不是本批次待回盘的付款。") % {"ref": reference})
    elif reference in seen:
        error("付款流水号", _("付款流水号%(ref)s与第%(row)d行重复。") % {"ref": reference, "row": seen[reference]})
    else:
        seen[reference] = number
    amount = values["金额（元）"].replace(",", "").replace("¥", "")
    fen = yuan_to_fen(amount) if AMOUNT.match(amount) else None
    if fen is None:
        error("金额（元）", _("金额格式不正确：%(value)s。") % {"value": values["金额（元）"] or _("（空）")})
    elif reference in expected and fen != expected[reference]:
        error("金额（元）", _("金额%(got)s元与付款金额%(want)s元不符。")
              % {"got": fen_to_yuan(fen), "want": fen_to_yuan(expected[reference])})
    status = values["状态"]
    if status not in (PAID, FAILED):
        error("状态", _("状态应为“成功”或“失败”，而不是“%(value)s”。") % {"value": status})
    reason = values["原因"][:200]
    if status == FAILED and not reason:
        error("原因", _("支付失败的记录须注明原因。"))
    day = _day(values["日期"])
    if day is None:
        error("日期", _("日期格式不正确：%(value)s（应为2026-11-24）。") % {"value": values["日期"] or _("（空）")})
    if len(errors) > before:
        return None
    return ReturnRow(number, reference, fen, status == PAID, reason, day)


def errors_csv(errors: Iterable[RowError]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["行号", "列", "问题"])
    for e in errors:
        writer.writerow([e.row, e.column, _text(e.message)])
    return out.getvalue().encode("utf-8-sig")
