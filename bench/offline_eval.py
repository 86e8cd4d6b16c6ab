"""Run the offline translator over the project's evaluation sets; print one line per set.

Each SQL set runs through a plain read-only sqlite3 connection: translate, execute, compare
with the gold query's rows. The tickets set runs on the demo support tickets (generated from
the demo sales database, seed 42, 20000 documents) as a local container: translate, check
with the Cosmos query guard, run with DocumentsSource, compare with the gold query's
documents. Relative dates ("last 30 days") count back from the set's reference date, the
latest date in its data.

Run: .venv/bin/python bench/offline_eval.py [--reports DIR] [--sets demo chinook northwind tickets]
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from data_assistant.evaluation import load_cases, run_eval
from data_assistant.evaluation.documents_target import DocumentsTarget
from data_assistant.evaluation.sqlite_target import SqliteTarget
from data_assistant.sample_data.sales import generate_sales_db
from data_assistant.sample_data.tickets import generate_tickets
from data_assistant.translate.offline import OfflineTranslator

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "sample-data"
SETS = {
    "demo": (None, date(2025, 12, 31)),
    "chinook": (SAMPLES / "chinook" / "Chinook_Sqlite.sqlite", date(2025, 12, 31)),
    "northwind": (SAMPLES / "northwind" / "northwind.db", date(2018, 5, 6)),
    "tickets": (None, date(2025, 12, 31)),
}
# Sets answered from a document container rather than a SQL database.
CONTAINERS = {"tickets"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--reports", type=Path, help="write <set>.jsonl reports here")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="sample-data folder")
    parser.add_argument("--show", choices=["wrong", "refused", "error", "all"], nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'set':10} {'cases':>5} {'answered':>9} {'accuracy':>9} {'precision':>9} "
              f"{'median ms':>10}")  # fmt: skip
        sales = Path(tmp) / "sales.db"
        for name in args.sets:
            path, today = SETS[name]
            if path is None and not sales.exists():
                generate_sales_db(sales)
            if name in CONTAINERS:
                folder = generate_tickets(
                    Path(tmp) / "tickets", sales_db=sales, seed=42, count=20_000
                )
                target: SqliteTarget | DocumentsTarget = DocumentsTarget(folder, "tickets")
            else:
                if path is None:
                    path = sales
                elif args.samples != SAMPLES:
                    path = args.samples / path.relative_to(SAMPLES)
                target = SqliteTarget(path, name)
            translator = OfflineTranslator(today=today)
            report = args.reports / f"{name}.jsonl" if args.reports else None
            cases = load_cases(ROOT / "evals" / f"{name}.jsonl")
            summary = run_eval(cases, target.answerer(translator), target.run, report=report)
            target.close()
            print(
                f"{name:10} {summary.total:5d} {summary.answered_rate:9.1%} "
                f"{summary.execution_accuracy:9.1%} {summary.precision:9.1%} "
                f"{summary.median_translate_ms or 0:10.2f}"
            )
            for result in summary.results:
                if args.show and (result.outcome in args.show or "all" in args.show):
                    print(f"  [{result.outcome}] {result.question}")
                    print(f"      {result.sql or ''}\n      {result.explanation or result.error}")


if __name__ == "__main__":
    main()
