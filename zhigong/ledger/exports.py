"""Tables of the ledger's pages as xlsx (openpyxl) or CSV (UTF-8 with BOM, so that Excel on a
Chinese Windows opens it right). Money in yuan with two decimals, computed from fen."""

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse
from openpyxl import Workbook

from zhigong.core.money import fen_to_yuan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Money(int):
    """A fen amount in a row: written as yuan."""


def response(kind: str, name: str, title: str, headers: Sequence[str], rows: Sequence[Sequence]) -> HttpResponse:
    if kind == "xlsx":
        content, mime, suffix = xlsx(title, headers, rows), XLSX, "xlsx"
    else:
        content, mime, suffix = csv_bytes(headers, rows), "text/csv; charset=utf-8", "csv"
    reply = HttpResponse(content, content_type=mime)
    reply["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return reply


def _cell(value):
    return fen_to_yuan(value) if isinstance(value, Money) else value


def xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
