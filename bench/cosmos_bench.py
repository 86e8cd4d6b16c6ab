"""Time Cosmos DB queries over a local container of 100,000 generated support tickets.

Generates the demo sales database and `--count` tickets into a temporary folder, loads them
through the local container source, then runs each query (guard + execute, count included)
`--runs` times and prints a markdown table of medians, with the load time and the growth of
peak RSS. Goal: each query under 1 s.

Run: .venv/bin/python bench/cosmos_bench.py [--count 100000] [--runs 7]
(to compare with another checkout: PYTHONPATH=OTHER/src .venv/bin/python bench/cosmos_bench.py)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.sample_data import generate_sales_db
from data_assistant.sample_data.tickets import generate_tickets
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource

QUERIES = {
    "filter + ORDER BY + TOP 100": (
        "SELECT c.id, c.subject, c.priority, c.createdAt FROM c "
        "WHERE c.status = 'closed' AND c.customer.region = 'Europe' AND c.slaHours <= 48 "
        "ORDER BY c.createdAt DESC"
    ),
    "GROUP BY aggregate": (
        "SELECT c.customer.country AS country, COUNT(1) AS tickets, "
        "AVG(c.satisfaction) AS satisfaction FROM c GROUP BY c.customer.country"
    ),
    "JOIN over an array": (
        "SELECT c.id, i.name, i.quantity FROM c JOIN i IN c.items "
        "WHERE i.category = 'Laptops' AND c.topic = 'defect'"
    ),
    "LIKE '%word%'": "SELECT VALUE COUNT(1) FROM c WHERE c.subject LIKE '%refund%'",
    "LIKE with _ (regex)": "SELECT VALUE COUNT(1) FROM c WHERE c.subject LIKE '%re_und%'",
    "RegexMatch": "SELECT VALUE COUNT(1) FROM c WHERE RegexMatch(c.subject, 'refund|invoice', 'i')",
}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "tickets"
        started = time.perf_counter()
        sales = generate_sales_db(Path(tmp) / "sales.db")
        generate_tickets(folder, sales_db=sales, count=args.count)
        generated = time.perf_counter() - started

        before = peak_rss_mb()
        source = DocumentsSource("tickets", DocumentsSourceSettings(path=str(folder)))
        started = time.perf_counter()
        loaded = len(source.documents())
        load_s = time.perf_counter() - started
        grown = peak_rss_mb() - before

        rows = []
        for label, query in QUERIES.items():
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                guarded = check_cosmos_query(query, container="tickets", max_items=100)
                result = source.execute(
                    guarded.query,
                    parameters=guarded.parameters,
                    max_items=100,
                    count_query=guarded.count_query,
                )
                times.append(time.perf_counter() - started)
            rows.append((label, statistics.median(times), len(result.documents), result.count))

    print(f"{loaded} documents: generated in {generated:.1f} s (with the sales database), "
          f"loaded in {load_s:.1f} s, peak RSS grew {grown:.0f} MB\n")  # fmt: skip
    print("| query | median (ms) | returned | count |")
    print("|---|---:|---:|---:|")
    for label, median, returned, count in rows:
        print(f"| {label} | {median * 1000:.0f} | {returned} | {count} |")


if __name__ == "__main__":
    main()
