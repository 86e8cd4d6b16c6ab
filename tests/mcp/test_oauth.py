"""An MCP client signed in through the built-in OAuth 2.1 server, end to end: the sign-in
form posted over HTTP, the code exchanged with PKCE for a token whose audience is /mcp, the
refresh rotated and a reused one refused, then the SDK's client over streamable HTTP and
over stdio calling every tool with that token."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest
import yaml

from data_assistant.settings import load_settings
from tests.mcp.conftest import mcp_client
from tests.mcp.test_http import CALLS, TOOL_NAMES
from tests.mcp.test_stdio import stdio
from tests.oauth.conftest import Flow, pkce, public_client, serve, users

pytestmark = pytest.mark.anyio
SCOPE = "read:data query:raw"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def oauth_live(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The demo behind the built-in authorization server, as `serve --config` loads it."""
    folder = tmp_path_factory.mktemp("oauth-mcp")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = folder / "data-assistant.yaml"
    alice = {**users()["alice"], "databases": ["sales", "tickets"], "claims": {"region": 2}}
    config.write_text(
        yaml.safe_dump(
            {
                "base_url": base,
                "data_dir": str(folder / "data"),
                "sources": {
                    "sales": {"url": f"sqlite:///{demo_data}/sales.db"},
                    "tickets": {"kind": "documents", "path": str(demo_data / "tickets")},
                },
                "translator": {"provider": "offline"},
                "auth": {
                    "mode": "oauth",
                    "oauth": {"scope": SCOPE, "builtin": {"users": {"alice": alice}}},
                },
            }
        )
    )
    live = serve(load_settings(config, environ={}), sock)
    yield live, config
    live.stop()


def sign_in(live, resource: str, *, reuse: bool = False) -> dict:
    """A full authorization-code + PKCE flow over HTTP, then one refresh; the refreshed
    token response. With `reuse`, the first refresh token is then sent again, which must be
    refused and revoke the whole grant."""
    client_id = public_client(live.app)
    verifier, _ = pkce()
    with httpx.Client(base_url=live.url) as http:
        flow = Flow(
            http, client_id, verifier=verifier, extra={"resource": resource, "scope": SCOPE}
        )
        reply = flow.exchange(flow.code(), resource=resource)
        assert reply.status_code == 200, reply.text
        tokens = reply.json()
        # Refresh once: a new pair; the old refresh token is then refused.
        refreshed = flow.refresh(tokens["refresh_token"], resource=resource)
        assert refreshed.status_code == 200, refreshed.text
        if reuse:
            again = flow.refresh(tokens["refresh_token"], resource=resource)
            assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    return refreshed.json()


async def test_a_signed_in_mcp_client_calls_every_tool_over_http(oauth_live):
    live, _ = oauth_live
    tokens = sign_in(live, f"{live.url}/mcp")
    assert set(tokens["scope"].split()) == set(SCOPE.split())
    async with mcp_client(f"{live.url}/mcp", tokens["access_token"]) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert sorted(tools) == sorted(TOOL_NAMES)
        for name, arguments in CALLS:
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, result.content)
            jsonschema.Draft202012Validator(tools[name].output_schema).validate(
                result.structured_content
            )


async def test_the_same_token_works_for_data_assistant_mcp_over_stdio(oauth_live, tmp_path):
    live, config = oauth_live
    tokens = sign_in(live, f"{live.url}/mcp")
    env = {"DATA_ASSISTANT_MCP__TOKEN": tokens["access_token"]}
    async with stdio(config, env, tmp_path / "stderr.log") as client:
        arguments = next(arguments for name, arguments in CALLS if name == "ask")
        result = await client.call_tool("ask", arguments)
        assert not result.is_error, result.content


def test_a_token_for_the_http_api_is_refused_by_mcp_with_its_metadata(oauth_live):
    live, _ = oauth_live
    tokens = sign_in(live, live.url)
    response = httpx.post(
        f"{live.url}/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={
            "authorization": f"Bearer {tokens['access_token']}",
            "accept": "application/json, text/event-stream",
        },
    )
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert f'resource_metadata="{live.url}/.well-known/oauth-protected-resource/mcp"' in challenge
    metadata = httpx.get(f"{live.url}/.well-known/oauth-protected-resource/mcp").json()
    assert metadata["resource"] == f"{live.url}/mcp"
    assert live.url in metadata["authorization_servers"]


async def test_a_reused_refresh_token_revokes_the_grant_and_mcp_then_refuses_it(oauth_live):
    live, _ = oauth_live
    tokens = sign_in(live, f"{live.url}/mcp", reuse=True)
    response = httpx.post(
        f"{live.url}/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={
            "authorization": f"Bearer {tokens['access_token']}",
            "accept": "application/json, text/event-stream",
        },
    )
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
