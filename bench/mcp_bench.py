"""Figure: what an MCP `ask` costs over the HTTP API's querySqlDatabase, for the same question.

`python bench/mcp_bench.py [--calls 300]`

Starts `data-assistant serve` (a subprocess, JWT auth on, the offline translator, the demo
sales data in bench/results) and asks it the same question, one call at a time, three ways
in turn: POST /api/v1/query/sql with httpx; a `tools/call` of `ask` POSTed to /mcp with httpx
(the same client library, so the difference is the server's MCP path); and `call_tool` of
the official MCP SDK's client (2026-07-28, which also validates each result against the
tool's output schema). Each way keeps one connection open. Prints the median and p90
latency of each and the medians' differences.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx
import httpx2
import yaml
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from data_assistant.auth.tokens import mint_token
from data_assistant.sample_data.sales import ensure_demo_db

RESULTS = Path(__file__).resolve().parent / "results"
QUESTION = {"database": "sales", "question": "how many orders per status"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path, secret: str, port: int) -> subprocess.Popen[bytes]:
    db = ensure_demo_db(RESULTS)
    config = {
        "sources": {"sales": {"url": f"sqlite:///{db}"}},
        "translator": {"provider": "offline"},
        "auth": {"mode": "jwt", "jwt": {"secret": secret}},
    }
    path = folder / "mcp-bench.yaml"
    path.write_text(yaml.safe_dump(config))
    command = Path(sys.executable).parent / "data-assistant"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATA_ASSISTANT_")}
    server = subprocess.Popen(
        [str(command), "serve", "--config", str(path), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


async def measure(base: str, token: str, calls: int) -> dict[str, list[float]]:
    """Latency in ms of each way, the ways taken in turn within each round."""
    auth = {"authorization": f"Bearer {token}"}
    mcp_headers = {**auth, "accept": "application/json, text/event-stream",
                   "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call",
                   "mcp-name": "ask"}  # fmt: skip
    tools_call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {
            "name": "ask",
            "arguments": QUESTION,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
            },
        },
    }
    timings: dict[str, list[float]] = {"http api": [], "mcp (httpx)": [], "mcp (sdk client)": []}
    async with (
        httpx.AsyncClient(base_url=base, headers=auth) as http,
        httpx2.AsyncClient(headers=auth, timeout=30) as sdk_http,
        Client(streamable_http_client(f"{base}/mcp", http_client=sdk_http)) as client,
    ):

        async def api() -> None:
            response = await http.post("/api/v1/query/sql", json=QUESTION)
            assert response.status_code == 200, response.text

        async def raw_mcp() -> None:
            response = await http.post("/mcp", json=tools_call, headers=mcp_headers)
            assert response.status_code == 200, response.text
            assert not response.json()["result"]["isError"], response.text

        async def sdk() -> None:
            result = await client.call_tool("ask", QUESTION)
            assert not result.is_error, result.content

        ways = {"http api": api, "mcp (httpx)": raw_mcp, "mcp (sdk client)": sdk}
        for round_ in range(calls + 20):
            for name, way in ways.items():
                started = time.perf_counter()
                await way()
                if round_ >= 20:  # warm-up rounds are not counted
                    timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="Calls of each way.")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    secret = secrets.token_hex(32)
    port = free_port()
    server = start_server(RESULTS, secret, port)
    try:
        token = mint_token(secret, sub="bench", databases=["sales"], ttl_s=3600)
        timings = anyio.run(measure, f"http://127.0.0.1:{port}", token, args.calls)
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = statistics.median(timings["http api"])
    print(f"{args.calls} calls each, question {QUESTION['question']!r}, one connection each")
    print(f"{'way':<18} {'median ms':>10} {'p90 ms':>8} {'over http api':>14}")
    for name, values in timings.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<18} {median:>10.2f} {p90:>8.2f} {median - base:>+13.2f}")


if __name__ == "__main__":
    main()
