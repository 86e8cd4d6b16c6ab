"""Token buckets per subject, in process and shared through a real Redis."""

from __future__ import annotations

import secrets
import threading

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from data_assistant.api.problems import install_problem_handlers
from data_assistant.auth import ANONYMOUS, Principal
from data_assistant.errors import RateLimited
from data_assistant.ratelimit import (
    RateLimiter,
    RedisRateLimiter,
    make_rate_limiter,
    rate_key,
)
from data_assistant.settings import RateLimitSettings
from tests.auth.conftest import REDIS_URL
from tests.conftest import LOCAL


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    for _ in range(3):
        limiter.check("alice")
    with pytest.raises(RateLimited) as caught:
        limiter.check("alice")
    assert caught.value.retry_after == 1
    limiter.check("bob")  # buckets are per subject
    clock.now += 1.0
    limiter.check("alice")
    with pytest.raises(RateLimited):
        limiter.check("alice")


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=2, burst=1, clock=clock)
    limiter.check("a")
    clock.now += 0.4
    with pytest.raises(RateLimited) as caught:
        limiter.check("a")
    assert caught.value.retry_after == 30  # 29.6 s rounded up
    fast = RateLimiter(per_minute=6000, burst=1, clock=clock)
    fast.check("a")
    with pytest.raises(RateLimited) as caught:
        fast.check("a")
    assert caught.value.retry_after == 1


def test_concurrent_checks_never_exceed_the_burst() -> None:
    limiter = RateLimiter(per_minute=0.001, burst=25)
    allowed = []

    def hammer() -> None:
        for _ in range(20):
            try:
                limiter.check("shared")
                allowed.append(1)
            except RateLimited:
                pass

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 25


def test_redis_buckets_are_shared_between_workers(redis_client) -> None:
    prefix = f"da-test:{secrets.token_hex(4)}:"
    workers = [
        RedisRateLimiter(per_minute=6, burst=3, client=redis_client, prefix=prefix)
        for _ in range(2)
    ]
    workers[0].check("alice")
    workers[1].check("alice")
    workers[0].check("alice")
    with pytest.raises(RateLimited) as caught:
        workers[1].check("alice")
    assert 1 <= caught.value.retry_after <= 10  # one token per 10 s
    workers[1].check("bob")
    ttl = redis_client.pttl(prefix + "alice")
    assert 0 < ttl <= 31_000  # buckets expire once they would be full again
    redis_client.delete(prefix + "alice", prefix + "bob")


def test_redis_atomicity_under_concurrency(redis_client) -> None:
    prefix = f"da-test:{secrets.token_hex(4)}:"
    limiter = RedisRateLimiter(per_minute=0.001, burst=30, client=redis_client, prefix=prefix)
    allowed = []

    def hammer() -> None:
        for _ in range(15):
            try:
                limiter.check("shared")
                allowed.append(1)
            except RateLimited:
                pass

    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 30
    redis_client.delete(prefix + "shared")


def test_unreachable_redis_falls_back_to_the_worker(caplog) -> None:
    limiter = RedisRateLimiter(per_minute=60, burst=1, url="redis://127.0.0.1:1/0")
    limiter.check("alice")
    with pytest.raises(RateLimited):
        limiter.check("alice")
    assert "fall back" in caplog.text


def test_make_rate_limiter() -> None:
    assert make_rate_limiter(RateLimitSettings()) is None
    assert make_rate_limiter(object()) is None
    assert type(make_rate_limiter(RateLimitSettings(per_minute=5))) is RateLimiter
    shared = make_rate_limiter(RateLimitSettings(per_minute=5, redis_url=REDIS_URL))
    assert isinstance(shared, RedisRateLimiter)


def test_rate_key() -> None:
    assert rate_key(Principal(subject="alice"), "10.0.0.1") == "sub:alice"
    assert rate_key(ANONYMOUS, "10.0.0.1") == "ip:10.0.0.1"


def test_429_carries_retry_after() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    limiter = RateLimiter(per_minute=1, burst=1)

    def limited(request: Request) -> None:
        limiter.check(rate_key(ANONYMOUS, request.client.host if request.client else None))

    @app.get("/q", dependencies=[Depends(limited)])
    def q() -> dict:
        return {}

    client = TestClient(app, base_url=LOCAL, raise_server_exceptions=False)
    assert client.get("/q").status_code == 200
    response = client.get("/q")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "60"
    assert response.json()["type"].endswith("rate-limited")
