"""Figure: answers per second with auth and policies on, against off (SQLite demo data).

`python bench/auth_throughput.py [--seconds 10] [--clients 16] [--rounds 3]`

Sixteen threads ask in-process, as bench/throughput.py does, with a translator stand-in
answering instantly from the "lookup" and "analytic" mixes. "off" is auth mode none with no
policies; "on" verifies an HS256 bearer token for every question (the same Authenticator the
HTTP dependency uses), authorizes the principal and rate-limits in process (a limit too
high to bite); the last column adds row policies on `orders` and `customers` bound to the
token's claims, which also changes the work: the filtered queries read fewer rows.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import MIXES, RESULTS, CyclingTranslator

from data_assistant.auth.authenticator import Authenticator
from data_assistant.auth.tokens import mint_token
from data_assistant.pipeline import Assistant
from data_assistant.sample_data.sales import generate_sales_db
from data_assistant.settings import (
    AuthSettings,
    JwtSettings,
    RateLimitSettings,
    SourcePolicies,
    SourceSettings,
    TablePolicy,
    TranslatorSettings,
    load_settings,
)

SECRET = "bench-secret-" + "x" * 32


def build(
    auth: bool, url: str, mix: str, *, row_policies: bool
) -> tuple[Assistant, Authenticator | None]:
    settings = load_settings(None, dbs=[url], environ={})
    # The stand-in cycles through queries for one question: no translation is reused.
    settings = settings.merged({"cache": {"enabled": False}})
    settings.translator = TranslatorSettings(provider="none")
    policies = SourcePolicies()
    if auth and row_policies:
        policies = SourcePolicies(
            tables={
                "orders": TablePolicy(rows="channel = :claims.channel"),
                "customers": TablePolicy(rows="region_id = :claims.region"),
            }
        )
    if auth:
        settings.auth = AuthSettings(mode="jwt", jwt=JwtSettings(secret=SECRET))
        settings.rate_limit = RateLimitSettings(per_minute=10_000_000, burst=1_000_000)
    settings.sources = {"demo": SourceSettings(url=url, timeout_s=30, policies=policies)}
    assistant = Assistant(settings, translator=CyclingTranslator(MIXES[mix]))
    return assistant, Authenticator(settings.auth) if auth else None


def run(
    auth: bool, url: str, mix: str, clients: int, seconds: float, *, row_policies: bool = False
) -> float:
    assistant, authenticator = build(auth, url, mix, row_policies=row_policies)
    token = mint_token(
        SECRET, sub="bench", databases=["demo"], claims={"channel": "web", "region": 2}
    )
    header = f"Bearer {token}"
    assistant.source("demo").schema()
    answers = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal answers
        mine = 0
        while time.perf_counter() < deadline:
            if authenticator is None:
                assistant.ask("demo", "a question")
            else:
                principal = authenticator.authenticate(header)
                assistant.ask("demo", "a question", principal=principal)
            mine += 1
        with lock:
            answers += mine

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assistant.close()
    return answers / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    path = RESULTS / "sales.db"
    if not path.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        generate_sales_db(path)
    url = f"sqlite:///{path}"
    print("| mix | auth off | JWT + rate limit | change | JWT + rate limit + row policies |")
    print("|---|---:|---:|---:|---:|")
    for mix in ("lookup", "analytic"):
        # Interleaved rounds, best of each: 16 threads on 2 shared cores are noisy.
        rounds = [
            (
                run(False, url, mix, args.clients, args.seconds),
                run(True, url, mix, args.clients, args.seconds),
                run(True, url, mix, args.clients, args.seconds, row_policies=True),
            )
            for _ in range(args.rounds)
        ]
        off, on, policed = (max(column) for column in zip(*rounds, strict=True))
        print(
            f"| {mix} | {off:,.0f}/s | {on:,.0f}/s | {100 * (on - off) / off:+.0f}% | "
            f"{policed:,.0f}/s |"
        )


if __name__ == "__main__":
    main()
