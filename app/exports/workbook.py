"""A sheet as an XLSX workbook (openpyxl): bold frozen headings, filters, columns sized."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.exports.queries import Sheet

# A cell starting with one of these is a formula to a spreadsheet program: text from
# applicants is written with a leading apostrophe's equivalent (a quote prefix) instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx(sheet: Sheet) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet.title[:31]
    worksheet.append(sheet.headings)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        worksheet.append([_safe(value) for value in row])
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
    worksheet.freeze_panes = "A2"
    if sheet.rows:
        worksheet.auto_filter.ref = worksheet.dimensions
    for index, heading in enumerate(sheet.headings, start=1):
        longest = max([len(str(heading))] + [len(str(row[index - 1] or "")) for row in sheet.rows])
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(value: Any) -> Any:
    """Characters XML 1.0 cannot hold are dropped from text."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return value
