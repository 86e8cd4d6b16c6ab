"""What suggestions cost a refusal: refusal time with and without them, through the pipeline.

Asks every question of the given case files (default: the tuning halves of the blind SQL
sets, each on the database its `db` names in evals/blind/databases.json) through
`Assistant.ask` with the offline translator. For each refused question it times the refusal
without suggestions, then with them, and checks that every suggestion is answered when asked.
"Cold" is the first refusal on a database (its candidate pool written and tried), "warm" the
others (tries made for earlier refusals are reused). Never run it on evals/blind/holdout/.

`--wide N` measures instead a generated SQLite schema of N tables (8 columns each, 20 rows)
with a few questions of our own that the translator refuses, each asked 4 times.

Run (from the repository root, after `python3 evals/blind/make_schemas.py`):
    .venv/bin/python bench/suggest_bench.py [CASES.jsonl ...]
    .venv/bin/python bench/suggest_bench.py --wide 400
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from data_assistant.errors import DataAssistantError, Refusal
from data_assistant.evaluation import EvalCase, load_cases
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


_HEADS = "supplier warehouse invoice shipment patient course vehicle employee contract project"
_TAILS = "audits notes lines events logs items schedules claims visits transfers routes tasks"
WIDE_QUESTIONS = [
    "what is the weather like",
    "why are the supplier audits so slow",
    "total amount and qty of invoice claims by region and status",
    "memos of vehicle routes in march of last spring",
    "tell me everything interesting about project tasks",
]


def wide_database(folder: Path, tables: int) -> Path:
    """A SQLite file of `tables` tables named like `supplier_audits`, 20 rows each."""
    path = folder / "wide.sqlite"
    names = [f"{a}_{b}" for a, b in itertools.product(_HEADS.split(), _TAILS.split())]
    names += [f"{n}_{k}" for k in ("archive", "draft", "history") for n in list(names)]
    with sqlite3.connect(path) as conn:
        for name in names[:tables]:
            conn.execute(
                f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, title TEXT, status TEXT, "
                "amount REAL, created_at DATE, memo TEXT, qty INTEGER, region TEXT)"
            )
            conn.executemany(
                f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (j, f"n{j}", ("open", "closed")[j % 2], j * 1.5, "2024-01-01", "x", j,
                     ("north", "south", "east")[j % 3])
                    for j in range(20)
                ],
            )  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument(
        "--databases", type=Path, default=ROOT / "evals" / "blind" / "databases.json"
    )
    parser.add_argument("--wide", type=int, help="a generated schema of this many tables")
    args = parser.parse_args()
    if any("holdout" in path.parts for path in args.cases):
        parser.error("the held-out half is not for tuning runs")
    with tempfile.TemporaryDirectory() as tmp:
        if args.wide:
            databases = {"wide": str(wide_database(Path(tmp), args.wide))}
            cases = [EvalCase(q, rows=(), db="wide") for q in WIDE_QUESTIONS * 4]
        else:
            databases = load_databases(args.databases)
            cases = [case for path in args.cases for case in load_cases(path)]
        measure(cases, databases)


def measure(cases: list[EvalCase], databases: dict[str, str]) -> None:
    """Ask each case; time and check the refusals, with and without suggestions."""
    settings = load_settings(None, sources=sources_for(cases, databases), environ={})
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
