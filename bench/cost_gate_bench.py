"""What the cost gate adds to a question on PostgreSQL: the same queries, gate on and off.

Loads the demo sales data into a fresh `da_test_*` database (dropped at the end; or uses
--url), then runs each query through a SqlSource with the gate (EXPLAIN in the question's
transaction, then the query) and without (`max_estimated_rows: null`), alternating, and
prints the median and p95 of each and the difference.

Run: .venv/bin/python bench/cost_gate_bench.py [--runs 200] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import POSTGRES  # noqa: E402

from data_assistant.sample_data.load import load_demo_into  # noqa: E402
from data_assistant.settings import SourceSettings  # noqa: E402
from data_assistant.sources.sql import SqlSource  # noqa: E402

QUERIES = {
    "lookup": "SELECT id, status, channel FROM orders WHERE id = 4242",
    "analytic": (
        "SELECT r.name AS region, date_trunc('month', o.order_date) AS month, "
        "COUNT(*) AS orders, SUM(i.quantity * i.unit_price) AS revenue "
        "FROM orders o JOIN customers c ON c.id = o.customer_id "
        "JOIN regions r ON r.id = c.region_id JOIN order_items i ON i.order_id = o.id "
        "WHERE o.status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2"
    ),
}


def timings(source: SqlSource, sql: str, runs: int) -> list[float]:
    """Milliseconds of each of `runs` executions."""
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        source.execute(sql, max_rows=100)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    """Print one markdown row per query."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--url", default=None, help="a PostgreSQL database holding the demo")
    args = parser.parse_args()
    url = args.url
    if url is None:
        url = POSTGRES.create_database()
        load_demo_into(url)
    gated = SqlSource("gated", SourceSettings(url=url, pool_size=1))
    open_ = SqlSource("open", SourceSettings(url=url, pool_size=1, max_estimated_rows=None))
    try:
        print("| query | gate off median ms | gate on median ms | added ms | gate on p95 ms |")
        print("|---|---:|---:|---:|---:|")
        for name, sql in QUERIES.items():
            timings(gated, sql, 20), timings(open_, sql, 20)  # warm both pools and caches
            on: list[float] = []
            off: list[float] = []
            for _ in range(args.runs // 10):
                on += timings(gated, sql, 10)
                off += timings(open_, sql, 10)
            on.sort()
            median_on, median_off = statistics.median(on), statistics.median(off)
            p95 = on[int(0.95 * (len(on) - 1))]
            print(
                f"| {name} | {median_off:.2f} | {median_on:.2f} | "
                f"{median_on - median_off:+.2f} | {p95:.2f} |"
            )
        print(f"\n{args.runs} runs each, alternating in tens.")
    finally:
        gated.close()
        open_.close()
        if args.url is None:
            POSTGRES.drop_database(url)


if __name__ == "__main__":
    main()
