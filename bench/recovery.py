"""Figure: recovery after a PostgreSQL outage under load — how long after the database is
back the answers resume, and what the clients saw meanwhile.

`python bench/recovery.py [--down-s 2] [--clients 16]`

`data-assistant serve` over the demo sales data in PostgreSQL, reached through a TCP proxy
in this process (tests/servers.py's): taking the proxy down closes every connection, as a
server restart does, without restarting the PostgreSQL other work shares. Client threads
ask look-up questions in a loop; the proxy goes down for `--down-s` seconds and comes back.
Recovery is the time from the proxy accepting again to the first answer after it. A real
`pg_ctlcluster restart` is not done here: the server is shared.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from load.harness import demo_databases, serve  # noqa: E402
from tests.servers import TcpProxy, url_with_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down-s", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    proxy = TcpProxy("127.0.0.1", 5432).start()
    statuses: Counter[int] = Counter()
    answers_at: list[float] = []
    stop = threading.Event()
    with demo_databases() as (_, pg_url):
        config = {
            "sources": {"sales": {"url": url_with_port(pg_url, proxy.port), "timeout_s": 5}},
            "translator": {"provider": "offline"},
        }
        with serve(config) as url:

            def client() -> None:
                with httpx.Client(base_url=url, timeout=30) as http:
                    while not stop.is_set():
                        try:
                            answer = http.post(
                                "/api/v1/query/sql",
                                json={"database": "sales", "question": "show all regions"},
                            )
                            status = answer.status_code
                        except httpx.HTTPError:
                            status = -1
                        statuses[status] += 1
                        if status == 200:
                            answers_at.append(time.monotonic())

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(3)
            before = dict(statuses)
            proxy.stop()
            down_at = time.monotonic()
            time.sleep(args.down_s)
            proxy.start()
            back_at = time.monotonic()
            time.sleep(5)
            stop.set()
            for thread in threads:
                thread.join()
    proxy.stop()
    first = min((t for t in answers_at if t >= back_at), default=None)
    during = {k: v - before.get(k, 0) for k, v in statuses.items()}
    print(f"{args.clients} clients, database down {args.down_s:g} s")
    print(f"answers before the outage: {before.get(200, 0)}; statuses from the outage on: {during}")
    print(f"the database was unreachable for {back_at - down_at:.2f} s")
    if first is None:
        print("no answer after the database came back")
    else:
        print(f"first answer {1000 * (first - back_at):.0f} ms after the database was back")


if __name__ == "__main__":
    main()
