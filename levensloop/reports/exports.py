"""CSV and XLSX files of the monthly counts. Text cells are neutralised against formula
injection (`levensloop.exports.safe_cell`) and, in XLSX, always stored as text, never as a
formula; numbers stay numbers. Built in memory; no personal data in the file or its name."""

from __future__ import annotations

import io

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from levensloop.exports import csv_response, safe_cell

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_file(filename: str, header: list[str], rows: list[list]) -> Response:
    """Dutch Excel dialect (UTF-8 with BOM, semicolons); every cell through safe_cell."""
    return csv_response(filename, header, rows)


def _text_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.data_type = "s"  # text, whatever it starts with: never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def _cell(sheet, value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _text_cell(sheet, value)
    return value


def xlsx_bytes(
    sheet_name: str, header: list[str], rows: list[list], about: list[tuple[str, str]]
) -> bytes:
    """A workbook with the data sheet (bold header, frozen first row) and a sheet that says
    what the file is (generated when, by which role, which month, which protection)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_text_cell(sheet, h, bold=True) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    info = workbook.create_sheet("Toelichting")
    for key, value in about:
        info.append([_text_cell(info, key, bold=True), _cell(info, value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(filename: str, content: bytes) -> Response:
    response = Response(content, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
