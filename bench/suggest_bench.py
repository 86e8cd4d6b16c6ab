"""What suggestions cost a refusal: refusal time with and without them, through the pipeline.

Asks every question of the given case files (default: the tuning halves of the blind SQL
sets, each on the database its `db` names in evals/blind/databases.json) through
`Assistant.ask` with the offline translator. For each refused question it times the refusal
without suggestions, then with them, and checks that every suggestion is answered when asked.
"Cold" is the first refusal on a database (its candidate pool written and tried), "warm" the
others (tries made for earlier refusals are reused). Never run it on evals/blind/holdout/.

Run (from the repository root, after `python3 evals/blind/make_schemas.py`):
    .venv/bin/python bench/suggest_bench.py [CASES.jsonl ...]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from data_assistant.errors import DataAssistantError, Refusal
from data_assistant.evaluation import load_cases
from data_assistant.evaluation.databases import load_databases, sources_for
from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
TUNE = ROOT / "evals" / "blind" / "tune"
DEFAULT_SETS = [TUNE / f"{name}.jsonl" for name in ("sakila", "spider-a", "spider-b", "generated")]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument(
        "--databases", type=Path, default=ROOT / "evals" / "blind" / "databases.json"
    )
    args = parser.parse_args()
    if any("holdout" in path.parts for path in args.cases):
        parser.error("the held-out half is not for tuning runs")
    cases = [case for path in args.cases for case in load_cases(path)]
    settings = load_settings(None, environ={}).merged(
        {"sources": sources_for(cases, load_databases(args.databases))}
    )
    assistant = Assistant(settings)
    plain: list[float] = []
    cold: list[float] = []
    warm: list[float] = []
    counts: list[int] = []
    answered = tried = 0
    seen: set[str] = set()
    for case in cases:
        assert case.db is not None
        try:
            assistant.ask(case.db, case.question, suggest=False)
            continue
        except Refusal:
            pass
        except DataAssistantError:
            continue
        started = time.perf_counter()
        try:
            assistant.ask(case.db, case.question, suggest=False)
        except Refusal:
            plain.append(_ms(started))
        started = time.perf_counter()
        try:
            assistant.ask(case.db, case.question)
        except Refusal as exc:
            (warm if case.db in seen else cold).append(_ms(started))
            seen.add(case.db)
            counts.append(len(exc.suggestions))
            for suggestion in exc.suggestions:
                tried += 1
                try:
                    assistant.ask(case.db, suggestion)
                    answered += 1
                except DataAssistantError as failure:
                    print(f"not answered: {case.db}: {suggestion!r}: {failure.reason}")
    assistant.close()
    with_any = sum(1 for n in counts if n)
    print(f"{len(cases)} questions, {len(plain)} refused, on {len(seen)} databases")
    print(f"refusal without suggestions: median {statistics.median(plain):.1f} ms")
    everything = cold + warm
    print(
        f"refusal with suggestions:    median {statistics.median(everything):.1f} ms, "
        f"p95 {_quantile(everything, 0.95):.1f} ms"
    )
    print(
        f"  warm (later refusals):     median {statistics.median(warm):.1f} ms, "
        f"p95 {_quantile(warm, 0.95):.1f} ms"
    )
    print(
        f"  cold (first per database): median {statistics.median(cold):.1f} ms, "
        f"max {max(cold):.1f} ms"
    )
    print(
        f"refusals with suggestions: {with_any}/{len(counts)}; "
        f"mean {statistics.mean(counts):.2f} each; answered when asked: {answered}/{tried}"
    )


if __name__ == "__main__":
    main()
