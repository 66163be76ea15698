"""The text of a PDF written by resched.io (compressed or not), read back
without a PDF library: each font's ToUnicode map turns the glyph ids of the ``Tj`` strings
into characters. Enough for fpdf2's output, which draws each line as one text object."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
MAPPING = re.compile(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4,8})>")
SHOW = re.compile(rb"/(F\d+) [0-9.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|\bET\b", re.S)
STREAM_DICT = re.compile(rb"<<((?:(?!>>).)*)>>\s*stream\r?\n", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def pdf_lines(data: bytes) -> list[str]:
    """Every drawn string, in drawing order."""
    assert data.startswith(b"%PDF-"), data[:20]
    data = _inflate(data)
    objects = {int(m[1]): m[2] for m in OBJECT.finditer(data)}
    maps: dict[bytes, dict[int, str]] = {}
    for name, ref in FONT_REF.findall(data):
        unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
        assert unicode_ref is not None, name
        cmap = objects[int(unicode_ref[1])]
        maps[name] = {int(g, 16): _chars(u) for g, u in MAPPING.findall(cmap)}
    lines: list[str] = []
    font, line = b"", ""
    for match in SHOW.finditer(data):
        if match[1]:
            font = match[1]
        elif match[2] is not None:
            raw = _unescape(match[2])
            glyphs = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            line += "".join(maps[font].get(g, "\ufffd") for g in glyphs)
        elif line:  # ET: a text object (one drawn line, the page count filled in) ends
            lines.append(line)
            line = ""
    return lines


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_lines(data))


def _inflate(data: bytes) -> bytes:
    """``data`` with every Flate-compressed stream decompressed in place."""
    parts, at = [], 0
    for match in STREAM_DICT.finditer(data):
        if match.start() < at or b"/FlateDecode" not in match[1]:
            continue
        length = re.search(rb"/Length (\d+)", match[1])
        assert length is not None
        end = match.end() + int(length[1])
        parts += [data[at : match.end()], zlib.decompress(data[match.end() : end])]
        at = end
    return b"".join([*parts, data[at:]])


def _chars(hex_units: bytes) -> str:
    return bytes.fromhex(hex_units.decode()).decode("utf-16-be")


def _unescape(text: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match[1]
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, text, flags=re.S)
