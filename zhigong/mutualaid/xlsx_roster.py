"""Roster spreadsheets: the template an enterprise union downloads, reading an upload row by
row (python-calamine), the error report and the roster export (openpyxl, write-only so that a
large roster streams)."""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from zhigong.core.errors import DomainError
from zhigong.mutualaid import rules_roster as rules

SHEET = "花名册"
INSTRUCTIONS = "填写说明"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


# --- Reading ----------------------------------------------------------------------------------------

@dataclass
class Sheet:
    header: list
    first_row: int  # Excel row number of the header
    rows: Iterator[list]
    total: int  # data rows (from the sheet's extent; trailing blank rows are not counted)


def open_sheet(source) -> Sheet:
    """The roster sheet of an xlsx (a path or a file): the one named 花名册, else the first.
    Raises DomainError when the file is not a readable workbook or holds no header."""
    try:
        book = CalamineWorkbook.from_object(source)
        name = SHEET if SHEET in book.sheet_names else book.sheet_names[0]
        sheet = book.get_sheet_by_name(name)
    except (CalamineError, IndexError, ValueError, OSError) as exc:
        raise DomainError("roster.unreadable", _("无法读取该文件，请上传用Excel保存的 .xlsx 花名册。"),
                          field="file", reason=type(exc).__name__) from None
    start = sheet.start or (0, 0)
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None or all(rules.blank(c) for c in header):
        raise DomainError("roster.empty", _("花名册是空的：第一行应为列名，从第二行起每行一名职工。"), field="file")
    return Sheet(header=list(header), first_row=start[0] + 1, rows=rows, total=max(sheet.height - 1, 0))


def chunks(sheet: Sheet, size: int) -> Iterator[tuple[list[int], list[list]]]:
    """(Excel row numbers, rows) in chunks of `size`."""
    number = sheet.first_row
    numbers: list[int] = []
    batch: list[list] = []
    for row in sheet.rows:
        number += 1
        numbers.append(number)
        batch.append(row)
        if len(batch) == size:
            yield numbers, batch
            numbers, batch = [], []
    if batch:
        yield numbers, batch


# --- Writing ------------------------------------------------------------------------------------------

def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _head(sheet, titles: list[str], widths: list[int]) -> None:
    sheet.append(titles)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = BOLD, HEAD_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width


def template(plans: Iterable[rules.PlanTerms]) -> bytes:
    """The roster template: the 花名册 sheet with the headers (ID and mobile columns formatted
    as text, the date column as a date) and a 填写说明 sheet with each column's rule and the
    plans this enterprise may join."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _head(sheet, list(rules.HEADERS), [10, 22, 14, 12, 14, 24, 8, 14])
    for letter, fmt in (("B", "@"), ("C", "@"), ("D", "yyyy-mm-dd"), ("E", "0.00"), ("G", "0"), ("H", "@")):
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = fmt
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    yes_no.add("H2:H1001")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(INSTRUCTIONS)
    _head(notes, [_("列名"), _("必填"), _("填写要求"), _("示例")], [14, 8, 48, 22])
    for column in rules.COLUMNS:
        notes.append([column.header, _("是") if column.required else _("否"), column.hint, column.example])
    notes.append([])
    notes.append([_("每行一名职工；第一行列名不要修改；不要留空行。同一人参加多个计划时每个计划一行。")])
    notes.append([_("文件不超过%(mb)s MB，须为 .xlsx 格式。") % {"mb": MAX_MB}])
    notes.append([])
    notes.append([_("可参加的保障计划"), _("计划代码"), _("年龄"), _("每人最多份数")])
    for plan in plans:
        notes.append([plan.name, plan.code, f"{plan.min_age}–{plan.max_age}", plan.max_shares])
    return _save(book)


MAX_MB = 20


def error_report(issues: Iterable[dict], total_errors: int) -> bytes:
    """The error report: Excel row number, column and the Chinese message, one line each."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("错误报告"))
    sheet.append([_("行号"), _("列"), _("问题说明"), _("代码")])
    kept = 0
    for issue in issues:
        sheet.append([issue["row"], issue["column"], issue["message"], issue["code"]])
        kept += 1
    if kept < total_errors:
        sheet.append([])
        sheet.append([_("共%(total)s处问题，此处列出前%(kept)s处；改正后重新上传可看到其余问题。")
                      % {"total": total_errors, "kept": kept}])
    return _save(book)


EXPORT_HEADERS = ["姓名", "身份证号", "手机号", "保障计划", "份数", "保障起始日", "等待期满日", "保障终止日", "状态"]


def roster_export(rows: Iterable[tuple]) -> bytes:
    """The roster as xlsx, streamed row by row (ID numbers masked)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append([_(h) for h in EXPORT_HEADERS])
    for row in rows:
        sheet.append(list(row))
    return _save(book)
