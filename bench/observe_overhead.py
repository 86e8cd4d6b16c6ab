"""Figure: what metrics and tracing cost on the look-up mix — answers/s with both off,
metrics on (the default), and metrics and tracing on.

`python bench/observe_overhead.py [--requests 3000] [--rounds 2]`

One server process over the demo sales data in SQLite (the cheapest questions, where a
fixed cost per request shows most), offline translator, wrk at 64 connections. Tracing
exports to a loopback OTLP/HTTP receiver in this process that accepts and drops the spans.
Configurations alternate for `--rounds`; the best round of each is kept.
"""

from __future__ import annotations

import argparse
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load.harness import demo_databases, row, serve, wrk


class Sink(BaseHTTPRequestHandler):
    """Accepts OTLP/HTTP exports and drops them."""

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    otlp = {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink.server_address[1]}",
    }
    with demo_databases() as (sqlite_url, _):
        base = {"sources": {"sales": {"url": sqlite_url}}, "translator": {"provider": "offline"}}
        configurations = {
            "metrics off, tracing off": ({**base, "metrics": {"enabled": False}}, {}),
            "metrics on, tracing off (default)": (base, {}),
            "metrics on, tracing on (OTLP)": ({**base, "tracing": {"enabled": True}}, otlp),
        }
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for label, (config, env) in configurations.items():
                with serve(config, env=env) as url:
                    figure = wrk(url, requests=args.requests)
                if label not in best or figure["per_second"] > best[label]["per_second"]:
                    best[label] = figure
    print("| configuration | answers/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for label, figure in best.items():
        print(row(label, figure))
    sink.shutdown()


if __name__ == "__main__":
    main()
