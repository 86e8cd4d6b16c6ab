"""`data-assistant mcp` as a desktop client starts it: a subprocess spoken to over stdio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import jsonschema
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.mcp.conftest import token, write_config
from tests.mcp.test_http import CALLS, MODES, TOOL_NAMES

pytestmark = pytest.mark.anyio

COMMAND = str(Path(sys.executable).parent / "data-assistant")


@asynccontextmanager
async def stdio(
    config: Path, env: dict[str, str], errlog: Path, *, mode: str = "auto"
) -> AsyncIterator[Client]:
    """The SDK's client, having started `data-assistant mcp --config CONFIG` with `env`
    (over the SDK's minimal inherited environment, as a desktop client does)."""
    params = StdioServerParameters(command=COMMAND, args=["mcp", "--config", str(config)], env=env)
    with errlog.open("w") as stderr:
        async with Client(stdio_client(params, errlog=stderr), mode=mode) as client:
            yield client


def audit_of(config: Path, subject: str) -> list[dict]:
    lines = (config.parent / "audit.jsonl").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e["subject"] == subject]


@pytest.mark.parametrize(("mode", "version"), MODES)
async def test_the_client_lists_the_tools_and_calls_each_one_over_stdio(
    config_file: Path, tmp_path: Path, mode, version
):
    # The token travels in the environment, as the README's Claude Desktop entry has it.
    env = {"DATA_ASSISTANT_MCP__TOKEN": token(f"desktop-{mode}")}
    async with stdio(config_file, env, tmp_path / "stderr.log", mode=mode) as client:
        assert client.protocol_version == version
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert sorted(tools) == sorted(TOOL_NAMES)
        for name, arguments in CALLS:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content)
            jsonschema.Draft202012Validator(tools[name].output_schema).validate(
                result.structured_content
            )
        masked = await client.call_tool(
            "run_query", {"source": "sales", "query": "SELECT region_id, email FROM customers"}
        )
    rows = masked.structured_content["results"]
    assert {(r["region_id"], r["email"]) for r in rows} == {(2, "***")}
    entries = audit_of(config_file, f"desktop-{mode}")
    assert {e["surface"] for e in entries} == {"mcp"}
    assert [e["action"] for e in entries] == ["ask", "ask", "query", "query", "query"]


async def test_with_auth_off_the_stdio_principal_is_the_anonymous_one(
    demo_data: Path, tmp_path: Path
):
    config = write_config(tmp_path, demo_data, mode="none")
    async with stdio(config, {}, tmp_path / "stderr.log") as client:
        names = [t.name for t in (await client.list_tools()).tools]
        result = await client.call_tool(
            "ask", {"database": "sales", "question": "how many orders per status"}
        )
    assert "run_query" in names and not result.is_error
    entries = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [(e["subject"], e["surface"]) for e in entries] == [("anonymous", "mcp")]


def run_mcp(config: Path, *args: str, env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DATA_ASSISTANT_")}
    return subprocess.run(
        [COMMAND, "mcp", "--config", str(config), *args],
        env={**environment, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        pytest.param((), {}, 2, "pass --token, set mcp.token or DATA_ASSISTANT_MCP__", id="none"),
        pytest.param(
            (),
            {"DATA_ASSISTANT_MCP__TOKEN": token(ttl_s=60, now=time.time() - 3600)},
            1,
            "The token has expired.",
            id="expired-token",
        ),
    ],
)
def test_with_auth_on_stdio_will_not_start_without_a_valid_token(
    config_file: Path, args, env, code, message
):
    done = run_mcp(config_file, *args, env=env)
    assert done.returncode == code
    assert message in done.stderr
    assert done.stdout == "", "stdout carries the protocol only"
