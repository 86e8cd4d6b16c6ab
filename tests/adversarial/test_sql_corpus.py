"""The SQL corpus: every attack of classes 1-4 and 7-10 on every SQL engine, through the real
server, with the stand-in LLM emitting the attack (see README.md)."""

from __future__ import annotations

import pytest

from tests.adversarial.cases import (
    catalogs,
    children,
    errors,
    identifiers,
    metadata,
    novel,
    reshaping,
    writes,
)
from tests.adversarial.conftest import run_sql_case
from tests.adversarial.harness import SQL_ENGINES, Case, params

SQL_CASES: list[Case] = [
    *identifiers.CASES,
    *catalogs.CASES,
    *errors.CASES,
    *children.CASES,
    *writes.CASES,
    *reshaping.CASES,
    *novel.CASES,
    *metadata.CASES,
]


@pytest.mark.parametrize(("engine", "attack"), params(SQL_CASES, SQL_ENGINES))
def test_an_attack_shows_nothing_hidden_and_changes_nothing(engine, attack, world_for):
    run_sql_case(world_for(engine), attack)
