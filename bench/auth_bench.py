"""Time what auth adds to a request: token checks, authorization and the policy rewrite.

Prints a markdown table of medians in microseconds. The RS256/ES256 keys come from a JWKS
served on 127.0.0.1 and are cached after the first request, as in production.

Run: .venv/bin/python bench/auth_bench.py [--runs 2000] [--warmup 100]
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from data_assistant.auth import (
    Authenticator,
    SourcePolicy,
    authorize,
    hash_api_key,
    mint_token,
)
from data_assistant.guard.sql_guard import cap_rows, validate_sql
from data_assistant.schema.model import Column, SchemaSnapshot, Table
from data_assistant.settings import AuthSettings, SourcePolicies

SECRET = "bench-secret-" + "x" * 40
ISSUER, AUDIENCE = "https://idp.bench.test/", "api://data-assistant"
QUERY = """
SELECT c.region, COUNT(DISTINCT o.id) AS orders, SUM(oi.quantity * oi.unit_price) AS revenue
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
JOIN order_items AS oi ON oi.order_id = o.id
WHERE o.status <> 'cancelled' AND o.id IN (SELECT order_id FROM order_items WHERE quantity > 2)
GROUP BY c.region
ORDER BY revenue DESC
"""
TABLES = {
    "orders": ["id", "customer_id", "status", "tenant_id", "created_at"],
    "customers": ["id", "name", "region", "tenant_id", "email", "ssn"],
    "order_items": ["id", "order_id", "product_id", "quantity", "unit_price", "tenant_id"],
}
POLICIES = SourcePolicies(
    tables={
        "orders": {"rows": "tenant_id = :claims.tid"},
        "customers": {
            "rows": "tenant_id = :claims.tid AND region IN (:claims.regions)",
            "deny_columns": ["email"],
            "mask_columns": ["ssn"],
        },
        "order_items": {"rows": "tenant_id = :claims.tid"},
    }
)
SNAPSHOT = SchemaSnapshot(
    source="sales",
    dialect="postgres",
    tables=tuple(
        Table(name=name, columns=tuple(Column(c, "TEXT") for c in columns))
        for name, columns in TABLES.items()
    ),
)


def serve_jwks(keys: list[dict[str, Any]]) -> tuple[str, Callable[[], None]]:
    body = json.dumps({"keys": keys}).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/keys", stop


def public_jwk(alg: str, kid: str, private: Any) -> dict[str, Any]:
    data = json.loads(jwt.get_algorithm_by_name(alg).to_jwk(private.public_key()))
    return {**data, "kid": kid, "alg": alg, "use": "sig"}


def median_us(fn: Callable[[], object], runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    url, stop = serve_jwks([public_jwk("RS256", "r1", rsa_key), public_jwk("ES256", "e1", ec_key)])
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "iat": now,
        "exp": now + 3600,
        "scp": "read:data",
        "databases": ["sales"],
        "tid": "t-42",
        "regions": ["EMEA", "APAC"],
    }
    hs = Authenticator(AuthSettings(mode="jwt", jwt={"secret": SECRET}))
    hs_header = "Bearer " + mint_token(
        SECRET, sub="alice", databases=["sales"], claims={"tid": "t-42", "regions": ["EMEA"]}
    )
    pk = Authenticator(
        AuthSettings(mode="jwt", jwt={"jwks_url": url, "issuer": ISSUER, "audience": AUDIENCE})
    )
    rs_header = "Bearer " + jwt.encode(claims, rsa_key, "RS256", headers={"kid": "r1"})
    es_header = "Bearer " + jwt.encode(claims, ec_key, "ES256", headers={"kid": "e1"})
    api_key = "da_" + "k" * 43
    keys = Authenticator(
        AuthSettings(
            mode="api-key",
            api_keys=[{"hash": hash_api_key(api_key), "subject": "svc", "databases": ["sales"]}],
        )
    )
    policy = SourcePolicy("sales", POLICIES, dialect="postgres")
    principal = pk.authenticate(rs_header)
    tree = validate_sql(QUERY, dialect="postgres")

    def plain_request() -> str:
        guarded = validate_sql(QUERY, dialect="postgres")
        capped = cap_rows(guarded, dialect="postgres", row_cap=101)
        return capped.sql(dialect="postgres", copy=False)

    def full_request(header: str, authenticator: Authenticator) -> Callable[[], str]:
        def run() -> str:
            who = authenticator.authenticate(header)
            authorize(who, "sales", configured=["sales"])
            guarded = validate_sql(QUERY, dialect="postgres")
            # As the pipeline will: the guarded tree is fresh, so it is rewritten in place.
            result = policy.enforce(guarded, principal=who, snapshot=SNAPSHOT, copy=False)
            capped = cap_rows(result.expression, dialect="postgres", row_cap=101)
            return capped.sql(dialect="postgres", copy=False)

        return run

    rows = [
        ("verify HS256 JWT (shared secret)", lambda: hs.authenticate(hs_header)),
        ("verify RS256 JWT (JWKS, cached)", lambda: pk.authenticate(rs_header)),
        ("verify ES256 JWT (JWKS, cached)", lambda: pk.authenticate(es_header)),
        ("verify API key (sha256)", lambda: keys.authenticate(f"Bearer {api_key}")),
        ("authorize source + scope", lambda: authorize(principal, "sales", configured=["sales"])),
        (
            "policy rewrite (3 tables, rows+columns), copying",
            lambda: policy.enforce(tree, principal=principal, snapshot=SNAPSHOT),
        ),
        (
            "policy rewrite in place (+ parse, as in the pipeline)",
            lambda: policy.enforce(
                validate_sql(QUERY, dialect="postgres"),
                principal=principal,
                snapshot=SNAPSHOT,
                copy=False,
            ),
        ),
        (
            "guard parse alone (subtract from the row above)",
            lambda: validate_sql(QUERY, dialect="postgres"),
        ),
        ("request without auth: guard+cap+render", plain_request),
        ("request with HS256 + policies", full_request(hs_header, hs)),
        ("request with RS256 + policies", full_request(rs_header, pk)),
    ]
    print(f"runs={args.runs} warmup={args.warmup}\n")
    print("| step | median µs |")
    print("|---|---:|")
    for name, fn in rows:
        print(f"| {name} | {median_us(fn, args.runs, args.warmup):,.1f} |")
    stop()


if __name__ == "__main__":
    main()
