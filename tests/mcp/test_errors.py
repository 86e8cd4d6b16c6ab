"""Errors come back as MCP tool errors whose text is the HTTP problem's one-sentence detail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from data_assistant.errors import GuardRejection, Refusal
from data_assistant.mcp.calls import error_text
from data_assistant.settings import load_settings
from tests.llm_stub import ChatServer, ChatStub
from tests.mcp.conftest import LiveServer, mcp_client, serve, token, write_config

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def stub() -> Iterator[ChatStub]:
    with ChatServer() as server:
        yield server


@pytest.fixture(scope="module")
def with_llm(
    demo_data: Path, stub: ChatStub, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The demo served with an LLM translator (the loopback stub), no second attempts."""
    translator = {
        "provider": "openai",
        "base_url": stub.url,
        "api_key": "test-key",
        "model": "stub",
        "max_retries": 0,
        "max_corrections": 0,
    }
    config = write_config(tmp_path_factory.mktemp("llm"), demo_data, translator=translator)
    yield from serve(load_settings(config, environ={}))


async def test_a_refused_question_is_a_tool_error_with_the_http_detail(live: LiveServer):
    question = {"database": "sales", "question": "what is the meaning of life"}
    http = live.api("/api/v1/query/sql", question, token())
    assert http.status_code == 422
    async with mcp_client(live.mcp_url, token()) as client:
        result = await client.call_tool("ask", question)
    assert result.is_error and result.structured_content is None
    assert result.content[0].text.splitlines()[0] == http.json()["detail"]
    # The same suggestions as the HTTP problem, as a model reads them.
    suggestions = http.json()["suggestions"]
    assert result.content[0].text.splitlines()[1:] == [
        "Questions that can be answered instead:",
        *(f"- {question}" for question in suggestions),
    ]
    assert 1 <= len(suggestions) <= 3


async def test_a_generated_query_the_guard_rejects_is_a_tool_error_naming_the_query(
    with_llm: LiveServer, stub: ChatStub
):
    question = {"database": "sales", "question": "remove the cancelled orders"}
    stub.sql("DELETE FROM orders WHERE status = 'cancelled'")
    http = with_llm.api("/api/v1/query/sql", question, token())
    assert http.status_code == 400
    problem = http.json()
    stub.sql("DELETE FROM orders WHERE status = 'cancelled'")
    async with mcp_client(with_llm.mcp_url, token()) as client:
        result = await client.call_tool("ask", question)
    assert result.is_error
    assert result.content[0].text.splitlines() == [
        problem["detail"],
        f"Query rejected: {problem['sql']}",
    ]


async def test_a_query_of_the_clients_own_is_rejected_for_the_same_reason(
    with_llm: LiveServer, stub: ChatStub
):
    written = "DELETE FROM orders WHERE status = 'cancelled'"
    stub.sql(written)
    question = {"database": "sales", "question": "remove the cancelled orders"}
    detail = with_llm.api("/api/v1/query/sql", question, token()).json()["detail"]
    async with mcp_client(with_llm.mcp_url, token()) as client:
        result = await client.call_tool("run_query", {"source": "sales", "query": written})
    assert result.is_error
    assert result.content[0].text.splitlines() == [detail, f"Query rejected: {written}"]


@pytest.mark.parametrize(
    ("tool", "arguments", "path", "body"),
    [
        pytest.param(
            "ask",
            {"database": "salse", "question": "how many orders"},
            "/api/v1/query/sql",
            {"database": "salse", "question": "how many orders"},
            id="unknown-source",
        ),
        pytest.param(
            "ask",
            {"database": "tickets", "question": "how many tickets"},
            "/api/v1/query/sql",
            {"database": "tickets", "question": "how many tickets"},
            id="container-asked-as-sql",
        ),
        pytest.param(
            "ask",
            {"database": "sales", "question": "how many orders", "max_rows": "5"},
            "/api/v1/query/sql",
            {"database": "sales", "question": "how many orders", "max_rows": "5"},
            id="string-for-a-number",
        ),
    ],
)
async def test_a_bad_call_is_a_tool_error_with_the_http_detail(
    live: LiveServer, tool, arguments, path, body
):
    http = live.api(path, body, token())
    assert http.status_code in (400, 403, 404)
    async with mcp_client(live.mcp_url, token()) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error and result.content[0].text == http.json()["detail"]


async def test_an_unexpected_argument_is_a_tool_error_naming_it(live: LiveServer):
    async with mcp_client(live.mcp_url, token()) as client:
        result = await client.call_tool("describe_source", {"source": "sales", "drop": True})
    assert result.is_error and result.content[0].text == "drop: Extra inputs are not permitted."


def test_the_error_text_puts_the_reason_first_then_what_the_problem_adds():
    refusal = Refusal("I could not tell which period.", suggestions=["orders in 2024"])
    assert error_text(refusal) == (
        "I could not tell which period.\nQuestions that can be answered instead:\n- orders in 2024"
    )
    rejection = GuardRejection("Only SELECT queries are allowed; found DROP.", sql="DROP TABLE t")
    assert error_text(rejection) == (
        "Only SELECT queries are allowed; found DROP.\nQuery rejected: DROP TABLE t"
    )
