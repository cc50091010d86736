"""Tables for spreadsheets: CSV as Dutch Excel reads it, and .xlsx workbooks.

CSV: `;` between fields, a decimal comma in numbers and no thousands separator
(``1234,5``), ``ja``/``nee`` for truth values, ISO dates, UTF-8 with a byte-order mark so
Excel recognises the encoding. ``.xlsx`` (openpyxl): numbers stay numbers and dates stay
dates, one sheet per table, the header row bold and frozen. JSON output stays plain
(dots, ISO 8601); these are for people with a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from maatwerk.engine.model import dutch

BOM = "\ufeff"


def csv_cell(value: Any) -> str:
    """One value as a Dutch spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        return dutch.csv_number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(csv_cell(v) for v in value)
    return str(value)


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV file as text, byte-order mark first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return BOM + out.getvalue()


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """A workbook with one sheet per (title, headers, rows); numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(c.value or "")) for c in sheet[sheet.cell(1, i)
                                                                                      .column_letter]])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, width + 2)
    book.save(path)
