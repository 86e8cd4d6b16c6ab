"""Row and column policies, audit and rate limits hold through MCP as through the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from data_assistant.settings import load_settings
from tests.mcp.conftest import LiveServer, mcp_client, serve, token

pytestmark = pytest.mark.anyio

CUSTOMERS = "SELECT id, name, email, region_id FROM customers ORDER BY id"


async def test_a_user_gets_the_same_rows_through_mcp_as_through_the_http_api(live: LiveServer):
    question = {"database": "sales", "question": "top 5 customers by revenue"}
    answers = {}
    for region in (1, 2):
        bearer = token(region=region)
        async with mcp_client(live.mcp_url, bearer) as client:
            result = await client.call_tool("ask", question)
        http = live.api("/api/v1/query/sql", question, bearer)
        assert http.status_code == 200
        assert result.structured_content["results"] == http.json()["results"]
        answers[region] = result.structured_content["results"]
    # The filter is what made them equal: the two regions' best customers differ.
    assert answers[1] != answers[2]


async def test_run_query_sees_only_the_rows_and_masks_the_policies_allow(live: LiveServer):
    async with mcp_client(live.mcp_url, token(region=2)) as client:
        result = await client.call_tool("run_query", {"source": "sales", "query": CUSTOMERS})
        assert not result.is_error, result.content
        rows = result.structured_content["results"]
        assert rows and {row["region_id"] for row in rows} == {2}
        assert {row["email"] for row in rows} == {"***"}
        # A filter the query writes itself cannot widen the policy's.
        others = "SELECT COUNT(*) AS n FROM customers WHERE region_id <> 2"
        wider = await client.call_tool("run_query", {"source": "sales", "query": others})
        assert wider.structured_content["results"] == [{"n": 0}]


async def test_a_token_without_the_claim_a_policy_reads_is_denied_as_over_http(live: LiveServer):
    bearer = token("carol", region=None)
    async with mcp_client(live.mcp_url, bearer) as client:
        result = await client.call_tool("run_query", {"source": "sales", "query": CUSTOMERS})
    question = {"database": "sales", "question": "how many customers"}
    http = live.api("/api/v1/query/sql", question, bearer)
    assert http.status_code == 403
    assert result.is_error and result.content[0].text == http.json()["detail"]


async def test_audit_entries_name_the_surface_each_question_came_through(live: LiveServer):
    bearer = token("auditor")
    question = {"database": "sales", "question": "how many orders per status"}
    async with mcp_client(live.mcp_url, bearer) as client:
        await client.call_tool("ask", question)
        await client.call_tool("run_query", {"source": "sales", "query": "SELECT 1 AS one"})
    live.api("/api/v1/query/sql", question, bearer)
    mine = [e for e in live.audit() if e["subject"] == "auditor"]
    assert [(e["surface"], e["action"], e["outcome"]) for e in mine] == [
        ("mcp", "ask", "ok"),
        ("mcp", "query", "ok"),
        ("api", "ask", "ok"),
    ]
    assert mine[0]["client_address"] == "127.0.0.1"
    assert mine[1]["sql"].startswith("SELECT 1 AS one")


@pytest.fixture(scope="module")
def limited(config_file) -> Iterator[LiveServer]:
    """The same server with a small rate limit: two questions, then one a minute."""
    settings = load_settings(config_file, environ={})
    yield from serve(settings.merged({"rate_limit": {"per_minute": 1, "burst": 2}}))


async def test_mcp_and_http_questions_take_from_the_same_rate_limit(limited: LiveServer):
    bearer = token("eager")
    question = {"database": "sales", "question": "how many orders per status"}
    assert limited.api("/api/v1/query/sql", question, bearer).status_code == 200
    async with mcp_client(limited.mcp_url, bearer) as client:
        assert not (await client.call_tool("ask", question)).is_error
        refused = await client.call_tool("ask", question)
    assert refused.is_error and refused.content[0].text.startswith("Too many questions")
    assert limited.api("/api/v1/query/sql", question, bearer).status_code == 429
    outcomes = [e["outcome"] for e in limited.audit() if e["subject"] == "eager"]
    assert outcomes == ["ok", "ok", "rate_limited", "rate_limited"]
