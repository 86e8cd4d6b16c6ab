"""The same attacks through the MCP surface: `run_query` runs a query the MCP client wrote
(no LLM in between) through the same guard and policies, so every guard-level attack of
classes 1-4 and 8 is sent again that way, on every SQL engine and on the containers."""

from __future__ import annotations

import pytest

from tests.adversarial.cases import catalogs, children, documents, errors, identifiers, writes
from tests.adversarial.conftest import run_mcp_case
from tests.adversarial.harness import SQL_ENGINES, params

MCP_SQL = [*identifiers.CASES, *catalogs.CASES, *errors.CASES, *children.CASES, *writes.CASES]
MCP_DOCS = [c for c in documents.CASES if not c.claims]


@pytest.mark.parametrize(("engine", "attack"), params(MCP_SQL, SQL_ENGINES))
def test_an_mcp_clients_own_query_shows_nothing_hidden(engine, attack, world_for):
    run_mcp_case(world_for(engine), attack)


@pytest.mark.parametrize(("engine", "attack"), params(MCP_DOCS, ("documents",)))
def test_an_mcp_clients_own_container_query_shows_nothing_hidden(engine, attack, documents_world):
    run_mcp_case(documents_world, attack)
