"""Tiny hostile .xlsx files for the tests of every upload point: each one is a few kilobytes.

openpyxl writes sheet N of a workbook as xl/worksheets/sheetN.xml, so a sheet is named by its
position; the XML is edited in the zip the way an attacker (or a broken exporter) would."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from openpyxl import Workbook, load_workbook


def xlsx(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["Nombre"], ["Ana"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    return f"xl/worksheets/sheet{load_workbook(io.BytesIO(data)).sheetnames.index(title) + 1}.xml"


def with_part(data: bytes, part: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The workbook with one part of its zip rewritten (or dropped when `change` returns None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert part in source.namelist(), part
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content: bytes | None = source.read(info.filename)
            if info.filename == part:
                content = change(content)  # type: ignore[arg-type]
            if content is not None:
                target.writestr(info.filename, content)
    return buffer.getvalue()


def declaring(data: bytes, ref: str, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The sheet's <dimension> says `ref` ("A1:XFD5001"), whatever the sheet really holds."""
    return with_part(
        data, part, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)
    )


def without_dimension(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    return with_part(data, part, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b"", xml))


def far_cell() -> bytes:
    """One value at A1048576: openpyxl itself declares 1,048,576 rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Nombre"
    sheet["A1048576"] = "Ana"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def broken_xml(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    return with_part(data, part, lambda xml: xml[: len(xml) // 2] + b"<c r=<<<")


def without_sheets(data: bytes) -> bytes:
    """xl/workbook.xml is there (so it looks like a workbook) but lists no sheet."""
    return with_part(data, "xl/workbook.xml", lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml))


def without_sheet_part(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    return with_part(data, part, lambda xml: None)


def rows_past(limit: int) -> bytes:
    """A sheet with `limit` + 1 rows that declares only A1:A2 (the declaration lies)."""
    return declaring(xlsx([["Nombre"]] + [[f"P{n}"] for n in range(limit)]), "A1:A2")
