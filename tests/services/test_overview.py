"""The program overview read model: grouping, and a query count independent of size."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.services import overview, people
from tests import builders
from tests.conftest import StatementCounter

Factory = sessionmaker[Session]


def test_people_grouped_by_pgy(session_factory: Factory) -> None:
    program = builders.store_program(session_factory, 6)
    people.create_person(factory=session_factory, profile=builders.resident("nolevel"))
    people.create_person(factory=session_factory, profile=builders.faculty("f1"))
    view = overview.get_program_overview(factory=session_factory, academic_year_id=program.year_id)
    assert [(g.pgy, len(g.residents)) for g in view.residents_by_pgy] == [(1, 2), (2, 2), (3, 2)]
    assert all(p.pgy == g.pgy for g in view.residents_by_pgy for p in g.residents)
    assert [p.code for p in view.residents_without_pgy] == ["nolevel"]
    assert [p.code for p in view.faculty] == ["f1"]
    assert (len(view.rotations), len(view.shift_types), len(view.coverage)) == (6, 6, 6)
    assert view.rotations[0].capacities
    assert view.rotations[0].requirements


def test_unknown_year(session_factory: Factory) -> None:
    with pytest.raises(NotFound):
        overview.get_program_overview(factory=session_factory, academic_year_id=1234)


@pytest.mark.parametrize("size", [5, 50])
def test_query_count_does_not_grow_with_the_program(
    session_factory: Factory, statement_counter: StatementCounter, size: int
) -> None:
    program = builders.store_program(session_factory, size)
    count = statement_counter.count(
        lambda: overview.get_program_overview(
            factory=session_factory, academic_year_id=program.year_id
        )
    )
    # program, year + blocks + holidays, people, rotations + capacities + requirements,
    # shift types, coverage (joined with its shift type): 10, at any size.
    assert count == 10, statement_counter.statements
