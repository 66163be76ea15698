"""moonlighting-pgy1: any moonlighting by a PGY-1 is a violation; other levels and kinds are not."""

from __future__ import annotations

from tests.core.builders import Doc


def logged(pgy: int, kind: str) -> Doc:
    doc = Doc("2026-07-01").resident("r1", pgy=pgy)
    return doc.log("r1", "2026-07-05T18:00", "2026-07-05T23:30", kind)


def test_pgy1_moonlighting_is_a_violation() -> None:
    [finding] = logged(1, "moonlighting").violations()
    assert finding.rule == "moonlighting-pgy1"
    assert (finding.value, finding.limit) == (5.5, 0.0)
    assert finding.start.isoformat() == "2026-07-05"


def test_pgy2_may_moonlight() -> None:
    assert logged(2, "moonlighting").violations() == []


def test_other_logged_work_by_pgy1_is_not_moonlighting() -> None:
    assert logged(1, "home_call").violations() == []
    assert logged(1, "extra").violations() == []
