"""Figure: answers per second on repeated questions with the translation cache and an LLM
stand-in that takes 800 ms per answer, against the same server with the offline translator.

`python bench/cache_throughput.py [--seconds 20] [--clients 8] [--questions 20]`

One server (uvicorn on loopback, the real app) over the demo sales database, asked by
`--clients` threads over HTTP, each cycling through the same `--questions` demo questions.
The LLM stand-in is a chat-completions server on loopback that sleeps `--delay` seconds and
answers with the query the offline translator writes for the question, so both runs do the
same database work. Each mode first asks every question once (for the cache, that is when
the model is called), then is measured for `--seconds`.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from data_assistant.app import create_app
from data_assistant.auth.principal import ANONYMOUS
from data_assistant.errors import DataAssistantError
from data_assistant.sample_data.sales import ensure_demo_db
from data_assistant.settings import load_settings
from data_assistant.translate.base import TranslationRequest
from data_assistant.translate.offline import OfflineTranslator

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def slow_llm(answers: dict[str, str], delay_s: float) -> tuple[ThreadingHTTPServer, str]:
    """A chat-completions server that answers each question's query after `delay_s`."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            prompt = body["messages"][-1]["content"]
            question = prompt.rsplit("Question: ", 1)[-1].strip()
            time.sleep(delay_s)
            content = f"```sql\n{answers.get(question, 'SELECT 1')}\n```"
            data = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "stand-in",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop",
                        }
                    ],
                }
            ).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


def questions_offline_answers(db: Path, count: int) -> dict[str, str]:
    """Demo questions the offline translator answers, with the SQL it writes."""
    from data_assistant.pipeline import Assistant

    settings = load_settings(None, dbs=[f"sqlite:///{db}"], environ={})
    assistant = Assistant(settings.merged({"translator": {"provider": "offline"}}))
    source = assistant.sources.get("sales")
    schema = source.visible_schema()
    found: dict[str, str] = {}
    translator = OfflineTranslator()
    for line in (ROOT / "evals" / "demo.jsonl").read_text().splitlines():
        question = json.loads(line)["question"]
        try:
            sql = translator.translate(
                TranslationRequest(question, "sales", "sqlite", schema)
            ).query
            source.prepare(sql, 100, ANONYMOUS)
        except DataAssistantError:
            continue
        found[question] = sql
        if len(found) == count:
            break
    assistant.close()
    return found


def serve(settings: Any) -> tuple[uvicorn.Server, str]:
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    return server, base


def run(base: str, questions: list[str], clients: int, seconds: float) -> tuple[float, float]:
    """(warm-up seconds, answers per second measured after it)."""
    started = time.perf_counter()

    def warm(part: list[str]) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for question in part:
                client.post("/api/v1/query/sql", json={"database": "sales", "question": question})

    threads = [threading.Thread(target=warm, args=(questions[i::clients],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    warm_up = time.perf_counter() - started
    done = [0] * clients
    failed = [0] * clients
    stop = time.perf_counter() + seconds

    def client_loop(index: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            position = index
            while time.perf_counter() < stop:
                question = questions[position % len(questions)]
                position += 1
                response = client.post(
                    "/api/v1/query/sql", json={"database": "sales", "question": question}
                )
                if response.status_code == 200:
                    done[index] += 1
                else:
                    failed[index] += 1

    begun = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    if sum(failed):
        print(f"  {sum(failed)} answers failed")
    return warm_up, sum(done) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.8)
    args = parser.parse_args()
    db = ensure_demo_db(RESULTS)
    answers = questions_offline_answers(db, args.questions)
    questions = list(answers)
    llm, llm_url = slow_llm(answers, args.delay)
    base_settings = load_settings(None, dbs=[f"sqlite:///{db}"], environ={}).merged(
        {"data_dir": str(RESULTS / "cache-bench")}
    )
    modes = {
        "LLM stand-in (800 ms) + translation cache": {
            "translator": {
                "provider": "openai",
                "base_url": llm_url,
                "api_key": "x",
                "model": "stand-in",
                "max_retries": 0,
            },
        },
        "offline translator, no cache": {
            "translator": {"provider": "offline"},
            "cache": {"enabled": False},
        },
        "LLM stand-in (800 ms), no cache": {
            "translator": {
                "provider": "openai",
                "base_url": llm_url,
                "api_key": "x",
                "model": "stand-in",
                "max_retries": 0,
            },
            "cache": {"enabled": False},
        },
    }
    figures = {}
    for name, changes in modes.items():
        settings = base_settings.merged(changes)
        server, base = serve(settings)
        seconds = args.seconds if "no cache" not in name or "offline" in name else 5
        warm_up, per_second = run(base, questions, args.clients, seconds)
        server.should_exit = True
        time.sleep(0.5)
        figures[name] = per_second
        print(f"{name}: {per_second:.1f} answers/s (warm-up pass {warm_up:.1f} s)")
    cached = figures["LLM stand-in (800 ms) + translation cache"]
    offline = figures["offline translator, no cache"]
    print(
        f"cached LLM / offline: {100 * cached / offline:.0f}% "
        f"({len(questions)} questions, {args.clients} clients)"
    )
    llm.shutdown()


if __name__ == "__main__":
    main()
