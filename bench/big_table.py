"""A SQLite file with one big table, for timing questions (and time limits) at scale.

`python bench/big_table.py [--rows N] [--path FILE]` builds bench/results/big_table.db once
(5,000,000 rows by default), then prints its path and how long the build took.

    events(id INTEGER PRIMARY KEY, kind TEXT, amount REAL, created_at TEXT)

kind is one of view (60%), click (25%), signup (7%), purchase (7%), refund (1%); amount is
0 except for purchases (5.00 .. 504.99) and refunds (the same range, negative); created_at
('YYYY-MM-DD HH:MM:SS') rises with id from 2023-01-01 to the end of 2025. Rows come from a
fixed hash of the id, so every build holds the same data. Only the primary key is indexed:
questions over the table scan it, which is what the timings are for.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "results" / "big_table.db"
DEFAULT_ROWS = 5_000_000

_CREATE = "CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, amount REAL, created_at TEXT)"
# One statement: SQLite generates the rows itself, far faster than inserting from Python.
# Ids come from blocks x 1000 (CROSS JOIN keeps blocks outer, so ids arrive in order),
# which is faster than counting to millions in one recursive CTE.
# `h` is Knuth's multiplicative hash of the id, a cheap deterministic stand-in for random();
# its low bits are the weakest, so `kind` reads bits from 12 up.
_INSERT = """
INSERT INTO events (id, kind, amount, created_at)
WITH RECURSIVE
thousand(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM thousand WHERE i < 999),
block(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM block WHERE b < (:rows - 1) / 1000),
seq(n) AS (SELECT b * 1000 + i + 1 FROM block CROSS JOIN thousand),
hashed AS (SELECT n, (n * 2654435761) % 4294967296 AS h FROM seq WHERE n <= :rows),
typed AS (
    SELECT n, h,
        CASE
            WHEN h / 4096 % 100 < 60 THEN 'view'
            WHEN h / 4096 % 100 < 85 THEN 'click'
            WHEN h / 4096 % 100 < 92 THEN 'signup'
            WHEN h / 4096 % 100 < 99 THEN 'purchase'
            ELSE 'refund'
        END AS kind
    FROM hashed
)
SELECT
    n,
    kind,
    CASE kind
        WHEN 'purchase' THEN 5 + (h / 100 % 50000) / 100.0
        WHEN 'refund' THEN -(5 + (h / 100 % 50000) / 100.0)
        ELSE 0.0
    END,
    datetime(1672531200 + (n - 1) * :span / :rows, 'unixepoch')
FROM typed
"""
_SPAN_SECONDS = 1096 * 86400  # 2023-01-01 .. 2025-12-31, 2024 being a leap year


def ensure_big_table(path: Path = DEFAULT_PATH, rows: int = DEFAULT_ROWS) -> Path:
    """Return `path`, first building it if it is missing or holds another number of rows."""
    path = Path(path)
    if _row_count(path) != rows:
        _build(path, rows)
    return path


def _row_count(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # Ids run 1..rows, so max(id) is the count without a scan.
            return conn.execute("SELECT max(id) FROM events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _build(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        try:
            # A throwaway file until the rename: no journal, no fsync.
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(_CREATE)
            with conn:
                conn.execute(_INSERT, {"rows": rows, "span": _SPAN_SECONDS})
            conn.execute("ANALYZE")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        tmp.chmod(0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args()
    started = time.perf_counter()
    built = _row_count(args.path) != args.rows
    path = ensure_big_table(args.path, args.rows)
    took = time.perf_counter() - started
    print(path)
    print(f"built {args.rows:,} rows in {took:.1f} s" if built else "already built")


if __name__ == "__main__":
    main()
