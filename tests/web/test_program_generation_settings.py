"""The Program page lists the program's generation settings: heavy and weekend-free rotations
by name, and every weight of both solvers with whether the program or the default set it."""

from __future__ import annotations

import pytest

from resched.core.generation_settings import GenerationSettings
from resched.services.generation_settings import update_generation_settings
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.seed import Seeded

pytestmark = pytest.mark.db


def _rows(text: str, caption: str) -> dict[str, tuple[str, str]]:
    page = parse(text)
    table = next(t for t in page.all("table") if [c.text for c in t.all("caption")] == [caption])
    cells = [[td.text for td in tr.all("td")] for tr in table.all("tr")]
    return {c[0]: (c[1], c[2]) for c in cells if c}


def test_the_settings_section_lists_the_generation_settings(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    settings = GenerationSettings(
        shift_weights={"weekend_free": 11},
        heavy_rotations=frozenset({"ICU"}),
        weekend_rotations=frozenset({"ICU"}),
        max_heavy_run=3,
    )
    update_generation_settings(factory=web.session_factory, settings=settings)

    response = web.client.get("/program")
    assert response.status_code == 200
    text = parse(response.text).text
    assert "Heavy rotations Intensive Care Unit" in text
    assert "Longest run of heavy blocks 3 blocks" in text
    assert "Free weekend day owed on Intensive Care Unit" in text
    assert "Minimum rest between shifts 10 h (allowed without it: half-day then half-day" in text
    shifts = _rows(response.text, "Shift schedule weights")
    assert shifts["weekend_free"] == ("11", "program")
    assert shifts["rest_8h"] == ("20", "default")
    assert _rows(response.text, "Rotation plan weights")["heavy_streak"] == ("5", "default")
