"""Time check_sql on a realistic 10-line analytic query in each dialect; print a markdown table.

Run: .venv/bin/python bench/guard_bench.py [--runs 500] [--warmup 50]
"""

from __future__ import annotations

import argparse
import statistics
import time

from data_assistant.guard import check_sql

QUERIES = {
    "sqlite": """
SELECT c.region, p.category, COUNT(DISTINCT o.id) AS orders,
       SUM(oi.quantity * oi.unit_price) AS revenue, AVG(oi.unit_price) AS avg_price
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
JOIN order_items AS oi ON oi.order_id = o.id
LEFT JOIN products AS p ON p.id = oi.product_id
WHERE o.created_at >= DATE('now', '-90 days') AND o.status <> 'cancelled'
GROUP BY c.region, p.category
HAVING SUM(oi.quantity) > 10
ORDER BY revenue DESC
""",
    "postgres": """
SELECT c.region, p.category, COUNT(DISTINCT o.id) AS orders,
       SUM(oi.quantity * oi.unit_price) AS revenue, AVG(oi.unit_price) AS avg_price
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
JOIN order_items AS oi ON oi.order_id = o.id
LEFT JOIN products AS p ON p.id = oi.product_id
WHERE o.created_at >= NOW() - INTERVAL '90 days' AND o.status <> 'cancelled'
GROUP BY c.region, p.category
HAVING SUM(oi.quantity) > 10
ORDER BY revenue DESC
""",
    "mysql": """
SELECT c.region, p.category, COUNT(DISTINCT o.id) AS orders,
       SUM(oi.quantity * oi.unit_price) AS revenue, AVG(oi.unit_price) AS avg_price
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
JOIN order_items AS oi ON oi.order_id = o.id
LEFT JOIN products AS p ON p.id = oi.product_id
WHERE o.created_at >= DATE_SUB(CURDATE(), INTERVAL 90 DAY) AND o.status <> 'cancelled'
GROUP BY c.region, p.category
HAVING SUM(oi.quantity) > 10
ORDER BY revenue DESC
""",
    "tsql": """
SELECT c.region, p.category, COUNT(DISTINCT o.id) AS orders,
       SUM(oi.quantity * oi.unit_price) AS revenue, AVG(oi.unit_price) AS avg_price
FROM dbo.orders AS o
JOIN dbo.customers AS c ON c.id = o.customer_id
JOIN dbo.order_items AS oi ON oi.order_id = o.id
LEFT JOIN dbo.products AS p ON p.id = oi.product_id
WHERE o.created_at >= DATEADD(day, -90, GETDATE()) AND o.status <> 'cancelled'
GROUP BY c.region, p.category
HAVING SUM(oi.quantity) > 10
ORDER BY revenue DESC
""",
}
TABLES = frozenset({"orders", "customers", "order_items", "products"})


def bench(dialect: str, sql: str, runs: int, warmup: int) -> tuple[float, float]:
    """Median and p95 of check_sql on `sql`, in milliseconds."""
    for _ in range(warmup):
        check_sql(sql, dialect=dialect, tables=TABLES)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        check_sql(sql, dialect=dialect, tables=TABLES)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


def calibration_ms() -> float:
    """Time of a fixed pure-Python loop, to compare figures taken on different machines."""
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Print one markdown row per dialect."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    print("| dialect | median ms | p95 ms |")
    print("|---|---:|---:|")
    for dialect, sql in QUERIES.items():
        median, p95 = bench(dialect, sql, args.runs, args.warmup)
        print(f"| {dialect} | {median:.3f} | {p95:.3f} |")
    print(f"\n{args.runs} runs each; a 1e6-step Python loop took {calibration_ms():.0f} ms here.")


if __name__ == "__main__":
    main()
