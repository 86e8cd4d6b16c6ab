"""Figure: a question whose SQL matches 5,000,000 rows, answered with its row count.

`python bench/big_answer.py [--runs 5]` builds bench/results/big_table.db if missing, then
asks through the pipeline (guard, read-only execution, fetch cap, COUNT) with a translator
that answers instantly, and prints the median time and the peak memory growth.

Memory is the process's peak resident set (ru_maxrss), read before and after, so SQLite's
own allocations count too, not only Python's.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from big_table import DEFAULT_PATH, ensure_big_table

from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings
from data_assistant.translate.base import Translation, TranslationRequest

QUERIES = {
    "every row": "SELECT * FROM events",
    "a filter matching 60%": "SELECT id, kind, amount FROM events WHERE kind = 'view'",
}


class FixedTranslator:
    """Answers every question with one query, instantly: the LLM is not what is measured."""

    name = "fixed"

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def translate(self, request: TranslationRequest) -> Translation:
        return Translation(query=self.sql)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = ensure_big_table(DEFAULT_PATH)
    settings = load_settings(None, dbs=[f"sqlite:///{path}"], environ={})
    print("| query | rows matched | median s | max s | peak RSS growth MB |")
    print("|---|---|---|---|---|")
    for label, sql in QUERIES.items():
        assistant = Assistant(settings, translator=FixedTranslator(sql))
        assistant.source("big_table").schema()  # introspection is cached, not per question
        before = peak_rss_mb()
        times = []
        answer = None
        for _ in range(args.runs):
            started = time.perf_counter()
            answer = assistant.ask("big_table", "show me the events")
            times.append(time.perf_counter() - started)
        growth = peak_rss_mb() - before
        assert answer is not None and answer.truncated and len(answer.results) == 100
        print(
            f"| {label} | {answer.row_count:,} | {statistics.median(times):.3f} | "
            f"{max(times):.3f} | {growth:.1f} |"
        )
        assistant.close()


if __name__ == "__main__":
    main()
