"""The SDK's own client over streamable HTTP, against the app served by uvicorn, with JWT auth."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import load_settings
from tests.mcp.conftest import LiveServer, mcp_client, token, write_config

pytestmark = pytest.mark.anyio

TOOL_NAMES = ["list_sources", "describe_source", "ask", "ask_documents", "run_query"]
# Both protocol revisions the server is documented to serve: auto probes server/discover
# (2026-07-28), legacy forces the initialize handshake (2025-11-25).
MODES = [
    pytest.param("auto", "2026-07-28", id="2026-07-28"),
    pytest.param("legacy", "2025-11-25", id="2025-11-25"),
]

CALLS: list[tuple[str, dict[str, Any]]] = [
    ("list_sources", {}),
    ("describe_source", {"source": "sales"}),
    ("describe_source", {"source": "tickets"}),
    ("ask", {"database": "sales", "question": "how many orders per status"}),
    ("ask_documents", {"container": "tickets", "question": "how many tickets per status"}),
    (
        "run_query",
        {"source": "sales", "query": "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"},
    ),
    ("run_query", {"source": "tickets", "query": "SELECT VALUE COUNT(1) FROM c"}),
]


@pytest.mark.parametrize(("mode", "version"), MODES)
async def test_the_client_lists_the_tools_and_calls_each_one(live: LiveServer, mode, version):
    async with mcp_client(live.mcp_url, token(), mode=mode) as client:
        assert client.protocol_version == version
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert sorted(tools) == sorted(TOOL_NAMES)
        for name, arguments in CALLS:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content)
            # The client validates against the output schema too; say so independently.
            jsonschema.Draft202012Validator(tools[name].output_schema).validate(
                result.structured_content
            )
            assert result.content[0].type == "text"


async def test_every_tool_says_it_only_reads_and_declares_both_schemas(live: LiveServer):
    async with mcp_client(live.mcp_url, token()) as client:
        for tool in (await client.list_tools()).tools:
            hints = tool.annotations
            assert hints is not None and hints.read_only_hint is True, tool.name
            assert hints.destructive_hint is False and hints.idempotent_hint is True
            assert tool.input_schema["type"] == "object"
            assert tool.output_schema is not None and tool.output_schema["type"] == "object"
            assert len(tool.description or "") > 100, "a description a model can act on"


async def test_answers_are_the_http_api_objects_for_the_same_question(live: LiveServer):
    bearer = token()
    cases = [
        (
            "ask",
            {"database": "sales", "question": "top 5 customers by revenue"},
            "/api/v1/query/sql",
        ),
        (
            "ask_documents",
            {"container": "tickets", "question": "how many tickets per priority"},
            "/api/v1/query/cosmos",
        ),
    ]
    async with mcp_client(live.mcp_url, bearer) as client:
        for tool, arguments, path in cases:
            result = await client.call_tool(tool, arguments)
            http = live.api(path, arguments, bearer)
            assert http.status_code == 200
            # Asked a second time, the question's query comes from the translation cache.
            over_mcp, over_http = dict(result.structured_content), http.json()
            assert over_http.pop("cached") is True and over_http.pop("translated_at")
            over_mcp.pop("cached"), over_mcp.pop("translated_at", None)
            assert over_mcp == over_http
        listed = await client.call_tool("list_sources", {})
    sources = httpx.get(f"{live.url}/api/v1/sources", headers={"authorization": f"Bearer {bearer}"})
    assert listed.structured_content == sources.json()


async def test_describe_source_gives_the_schema_the_translator_sees(live: LiveServer):
    async with mcp_client(live.mcp_url, token()) as client:
        result = await client.call_tool("describe_source", {"source": "sales"})
    described = result.structured_content
    assert described["language"] == "sql" and described["dialect"] == "sqlite"
    tables = {t["name"]: t for t in described["tables"]}
    assert {"customers", "orders", "order_items"} <= set(tables)
    assert "CREATE TABLE orders" in described["schema_text"]


async def test_a_token_without_the_raw_query_scope_neither_sees_nor_runs_run_query(
    live: LiveServer,
):
    async with mcp_client(live.mcp_url, token("bob", scopes=("read:data",))) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert "run_query" not in names and "ask" in names
        result = await client.call_tool("run_query", {"source": "sales", "query": "SELECT 1"})
        assert result.is_error
        assert result.content[0].text == "The request needs the scope 'query:raw'."
        # The scope is what decides: the same user with it may run the query.
    async with mcp_client(live.mcp_url, token("bob")) as client:
        result = await client.call_tool(
            "run_query", {"source": "sales", "query": "SELECT 1 AS one"}
        )
        assert not result.is_error and result.structured_content["results"] == [{"one": 1}]


def initialize_body(version: str = "2025-11-25") -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": version,
            "capabilities": {},
            "clientInfo": {"name": "curl", "version": "1"},
        },
    }


def post_mcp(
    live: LiveServer, *, bearer: str | None = None, body: Any = None, **kwargs: Any
) -> httpx.Response:
    headers = {"accept": "application/json, text/event-stream", **kwargs.pop("headers", {})}
    if bearer is not None:
        headers["authorization"] = f"Bearer {bearer}"
    return httpx.post(live.mcp_url, json=body or initialize_body(), headers=headers, **kwargs)


REFUSED = [
    pytest.param({}, None, id="no-token"),
    pytest.param({}, "not-a-jwt", id="malformed-token"),
    pytest.param({}, token(ttl_s=60, now=time.time() - 3600), id="expired-token"),
    pytest.param({"params": {"access_token": token()}}, None, id="token-in-the-url"),
]


@pytest.mark.parametrize(("extra", "bearer"), REFUSED)
def test_a_request_without_a_valid_bearer_token_is_refused_with_a_challenge(
    live: LiveServer, extra, bearer
):
    response = post_mcp(live, bearer=bearer, **extra)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert response.headers["content-type"] == "application/problem+json"


def test_the_same_request_with_a_valid_token_is_answered(live: LiveServer):
    response = post_mcp(live, bearer=token())
    assert response.status_code == 200
    assert response.json()["result"]["protocolVersion"] == "2025-11-25"


@pytest.mark.parametrize(
    ("offered", "agreed"),
    [
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"),
        ("2099-01-01", "2025-11-25"),
    ],
)
def test_older_handshake_revisions_are_negotiated_and_answered(live: LiveServer, offered, agreed):
    response = post_mcp(live, bearer=token(), body=initialize_body(offered))
    assert response.json()["result"]["protocolVersion"] == agreed
    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/call"}
    call["params"] = {"name": "list_sources", "arguments": {}}
    answer = post_mcp(
        live, bearer=token(), body=call, headers={"mcp-protocol-version": agreed}
    ).json()["result"]
    # Clients of revisions without structured content read the same JSON as text.
    assert json.loads(answer["content"][0]["text"]) == answer["structuredContent"]


def test_a_token_without_the_query_scope_is_refused_with_insufficient_scope(live: LiveServer):
    response = post_mcp(live, bearer=token(scopes=("profile",)))
    assert response.status_code == 403
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="read:data"' in challenge


async def test_the_client_with_an_expired_token_is_turned_away_with_401(live: LiveServer):
    expired = token(ttl_s=60, now=time.time() - 3600)
    statuses: list[int] = []
    with pytest.raises(Exception):  # noqa: B017 - the SDK wraps the 401 in its own errors
        async with mcp_client(live.mcp_url, expired, statuses=statuses):
            pass
    assert statuses and set(statuses) == {401}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"host": "attacker.example"}, id="foreign-host"),
        pytest.param({"origin": "http://attacker.example"}, id="foreign-origin"),
    ],
)
def test_a_dns_rebinding_request_is_refused_even_with_a_token(live: LiveServer, headers):
    response = post_mcp(live, bearer=token(), headers=headers)
    assert response.status_code in (421, 403)
    assert response.headers["content-type"] == "application/problem+json"


def test_a_dns_rebinding_request_to_a_loopback_server_without_auth_is_refused(demo_data, tmp_path):
    # With auth off the server trusts whoever connects: the Host check is what keeps a page
    # on attacker.example (resolving to 127.0.0.1) out.
    settings = load_settings(write_config(tmp_path, demo_data, mode="none"), environ={})
    app = create_app(settings)
    body = initialize_body()
    accept = {"accept": "application/json, text/event-stream"}
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        rebound = client.post(
            "/mcp",
            json=body,
            headers={
                **accept,
                "host": "attacker.example:8000",
                "origin": "http://attacker.example:8000",
            },
        )
        own = client.post("/mcp", json=body, headers=accept)
    app.state.assistant.close()
    assert rebound.status_code == 421
    assert own.status_code == 200


def test_the_server_keeps_no_session_so_that_any_worker_can_answer(live: LiveServer):
    # Stateless: an initialize gets no session id, and a tools/call with no session is
    # answered (what `serve --workers N` behind a load balancer relies on).
    assert "mcp-session-id" not in post_mcp(live, bearer=token()).headers
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "list_sources", "arguments": {}},
    }
    response = httpx.post(
        live.mcp_url,
        json=call,
        headers={
            "accept": "application/json, text/event-stream",
            "authorization": f"Bearer {token()}",
            "mcp-protocol-version": "2025-11-25",
        },
    )
    assert response.status_code == 200
    names = [s["name"] for s in response.json()["result"]["structuredContent"]["sources"]]
    assert names == ["sales", "tickets"]


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_mcp_answers_post_only_so_no_idle_stream_is_held_open(live: LiveServer, method):
    response = httpx.request(
        method,
        live.mcp_url,
        headers={"accept": "text/event-stream", "authorization": f"Bearer {token()}"},
        timeout=10,
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
