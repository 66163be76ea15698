"""Rotation colours made safe to print into CSS or a spreadsheet and readable as cell backgrounds.

A rotation's colour is program data typed in by a coordinator. It is only ever emitted after
``normalise_hex`` accepted it (so no stylesheet injection), and the text on top of it is black
or white, whichever contrasts more: the better of the two is at least 4.58:1 for any colour,
so every cell meets WCAG AA for normal text.
"""

from __future__ import annotations

import re

FALLBACK = "#cccccc"
BLACK = "#000000"
WHITE = "#ffffff"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def normalise_hex(colour: str) -> str:
    """``#abc`` or ``#aabbcc`` (any case) as lower-case ``#aabbcc``; anything else falls back."""
    value = colour.strip()
    if not _HEX.match(value):
        return FALLBACK
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits}"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    digits = normalise_hex(colour)[1:]
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_for(background: str) -> str:
    """Black or white text, whichever reads better on ``background``."""
    if contrast_ratio(background, BLACK) >= contrast_ratio(background, WHITE):
        return BLACK
    return WHITE
