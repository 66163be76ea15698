from __future__ import annotations

import itertools

import pytest

from resched.core.colours import FALLBACK, contrast_ratio, normalise_hex, text_colour_for


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("#ABC", "#aabbcc"),
        (" #1f77b4 ", "#1f77b4"),
        ("red", FALLBACK),
        ("#12345", FALLBACK),
        ("#fff;}a", FALLBACK),
        ("#000}</", FALLBACK),
    ],
)
def test_only_hex_colours_reach_the_stylesheet(given: str, safe: str) -> None:
    assert normalise_hex(given) == safe


def test_text_on_any_rotation_colour_meets_wcag_aa() -> None:
    steps = range(0, 256, 15)
    for r, g, b in itertools.product(steps, steps, steps):
        background = f"#{r:02x}{g:02x}{b:02x}"
        assert contrast_ratio(background, text_colour_for(background)) >= 4.5, background


def test_contrast_ratio_extremes() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
