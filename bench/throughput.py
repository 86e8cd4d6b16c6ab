"""Figure: answers per second at 16 concurrent clients, PostgreSQL against SQLite, by pool size.

`python bench/throughput.py [--seconds 10] [--clients 16] [--pool-sizes 2,4,8,16]`

Clients are threads calling `Assistant.ask` in-process (no HTTP), so what is measured is
the pipeline: schema context, guard (sqlglot parse and render), read-only execution with
its session set-up and pool reset, and JSON-safe rows. The translator stand-in answers
instantly, cycling through a few realistic queries over the demo sales data: the LLM is
not what is measured. Each configuration runs for `--seconds` after a warm-up.

PostgreSQL gets a database of its own (`da_bench_<random>`, from --postgres, an admin URL),
loaded with `load_demo_into` and dropped at the end; SQLite reads bench/results/sales.db.
"""

from __future__ import annotations

import argparse
import itertools
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data_assistant.pipeline import Assistant
from data_assistant.sample_data.load import load_demo_into
from data_assistant.sample_data.sales import generate_sales_db
from data_assistant.settings import SourceSettings, TranslatorSettings, load_settings
from data_assistant.translate.base import Translation, TranslationRequest

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Written once in DuckDB's SQL, transpiled to each source's dialect as a model would write it.
# "analytic": aggregates over the 65k order lines (tens of ms of database work each);
# "lookup": indexed look-ups, where the pipeline's own cost shows.
MIXES: dict[str, list[str]] = {}
MIXES["analytic"] = [
    "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY n DESC",
    "SELECT c.name AS category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount)) AS revenue "
    "FROM order_items oi JOIN products p ON p.id = oi.product_id "
    "JOIN categories c ON c.id = p.category_id GROUP BY c.name ORDER BY revenue DESC",
    "SELECT cu.name, SUM(oi.quantity * oi.unit_price) AS spent FROM customers cu "
    "JOIN orders o ON o.customer_id = cu.id JOIN order_items oi ON oi.order_id = o.id "
    "WHERE o.order_date >= DATE '2025-01-01' GROUP BY cu.id, cu.name "
    "ORDER BY spent DESC LIMIT 10",
    "SELECT id, order_date, status, channel FROM orders WHERE customer_id = 42 "
    "ORDER BY order_date DESC",
    "SELECT CAST(STRFTIME(order_date, '%m') AS INT) AS month, COUNT(*) AS orders FROM orders "
    "WHERE order_date >= DATE '2025-01-01' GROUP BY 1 ORDER BY 1",
]
MIXES["lookup"] = [
    "SELECT id, name, country, segment FROM customers WHERE id = 42",
    "SELECT id, order_date, status, shipping_cost FROM orders WHERE id = 1234",
    "SELECT name, unit_price FROM products WHERE category_id = 3 ORDER BY unit_price DESC",
    "SELECT COUNT(*) AS orders FROM orders WHERE customer_id = 42",
    "SELECT p.name, oi.quantity FROM order_items oi JOIN products p ON p.id = oi.product_id "
    "WHERE oi.order_id = 777",
]


class CyclingTranslator:
    """Answers each question instantly with the next query, in the source's dialect."""

    name = "cycling"
    self_corrects = False

    def __init__(self, queries: list[str]) -> None:
        self.queries = queries
        self._next = itertools.cycle(range(len(queries)))
        self._lock = threading.Lock()
        self._by_dialect: dict[str, list[str]] = {}

    def translate(self, request: TranslationRequest) -> Translation:
        with self._lock:
            i = next(self._next)
            queries = self._by_dialect.get(request.dialect)
            if queries is None:
                queries = self._by_dialect[request.dialect] = [
                    sqlglot.transpile(q, read="duckdb", write=request.dialect)[0]
                    for q in self.queries
                ]
        return Translation(query=queries[i])


@dataclass
class Figure:
    mix: str
    engine: str
    pool_size: int
    answers: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds

    def row(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p50 = statistics.median(lat) * 1000
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))] * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        return (
            f"| {self.mix} | {self.engine} | {self.pool_size} | {self.per_second:,.0f} | "
            f"{p50:.1f} | {p95:.1f} | {p99:.1f} | {self.errors} |"
        )


def measure(
    mix: str, url: str, engine: str, pool_size: int, clients: int, seconds: float
) -> Figure:
    settings = load_settings(None, dbs=[url], environ={})
    # The stand-in cycles through queries for one question: no translation is reused.
    settings = settings.merged({"cache": {"enabled": False}})
    settings.translator = TranslatorSettings(provider="none")
    settings.sources = {"demo": SourceSettings(url=url, pool_size=pool_size, timeout_s=30)}
    queries = MIXES[mix]
    assistant = Assistant(settings, translator=CyclingTranslator(queries))
    try:
        assistant.source("demo").schema()  # introspection is cached, not per question
        for _ in range(2 * len(queries)):  # warm the pool and the caches
            assistant.ask("demo", "warm-up")
        answers = errors = 0
        latencies: list[float] = []
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)
        deadline = 0.0

        def client() -> None:
            nonlocal answers, errors
            mine: list[float] = []
            failed = 0
            start.wait()
            while (now := time.perf_counter()) < deadline:
                try:
                    assistant.ask("demo", "a question")
                    mine.append(time.perf_counter() - now)
                except Exception:
                    failed += 1
            with lock:
                answers += len(mine)
                errors += failed
                latencies.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        deadline = time.perf_counter() + seconds
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        return Figure(mix, engine, pool_size, answers, errors, elapsed, latencies)
    finally:
        assistant.close()


def admin(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per configuration")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pool-sizes", default="2,4,8,16")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL")
    parser.add_argument("--mixes", default="analytic,lookup", help=", ".join(MIXES))
    args = parser.parse_args()
    pool_sizes = [int(p) for p in args.pool_sizes.split(",")]

    sqlite_path = RESULTS / "sales.db"
    if not sqlite_path.exists():
        generate_sales_db(sqlite_path)
    database = f"da_bench_{secrets.token_hex(4)}"
    admin(args.postgres, f"CREATE DATABASE {database}")
    pg_url = make_url(args.postgres).set(database=database).render_as_string(hide_password=False)
    try:
        load_demo_into(pg_url, generated=sqlite_path)
        targets = [("sqlite", f"sqlite:///{sqlite_path}"), ("postgresql", pg_url)]
        print(f"{args.clients} client threads, {args.seconds:g} s per configuration\n")
        print("| mix | engine | pool size | answers/s | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|---|---|")
        best: dict[tuple[str, str], Figure] = {}
        for mix in args.mixes.split(","):
            for engine, url in targets:
                for size in pool_sizes:
                    figure = measure(mix, url, engine, size, args.clients, args.seconds)
                    print(figure.row(), flush=True)
                    key = (mix, engine)
                    if key not in best or figure.per_second > best[key].per_second:
                        best[key] = figure
        print()
        for (mix, engine), figure in best.items():
            print(
                f"best {mix} {engine}: pool size {figure.pool_size}, "
                f"{figure.per_second:,.0f} answers/s"
            )
    finally:
        admin(args.postgres, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
