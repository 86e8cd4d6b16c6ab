"""Figure: answers per second with 1, 2 and 4 worker processes (`serve --workers N`).

`python bench/workers.py [--requests 4000] [--workers 1,2,4] [--mix lookup]`

The demo sales data in PostgreSQL (a database of its own, loaded and dropped here) and in
SQLite, the offline translator, wrk at 64 connections with bench/load/mixed.lua until
`--requests` answers after a warm-up; p50 and p99 latency as wrk measures them. The
machine's cores are shared by the server processes, PostgreSQL and wrk alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.harness import demo_databases, row, serve, wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--mix", default="lookup", help="lookup, analytic, mixed-lookup")
    parser.add_argument("--engines", default="postgres,sqlite")
    args = parser.parse_args()
    print(f"{args.mix} mix, {args.requests} answers at 64 connections\n")
    print("| engine, workers | answers/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    with demo_databases() as (sqlite_url, pg_url):
        urls = {"sqlite": sqlite_url, "postgres": pg_url}
        for engine in args.engines.split(","):
            for workers in (int(n) for n in args.workers.split(",")):
                config = {
                    "sources": {"sales": {"url": urls[engine]}},
                    "translator": {"provider": "offline"},
                    "server": {"workers": workers},
                }
                with serve(config) as url:
                    summary = wrk(url, requests=args.requests, mix=args.mix)
                print(row(f"{engine}, {workers}", summary), flush=True)


if __name__ == "__main__":
    main()
