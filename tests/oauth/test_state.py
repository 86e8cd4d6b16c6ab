"""The state store on SQLite and on a real Redis: single use, reuse seen, one writer wins;
signing keys rotate and retire; two app instances on one Redis share codes and tokens."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from data_assistant.auth.oauth.keys import SigningKeys
from data_assistant.auth.oauth.redis_store import RedisStore
from data_assistant.auth.oauth.store import SqliteStore
from tests.auth.conftest import REDIS_URL
from tests.oauth.conftest import Flow, bearer, free_socket, public_client


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        made = SqliteStore(tmp_path / "state.sqlite3")
        yield made
        made.close()
        return
    client = request.getfixturevalue("redis_client")
    prefix = f"da-test-oauth-{secrets.token_hex(6)}:"
    yield RedisStore(prefix=prefix, client=client)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)


def test_a_record_is_consumed_once_and_its_reuse_is_seen(store) -> None:
    store.put("code", "k", {"family": "f1"}, 60)
    assert store.consume("code", "k", keep_s=60) == ({"family": "f1"}, None)
    assert store.consume("code", "k", keep_s=60) == (None, {"family": "f1"})
    assert store.consume("code", "unknown", keep_s=60) == (None, None)


def test_only_one_of_many_concurrent_consumers_gets_the_record(store) -> None:
    store.put("refresh", "k", {"family": "f"}, 60)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.consume("refresh", "k", 60)[0], range(16)))
    assert sum(r is not None for r in results) == 1


def test_add_writes_only_when_absent(store) -> None:
    assert store.add("key", "genesis", {"kid": "a"}) is True
    assert store.add("key", "genesis", {"kid": "b"}) is False
    assert store.get("key", "genesis") == {"kid": "a"}
    assert store.values("key") == [{"kid": "a"}]


def test_exists_and_counters(store) -> None:
    store.put("revoked", "sid:x", {"at": 1}, 60)
    assert store.exists("revoked", ["jti:y", "sid:x"])
    assert not store.exists("revoked", ["jti:y"])
    assert not store.exists("revoked", [])
    assert [store.incr("fail", "alice", 60) for _ in range(3)] == [1, 2, 3]
    store.delete("revoked", "sid:x")
    assert not store.exists("revoked", ["sid:x"])


def test_sqlite_records_expire(tmp_path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "s.sqlite3", clock=clock)
    store.put("code", "k", {"a": 1}, 60)
    clock.now += 61
    assert store.get("code", "k") is None
    assert store.consume("code", "k", 60) == (None, None)
    store.close()


def test_the_sqlite_file_is_private(tmp_path) -> None:
    SqliteStore(tmp_path / "s.sqlite3").close()
    assert (tmp_path / "s.sqlite3").stat().st_mode & 0o077 == 0


def test_keys_rotate_and_old_keys_retire_once_their_tokens_expired(tmp_path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "k.sqlite3", clock=clock)
    keys = SigningKeys(store, algorithm="ES256", rotation_s=1000, retain_s=100, clock=clock)
    first = keys.current()
    assert keys.current().kid == first.kid
    clock.now += 1001
    second = keys.current()
    assert second.kid != first.kid
    # The old key still verifies the tokens it signed...
    assert {k["kid"] for k in keys.jwks()["keys"]} == {first.kid, second.kid}
    assert keys.key_for(first.kid, "ES256") is not None
    clock.now += 101
    # ...until they have all expired.
    keys._loaded_at = float("-inf")
    assert [k["kid"] for k in keys.jwks()["keys"]] == [second.kid]
    store.close()


def test_two_processes_rotating_at_once_agree_on_one_key(tmp_path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "k.sqlite3", clock=clock)
    a = SigningKeys(store, algorithm="ES256", rotation_s=1000, retain_s=100, clock=clock)
    b = SigningKeys(store, algorithm="ES256", rotation_s=1000, retain_s=100, clock=clock)
    assert a.current().kid == b.current().kid
    clock.now += 1001
    assert a.current().kid == b.current().kid
    assert len(store.values("signing_key")) == 2
    store.close()


def test_two_app_instances_on_one_redis_share_codes_and_refresh_tokens(
    make_live, redis_client, llm
) -> None:
    prefix = f"da-test-oauth-{secrets.token_hex(6)}:"
    store = {"redis_url": REDIS_URL, "key_prefix": prefix}
    # Both instances answer for one public address, as behind a load balancer.
    sock_a, sock_b = free_socket(), free_socket()
    host, port = sock_a.getsockname()
    base = f"http://{host}:{port}"
    a = make_live(sock=sock_a, base_url=base, store=store)
    b = make_live(sock=sock_b, base_url=base, store=store)
    try:
        client_id = public_client(a.app)
        with httpx.Client(base_url=a.url) as at_a, httpx.Client(base_url=b.url) as at_b:
            flow = Flow(at_a, client_id, verifier=secrets.token_urlsafe(48))
            code = flow.code()
            flow.http = at_b  # the code is exchanged at the other instance
            first = flow.exchange(code)
            assert first.status_code == 200, first.text
            tokens = first.json()
            llm.sql("SELECT COUNT(*) AS n FROM regions")
            asked = at_a.post(
                "/api/v1/query/sql",
                json={"database": "shop", "question": "how many regions"},
                headers=bearer(tokens["access_token"]),
            )
            assert asked.status_code == 200, asked.text

            flow.http = at_a
            second = flow.refresh(tokens["refresh_token"])
            assert second.status_code == 200
            flow.http = at_b
            assert flow.refresh(tokens["refresh_token"]).json()["error"] == "invalid_grant"
            # The reuse at B revoked the family; A sees it at once.
            denied = at_a.get("/api/v1/sources", headers=bearer(second.json()["access_token"]))
            assert denied.status_code == 401
            flow.http = at_a  # and the code, used at B, is spent at A too
            assert flow.exchange(code).json()["error"] == "invalid_grant"
    finally:
        for key in redis_client.scan_iter(match=prefix + "*"):
            redis_client.delete(key)
