"""An upload is judged by its content: type, size, zip bombs, encryption, macros, names."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from openpyxl import Workbook

from resched.core.errors import Invalid
from resched.io import uploads
from resched.io.uploads import (
    MAX_UPLOAD_BYTES,
    FileKind,
    check_upload,
    load_json,
)

ALL = set(FileKind)


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "code"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(filename: str, data: bytes, allowed: set[FileKind] = ALL) -> str:
    with pytest.raises(Invalid) as caught:
        check_upload(filename=filename, data=data, allowed=allowed)
    assert caught.value.details["field"] == "file"
    return caught.value.message


def test_kinds_are_detected_from_the_content() -> None:
    assert check_upload(filename="a.xlsx", data=workbook_bytes(), allowed=ALL).kind == "xlsx"
    assert check_upload(filename="a.csv", data=b"code,name\n", allowed=ALL).kind == "csv"
    assert check_upload(filename="a.json", data=b' \n{"a": 1}', allowed=ALL).kind == "json"
    # No extension, or one that says nothing: the content decides.
    assert check_upload(filename="upload", data=workbook_bytes(), allowed=ALL).kind == "xlsx"
    assert check_upload(filename="a.dat", data=b"[1]", allowed=ALL).kind == "json"


def test_an_extension_that_contradicts_the_content_is_refused() -> None:
    message = refused("people.xlsx", b"code,name\nA,B\n")
    assert "named as an Excel workbook" in message
    assert "CSV text" in message
    assert "Excel workbook" in refused("people.csv", workbook_bytes())


def test_a_kind_not_allowed_is_refused_naming_what_was_expected() -> None:
    message = refused("a.json", b"{}", {FileKind.CSV, FileKind.XLSX})
    assert "a JSON document" in message
    assert "CSV text" in message


def test_size_cap_and_empty_file() -> None:
    assert "10 MB" in refused("big.csv", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert "empty" in refused("nothing.csv", b"")
    limit = b"a," * (MAX_UPLOAD_BYTES // 2)
    assert check_upload(filename="edge.csv", data=limit, allowed=ALL).kind == "csv"


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = zipped(
        {
            "[Content_Types].xml": b"spreadsheetml.sheet.main",
            "xl/worksheets/sheet1.xml": b"\0" * 20_000_000,
        }
    )
    assert len(bomb) < 100_000
    assert "zip bomb" in refused("bomb.xlsx", bomb)


def test_total_uncompressed_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parts that compress little trip no ratio; their total does (cap lowered to keep the
    # test small: the check is the same sum).
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    noise = random.Random(7).randbytes(700_000)
    parts = {f"xl/part{i}.xml": noise for i in range(3)}
    parts["[Content_Types].xml"] = b"spreadsheetml.sheet.main"
    message = refused("huge.xlsx", zipped(parts))
    assert "would expand to 2 MB" in message
    del parts["xl/part2.xml"]
    assert check_upload(filename="ok.xlsx", data=zipped(parts), allowed=ALL).kind == "xlsx"


def test_other_binary_files_are_refused_by_what_they_are() -> None:
    assert "old-format (.xls)" in refused(
        "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64
    )
    assert "a PDF document" in refused("r.csv", b"%PDF-1.7\n...")
    assert "binary file" in refused("r.csv", b"ab\x00cd")
    assert "not UTF-8" in refused("r.csv", "café".encode("latin-1"))
    assert "not an Excel workbook" in refused("r.xlsx", zipped({"word.txt": b"hello"}))
    assert "damaged" in refused("r.xlsx", b"PK\x03\x04 not really a zip")
    docx = zipped({"[Content_Types].xml": b"wordprocessingml.document.main"})
    assert "Office file but not an Excel workbook" in refused("r.xlsx", docx)


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(zipped({"[Content_Types].xml": b"spreadsheetml.sheet.main"}))
    # Set the "encrypted" bit in the central directory entry (offset 8 from its signature).
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "encrypted" in refused("secret.xlsx", bytes(data))


def test_macros_are_ignored_and_said_so() -> None:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/vbaProject.bin"] = b"Attribute VB_Name = evil"
    upload = check_upload(filename="macro.xlsm", data=zipped(members), allowed=ALL)
    assert upload.kind == "xlsx"
    assert any("macros" in note for note in upload.notes)


def test_names_are_sanitised_for_display_and_headers() -> None:
    upload = check_upload(filename='C:\\Users\\me\\"People"\r\n2026.csv', data=b"a\n", allowed=ALL)
    assert upload.name == "People-2026.csv"
    assert check_upload(filename="../../etc/passwd.csv", data=b"a\n", allowed=ALL).name == (
        "passwd.csv"
    )


def test_json_errors_name_line_and_column() -> None:
    upload = check_upload(filename="d.json", data=b'{\n  "a": 1,\n}', allowed=ALL)
    with pytest.raises(Invalid) as caught:
        load_json(upload)
    assert "line 3" in caught.value.message
    assert load_json(check_upload(filename="d.json", data=b'{"a": [1]}', allowed=ALL)) == {"a": [1]}
