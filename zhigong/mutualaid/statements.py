"""Bank statements (银行流水) of contribution payments, read from xlsx or CSV and matched on the
notice number that the enterprise writes in the remark (附言). No database: the caller passes
what is still due on each notice it may see and the bank references already recorded, and
writes nothing unless the whole file is clean. docs/mutualaid/contributions.md lists the
columns."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from zhigong.core.bankfiles import RowError, read_table
from zhigong.core.errors import DomainError
from zhigong.core.money import yuan_to_fen

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 200
# The columns and the names banks use for them.
COLUMNS = {
    "day": ("交易日期", "日期", "到账日期", "记账日期"),
    "reference": ("流水号", "交易流水号", "银行流水号", "凭证号"),
    "payer": ("付款人", "对方户名", "付款人名称", "对方账户名称"),
    "amount": ("金额（元）", "金额(元)", "贷方金额", "收入金额", "金额"),
    "remark": ("附言", "摘要", "备注", "用途"),
}
NUMBER = re.compile(r"JF\d{12}")
AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")


@dataclass(frozen=True)
class StatementRow:
    row: int
    day: date
    reference: str
    payer: str
    amount_fen: int
    invoice_number: str
    credit_fen: int = 0  # above what the notice still owes: kept as the enterprise's credit


@dataclass
class Statement:
    rows: list[StatementRow] = field(default_factory=list)
    skipped: list[StatementRow] = field(default_factory=list)  # already recorded: importing twice is harmless
    errors: list[RowError] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.errors


def _header(row: list[str]) -> dict[str, int]:
    found = {}
    for name, aliases in COLUMNS.items():
        for i, cell in enumerate(row):
            if cell.strip() in aliases:
                found[name] = i
                break
    return found


def _day(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.split(" ")[0], pattern).date()
        except ValueError:
            continue
    return None


def parse_statement(data: bytes, due: Mapping[str, int], recorded: set[str], today: date | None = None) -> Statement:
    """Check every row. `due`: notice number → fen still owed, for the notices the importer may
    record; `recorded`: bank references already recorded; `today`: no row may be later."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise DomainError("file.too_large", _("银行流水文件不能超过5MB。"), field="file")
    table = [row for row in read_table(data) if any(cell.strip() for cell in row)]
    if not table:
        raise DomainError("statement.empty", _("文件是空的。"), field="file")
    columns = _header(table[0])
    missing = [COLUMNS[name][0] for name in COLUMNS if name not in columns]
    if missing:
        raise DomainError("statement.columns",
                          _("缺少列：%(columns)s。第一行须为表头：交易日期、流水号、付款人、金额（元）、附言。")
                          % {"columns": "、".join(missing)}, field="file", missing=missing)
    result = Statement()
    seen: dict[str, int] = {}
    owed = dict(due)
    for number, cells in enumerate(table[1:], start=2):
        _check(number, {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()},
               owed, recorded, seen, result, today)
        if len(result.errors) >= MAX_ERRORS:
            break
    if not result.rows and not result.skipped and not result.errors:
        raise DomainError("statement.empty", _("文件中没有流水记录。"), field="file")
    return result


def _check(number: int, values: dict, owed: dict[str, int], recorded: set[str], seen: dict[str, int],
           result: Statement, today: date | None) -> None:
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    day = _day(values["day"])
    if day is None:
        error(COLUMNS["day"][0], _("日期格式应为2026-11-23。"))
    elif today is not None and day > today:
        error(COLUMNS["day"][0], _("到账日期不能晚于今天。"))
    reference = values["reference"]
    if not reference:
        error(COLUMNS["reference"][0], _("流水号不能为空。"))
    elif len(reference) > 64:
        error(COLUMNS["reference"][0], _("流水号过长。"))
    elif reference in seen:
        error(COLUMNS["reference"][0], _("与第%(row)d行流水号重复。") % {"row": seen[reference]})
    amount_text = values["amount"].replace(",", "").replace("¥", "").strip()
    amount = yuan_to_fen(amount_text) if AMOUNT.match(amount_text) else None
    if amount is None or amount <= 0:
        error(COLUMNS["amount"][0], _("金额应为大于零的数字，最多两位小数。"))
    found = NUMBER.findall(values["remark"].upper())
    invoice = found[0] if len(set(found)) == 1 else ""
    if not found:
        error(COLUMNS["remark"][0], _("附言中没有缴费通知单号（JF开头的14位编号）。"))
    elif len(set(found)) > 1:
        error(COLUMNS["remark"][0], _("附言中有多个通知单号，无法确定对应哪一张。"))
    elif invoice not in owed and reference not in recorded:
        error(COLUMNS["remark"][0], _("通知单号%(number)s不存在、已作废或不在您的管理范围内。") % {"number": invoice})
    if reference:
        seen.setdefault(reference, number)
    if errors:
        result.errors.extend(errors)
        return
    if reference in recorded:
        result.skipped.append(StatementRow(number, day, reference, values["payer"][:100], amount, invoice))
        return
    # Above what the notice still owes (after the file's earlier rows): the excess is kept as the
    # enterprise's credit, exactly as a payment recorded by hand (actions_contributions).
    excess = max(0, amount - owed[invoice])
    owed[invoice] -= amount - excess
    result.rows.append(StatementRow(number, day, reference, values["payer"][:100], amount, invoice, excess))
