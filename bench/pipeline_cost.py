"""Figure: the pipeline's own cost — answers/s through `data-assistant serve` (offline
translator) against a bare FastAPI endpoint running the same SQL on the same database.

`python bench/pipeline_cost.py [--requests 3000] [--engines postgres,sqlite]`

Both servers are one uvicorn process on loopback, driven by wrk at 64 connections with the
look-up mix of bench/load/mixed.lua (five everyday questions the offline translator
answers, round robin) after a warm-up. The bare endpoint runs, for each question, the SQL
the pipeline ran for it (row cap included), with no translator, guard, COUNT, audit, rate
limit or middleware. The two run one after the other, alternating, `--rounds` times; the
best round of each is kept (the machine is shared, so the best is the least disturbed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.harness import demo_databases, row, serve, serve_app, wrk

from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings

QUESTIONS = [
    "show all regions",
    "customers located in Berlin",
    "products priced over 1000",
    "how many customers in Germany",
    "list small business customers in the UK",
]


def queries_for(url: str) -> dict[str, str]:
    """The SQL the pipeline runs for each question on `url`."""
    settings = load_settings(None, environ={}).merged(
        {"sources": {"sales": {"url": url}}, "translator": {"provider": "offline"}}
    )
    assistant = Assistant(settings)
    try:
        return {q: assistant.ask("sales", q).query for q in QUESTIONS}
    finally:
        assistant.close()


def measure(engine: str, url: str, requests: int, rounds: int) -> tuple[dict, dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(queries_for(url), handle)
    config = {"sources": {"sales": {"url": url}}, "translator": {"provider": "offline"}}
    bare_env = {"BARE_QUERIES": handle.name, "BARE_DATABASE_URL": url}
    best: dict[str, dict] = {}
    for _ in range(rounds):
        with serve(config) as server:
            pipeline = wrk(server, requests=requests)
        with serve_app("load.bare_app", env={**bare_env, "PYTHONPATH": "bench"}) as bare_url:
            bare = wrk(bare_url, requests=requests)
        for name, figure in (("pipeline", pipeline), ("bare", bare)):
            if name not in best or figure["per_second"] > best[name]["per_second"]:
                best[name] = figure
    Path(handle.name).unlink()
    return best["pipeline"], best["bare"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engines", default="postgres,sqlite")
    args = parser.parse_args()
    print("| server | answers/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    with demo_databases() as (sqlite_url, pg_url):
        urls = {"sqlite": sqlite_url, "postgres": pg_url}
        for engine in args.engines.split(","):
            pipeline, bare = measure(engine, urls[engine], args.requests, args.rounds)
            print(row(f"{engine}: pipeline (offline translator)", pipeline))
            print(row(f"{engine}: bare FastAPI endpoint, same SQL", bare))
            ratio = pipeline["per_second"] / bare["per_second"] * 100
            print(f"| {engine}: pipeline / bare | {ratio:.0f}% | | | |", flush=True)


if __name__ == "__main__":
    main()
