"""The bounded loopback load test: 10,000 requests at 64 connections, zero errors.

`data-assistant serve --workers 2` over the demo data (SQLite and PostgreSQL sales, the
tickets container), offline translator, driven by wrk (Debian's `wrk`; .ci/run installs
it) with bench/load/mixed.lua: look-up questions on both SQL sources and questions to the
container, round robin. Every answer must be a 200: no 5xx, no 429, no connection, read,
write or timeout error. wrk prints its own figures, which are logged, never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from data_assistant.sample_data.tickets import ensure_demo_tickets
from tests.ops.live import ServerProcess
from tests.servers import servers_required

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "load" / "mixed.lua"
REQUESTS = 10_000
CONNECTIONS = 64

pytestmark = pytest.mark.load


def wrk_or_skip() -> str:
    found = shutil.which("wrk")
    if found is None:
        message = "wrk is not installed (apt-get install wrk)"
        if servers_required():
            pytest.fail(message + "; CI installs it", pytrace=False)
        pytest.skip(message)
    return found


def run_wrk(url: str, *, requests: int, mix: str, sources: str, seconds: int = 600) -> dict:
    """Run wrk with the mixed script until `requests` answers; its JSON summary."""
    env = {
        **os.environ,
        "WRK_REQUESTS": str(requests),
        "WRK_MIX": mix,
        "WRK_SOURCES": sources,
        "WRK_THREADS": "2",
    }
    result = subprocess.run(
        [
            wrk_or_skip(),
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(SCRIPT),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_ten_thousand_mixed_requests_at_64_connections_all_answer(
    tmp_path, demo_sqlite_path: Path, demo_postgres_url: str
):
    wrk_or_skip()
    tickets = ensure_demo_tickets(tmp_path, demo_sqlite_path)
    config = {
        "data_dir": str(tmp_path / "data"),
        "translator": {"provider": "offline"},
        "sources": {
            "sales": {"url": f"sqlite:///{demo_sqlite_path}"},
            "sales_pg": {"url": demo_postgres_url, "pool_size": 8},
            "tickets": {"kind": "documents", "path": str(tickets)},
        },
        "server": {"workers": 2},
    }
    server = ServerProcess(tmp_path, config).start(wait_s=120)
    try:
        summary = run_wrk(
            server.url, requests=REQUESTS, mix="mixed-lookup", sources="sales,sales_pg"
        )
        print(f"\nload test: {json.dumps(summary)}")
    finally:
        server.stop()
    log = server.log()
    assert summary["answers"] >= REQUESTS
    assert summary["errors"] == {"connect": 0, "read": 0, "write": 0, "timeout": 0}, summary
    assert set(summary["statuses"]) == {"200"}, (summary, log[-3000:])
