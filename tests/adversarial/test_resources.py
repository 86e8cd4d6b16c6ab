"""Class 5: resource attacks on every engine and on the document engine (see README.md)."""

from __future__ import annotations

import pytest

from tests.adversarial.cases import resources
from tests.adversarial.conftest import run_resource_case
from tests.adversarial.harness import SQL_ENGINES, params


@pytest.mark.parametrize(("engine", "attack"), params(resources.SQL_CASES, SQL_ENGINES))
def test_a_costly_query_ends_cleanly_and_the_server_keeps_answering(engine, attack, world_for):
    run_resource_case(world_for(engine), attack)


@pytest.mark.parametrize(("engine", "attack"), params(resources.DOC_CASES, ("documents",)))
def test_a_costly_document_query_ends_cleanly_and_the_server_keeps_answering(
    engine, attack, documents_world
):
    run_resource_case(documents_world, attack, documents=True)
