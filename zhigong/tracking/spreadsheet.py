"""The progress spreadsheets: the templates an enterprise downloads (its open measures, or its
accepted proposals being carried out, one per row), reading an uploaded file into
rules.ImportRow values, and the error report. openpyxl writes and reads; nothing here touches
the database."""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhigong.tracking import rules

# The header rows, in rules.COLUMNS / rules.PROPOSAL_COLUMNS order. The Chinese header is what
# a file must carry; the progress columns have the same header at the same place in both.
HEADERS = {
    "measure": gettext_lazy("措施编号"),
    "resolution": gettext_lazy("决议"),
    "title": gettext_lazy("措施"),
    "department": gettext_lazy("责任部门"),
    "due_on": gettext_lazy("完成期限"),
    "previous": gettext_lazy("当前进度(%)"),
    "percent": gettext_lazy("本次进度(%)"),
    "on": gettext_lazy("日期"),
    "note": gettext_lazy("进展情况"),
    "reason": gettext_lazy("下调原因"),
    "proposal": gettext_lazy("提案ID"),
    "number": gettext_lazy("提案编号"),
    "proposal_title": gettext_lazy("案由"),
    "lead_department": gettext_lazy("主办部门"),
    "answer_due": gettext_lazy("答复期限"),
}
SOURCE_HEADERS = ("措施编号", "决议", "措施", "责任部门", "完成期限", "当前进度(%)", "本次进度(%)", "日期",
                  "进展情况", "下调原因")
PROPOSAL_SOURCE_HEADERS = ("提案ID", "提案编号", "案由", "主办部门", "答复期限", "当前进度(%)", "本次进度(%)", "日期",
                           "进展情况")
MAX_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LETTERS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class Layout:
    """One kind of progress file: its columns, the headers it must carry, its sheet and notes."""

    kind: str
    columns: tuple[str, ...]
    source: tuple[str, ...]
    widths: tuple[int, ...]
    sheet: str
    notes: tuple[str, ...]

    @property
    def target(self) -> str:
        """Column A: what a row updates ("measure" or "proposal")."""
        return self.columns[0]

    def header(self, column: str) -> str:
        return self.source[self.columns.index(column)]


MEASURES = Layout("measures", rules.COLUMNS, SOURCE_HEADERS, (10, 36, 36, 14, 12, 12, 12, 12, 40, 24), "进度", (
    "1. 只填写黄色各列：本次进度（0到100的整数）、日期（如 2026-05-01，不填为导入当天）、进展情况（必填）。",
    "2. 本次进度低于当前进度时，必须填写下调原因。",
    "3. 不需要更新的措施，本次进度留空即可；不要修改表头和前六列。",
    "4. 文件中任何一行有错，整个文件都不会导入；请按错误报告改正后重新上传。",
))
PROPOSALS = Layout("proposals", rules.PROPOSAL_COLUMNS, PROPOSAL_SOURCE_HEADERS, (10, 14, 40, 14, 12, 12, 12, 12, 40),
                   "提案进度", (
    "1. 本表列出本企业已答复、正在落实的提案。只填写黄色各列：本次进度（0到100的整数，填100表示已落实）、"
    "日期（如 2026-05-01，不填为导入当天）、进展情况（必填）。",
    "2. 提案的落实进度只能增加，不能低于当前进度。",
    "3. 不需要更新的提案，本次进度留空即可；不要修改表头和前六列。",
    "4. 文件中任何一行有错，整个文件都不会导入；请按错误报告改正后重新上传。",
))
LAYOUTS = {layout.kind: layout for layout in (MEASURES, PROPOSALS)}
FILLED_BY_USER = ("percent", "on", "note", "reason")
DATE_COLUMNS = ("due_on", "answer_due", "on")


@dataclass(frozen=True)
class TemplateRow:
    """The leading cells of a measure's row, in column order."""

    measure: int
    resolution: str
    title: str
    department: str
    due_on: date
    previous: int


@dataclass(frozen=True)
class ProposalTemplateRow:
    """The leading cells of an accepted proposal's row, in column order."""

    proposal: int
    number: str
    title: str
    department: str
    due_on: date | None
    previous: int


class UnreadableFile(ValueError):
    """Not an xlsx workbook at all."""


def column_letter(column: str) -> str:
    layout = MEASURES if column in MEASURES.columns else PROPOSALS
    return LETTERS[layout.columns.index(column)]


def column_label(column: str) -> str:
    return f"{column_letter(column)} {HEADERS[column]}" if column in HEADERS else ""


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(headers))
    for index, width in enumerate(widths):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2E6E6")
        sheet.column_dimensions[LETTERS[index]].width = width
    sheet.freeze_panes = "A2"


def template(rows: Iterable[TemplateRow | ProposalTemplateRow], today: date, layout: Layout = MEASURES) -> bytes:
    """Open measures (or proposals), one per row; the user fills 本次进度, 日期, 进展情况 (and
    下调原因 for a measure going down). The header is always the Chinese one, which is what the
    import checks."""
    book = Workbook()
    sheet = book.active
    sheet.title = layout.sheet
    _header(sheet, layout.source, layout.widths)
    blank = [None] * (len(layout.columns) - 6)
    for row in rows:
        sheet.append([*astuple(row), *blank])
    for cells in sheet.iter_rows(min_row=2):
        for index, column in enumerate(layout.columns):
            if column in DATE_COLUMNS:
                cells[index].number_format = "yyyy-mm-dd"
            if column in FILLED_BY_USER:
                cells[index].fill = PatternFill("solid", fgColor="FFF8DC")
    notes = book.create_sheet("说明")
    for line in ("填写说明：", *layout.notes, f"模板生成日期：{today.isoformat()}"):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    return _save(book)


# --- Reading -----------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _integer(value) -> tuple[int | None, bool]:
    """(number, ok): a whole number from an int, a whole float, or text like "60" or "60%"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return value, True
    if isinstance(value, float):
        return (int(value), True) if value.is_integer() else (None, False)
    text = str(value).strip().rstrip("%").strip()
    if text.lstrip("-").isdigit():
        return int(text), True
    return None, False


def _day(value) -> tuple[date | None, bool]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-"))), True
    except ValueError:
        return None, False


def parse_row(number: int, values: Sequence, layout: Layout = MEASURES) -> rules.ImportRow:
    columns = layout.columns
    cells = dict(zip(columns, list(values) + [None] * (len(columns) - len(values)), strict=False))
    bad: dict[str, str] = {}
    target, ok = _integer(cells[layout.target])
    if not ok:
        bad[layout.target] = _text(cells[layout.target])
    percent, ok = _integer(cells["percent"])
    if not ok:
        bad["percent"] = _text(cells["percent"])
    on, ok = _day(cells["on"])
    if not ok:
        bad["on"] = _text(cells["on"])
    return rules.ImportRow(number, target, percent, on, _text(cells["note"]), _text(cells.get("reason")), bad)


@dataclass(frozen=True)
class Parsed:
    header_errors: list[tuple[int, str, str]]  # (row, column, code)
    rows: list[rules.ImportRow]


def read(content: bytes, layout: Layout = MEASURES) -> Parsed:
    """The rows of the first sheet after its header. A header that is not the template's (a
    column missing, moved or renamed) is reported per column, and no row is read."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile(str(exc)) from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(lines, ())]
    while header and header[-1] == "":
        header.pop()
    errors = [(1, column, "import.header") for index, column in enumerate(layout.columns)
              if index >= len(header) or header[index] != layout.source[index]]
    if len(header) > len(layout.columns):
        errors.append((1, "", "import.header_extra"))
    if errors:
        book.close()
        return Parsed(errors, [])
    rows = []
    for number, values in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            book.close()
            return Parsed([(number, "", "import.too_many_rows")], [])
        rows.append(parse_row(number, values, layout))
    book.close()
    return Parsed([], rows)


# --- The error report ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # a name of rules.COLUMNS or rules.PROPOSAL_COLUMNS, or "" for the whole file
    value: str
    message: str

    @property
    def column_label(self) -> str:
        return column_label(self.column)


def error_report(errors: Sequence[RowError], file_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("错误报告")
    _header(sheet, [_("行号"), _("列"), _("填写内容"), _("错误说明")], (8, 20, 24, 70))
    for error in errors:
        sheet.append([error.row, error.column_label, error.value, error.message])
    for cells in sheet.iter_rows(min_row=2):
        cells[3].alignment = Alignment(wrap_text=True)
    sheet.append([])
    sheet.append([_("文件：%(name)s。有错误的文件不会导入任何一行，请改正后重新上传。") % {"name": file_name}])
    return _save(book)
