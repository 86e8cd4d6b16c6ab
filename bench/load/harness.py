"""Shared by the HTTP benchmarks: serve a configuration in a subprocess, drive it with wrk.

Each server runs as an operator runs it (`data-assistant serve`, or uvicorn for the bare
comparison app) on a free loopback port; wrk runs bench/load/mixed.lua until the number of
answers asked for, after a warm-up, and its JSON summary is returned.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "mixed.lua"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    prefixes = ("DATA_ASSISTANT_", "OPENAI_", "AZURE_OPENAI_", "OTEL_", "PROMETHEUS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(extra or {})
    return env


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def serve(
    config: dict[str, Any], *, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[str]:
    """`data-assistant serve` with `config`; yields its URL, stops it with SIGTERM."""
    folder = Path(tempfile.mkdtemp(prefix="da-bench-"))
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    port = free_port()
    command = [sys.executable, "-m", "data_assistant.cli", "serve", "--config", str(path)]
    command += ["--port", str(port), *args]
    yield from _run(command, folder, port, env)


@contextmanager
def serve_app(module: str, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """uvicorn serving `module:app` (one process); yields its URL."""
    folder = Path(tempfile.mkdtemp(prefix="da-bench-"))
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", f"{module}:app", "--port", str(port)]
    command += ["--log-level", "warning"]
    yield from _run(command, folder, port, env)


def _run(command: list[str], folder: Path, port: int, env: dict[str, str] | None) -> Iterator[str]:
    log = folder / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parents[2],
            env=_clean_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(url, process, log)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def wrk(
    url: str,
    *,
    requests: int,
    mix: str = "lookup",
    sources: str = "sales",
    connections: int = 64,
    threads: int = 2,
    warm_up: int = 200,
    token: str | None = None,
) -> dict[str, Any]:
    """wrk with bench/load/mixed.lua until `requests` answers (after `warm_up` more)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    summary: dict[str, Any] = {}
    for count in (warm_up, requests):
        if count <= 0:
            continue
        env = {
            **os.environ,
            "WRK_REQUESTS": str(count),
            "WRK_MIX": mix,
            "WRK_SOURCES": sources,
            "WRK_THREADS": str(threads),
        }
        if token:
            env["WRK_TOKEN"] = token
        result = subprocess.run(
            [
                *("wrk", f"-t{threads}", f"-c{connections}", "-d600s", "--timeout", "30s"),
                *("-s", str(SCRIPT), url),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["per_second"] = summary["answers"] / summary["seconds"]
    return summary


def row(label: str, summary: dict[str, Any]) -> str:
    """A markdown table row: answers/s, p50, p99, errors."""
    errors = sum(summary["errors"].values()) + sum(
        n for status, n in summary["statuses"].items() if status != "200"
    )
    return (
        f"| {label} | {summary['per_second']:,.0f} | {summary['p50_ms']:.1f} | "
        f"{summary['p99_ms']:.1f} | {errors} |"
    )


@contextmanager
def demo_databases(postgres_admin: str = DEFAULT_POSTGRES) -> Iterator[tuple[str, str]]:
    """The demo sales data in SQLite (bench/results/sales.db, made once) and in a PostgreSQL
    database of its own (`da_bench_<random>`, dropped afterwards): their URLs."""
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from data_assistant.sample_data.load import load_demo_into
    from data_assistant.sample_data.sales import generate_sales_db

    sqlite_path = HERE.parent / "results" / "sales.db"
    if not sqlite_path.exists():
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        generate_sales_db(sqlite_path)
    database = f"da_bench_{secrets.token_hex(4)}"

    def admin(sql: str) -> None:
        engine = create_engine(postgres_admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    admin(f"CREATE DATABASE {database}")
    pg_url = make_url(postgres_admin).set(database=database).render_as_string(hide_password=False)
    try:
        load_demo_into(pg_url, generated=sqlite_path)
        yield f"sqlite:///{sqlite_path}", pg_url
    finally:
        admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
