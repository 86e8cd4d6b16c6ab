"""Time the catastrophic pattern of issue 9 through a local container, and /healthz beside it.

    RegexMatch(REPLICATE('a', N) || '!', '^(a+)+$')

A backtracking engine doubles its time with each `a`; RE2 does not. Prints, for each N,
the query's time and how long /healthz took to answer while the query ran (through the
real app and a loopback LLM stand-in that emits the query). Run it on another checkout to
compare: PYTHONPATH=OTHER/src .venv/bin/python bench/regex_bench.py

Run: .venv/bin/python bench/regex_bench.py [--sizes 20,22,24,26,28]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.llm_stub

from tests.conftest import llm_env
from tests.llm_stub import ChatServer, ChatStub

from data_assistant.app import create_app
from data_assistant.settings import load_settings


def measure(client: TestClient, llm: ChatStub, n: int) -> tuple[float, int, float]:
    """The query's time and status, and the slowest /healthz answer while it ran."""
    llm.sql(f"SELECT VALUE RegexMatch(REPLICATE('a', {n}) || c.x, '^(a+)+$') FROM c")
    done = threading.Event()
    result: dict[str, float] = {}

    def run() -> None:
        started = time.perf_counter()
        response = client.post("/api/v1/query/cosmos", json={"container": "t", "question": "q"})
        result["query"] = time.perf_counter() - started
        result["status"] = response.status_code
        done.set()

    worker = threading.Thread(target=run)
    worker.start()
    slowest = 0.0
    due = time.perf_counter()
    while True:
        # Latency from when the call was due: a thread that cannot run (the interpreter
        # held by the query) wakes late, and that delay is what a client would see.
        due += 0.05
        time.sleep(max(0.0, due - time.perf_counter()))
        client.get("/healthz")
        slowest = max(slowest, time.perf_counter() - due)
        if done.is_set():
            break
    worker.join()
    return result["query"], int(result["status"]), slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,22,24,26,28")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp, ChatServer() as llm:
        data = Path(tmp) / "t.json"
        data.write_text(json.dumps([{"id": "1", "x": "!"}]))
        config = Path(tmp) / "c.yaml"
        config.write_text(
            f"sources:\n  t:\n    kind: documents\n    path: {data}\n    timeout_s: 60\n"
            "translator:\n  max_corrections: 0\n"
        )
        settings = load_settings(config, environ=llm_env(llm))
        print("| N | query (s) | status | slowest /healthz during it (s) |")
        print("|---:|---:|---:|---:|")
        with TestClient(create_app(settings)) as client:
            for n in sizes:
                seconds, status, slowest = measure(client, llm, n)
                print(f"| {n} | {seconds:.3f} | {status} | {slowest:.3f} |")


if __name__ == "__main__":
    main()
