"""The prepared-query cache reuses the guard's work only for an identical request: same
query, limit, principal (claims included) and schema snapshot; refusals are never kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_assistant.auth.principal import Principal
from data_assistant.errors import GuardRejection
from data_assistant.prepare_cache import PrepareCache
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource

ALICE = Principal(subject="alice", scopes=frozenset({"read:data"}), claims={"region": 1})
ALICE_ELSEWHERE = Principal(subject="alice", scopes=frozenset({"read:data"}), claims={"region": 2})
BOB = Principal(subject="bob", scopes=frozenset({"read:data"}), claims={"region": 1})
QUERY = "SELECT id, name FROM customers"


@pytest.fixture
def source(shop_db: Path) -> SqlSource:
    settings = SourceSettings(
        url=f"sqlite:///{shop_db}",
        policies={"tables": {"customers": {"rows": "region_id = :claims.region"}}},
    )
    made = SqlSource("shop", settings)
    yield made
    made.close()


def test_the_same_request_gets_the_same_prepared_query(source):
    cache = PrepareCache()
    first = cache.prepare(source, QUERY, 10, ALICE)
    assert cache.prepare(source, QUERY, 10, ALICE) is first
    assert [r["name"] for r in source.run(first).rows] == ["Ada", "Cy"]


@pytest.mark.parametrize(
    ("query", "limit", "principal"),
    [
        (QUERY + " ", 10, ALICE),
        (QUERY, 11, ALICE),
        (QUERY, 10, ALICE_ELSEWHERE),
        (QUERY, 10, BOB),
    ],
)
def test_anything_different_is_prepared_again(source, query, limit, principal):
    cache = PrepareCache()
    first = cache.prepare(source, QUERY, 10, ALICE)
    again = cache.prepare(source, query, limit, principal)
    assert again is not first
    fresh = source.prepare(query, limit, principal)
    assert (again.text, again.params, again.holder) == (fresh.text, fresh.params, fresh.holder)


def test_a_claim_that_changes_is_never_answered_from_another_principals_entry(source):
    cache = PrepareCache()
    cache.prepare(source, QUERY, 10, ALICE)
    elsewhere = cache.prepare(source, QUERY, 10, ALICE_ELSEWHERE)
    assert [r["name"] for r in source.run(elsewhere).rows] == ["Bob"]


def test_a_refreshed_schema_is_prepared_against_again(source, shop_db):
    cache = PrepareCache()
    first = cache.prepare(source, "SELECT COUNT(*) AS n FROM orders", 10, ALICE)
    source.schema(refresh=True)  # a new snapshot, even with nothing changed
    assert cache.prepare(source, "SELECT COUNT(*) AS n FROM orders", 10, ALICE) is not first


def test_refusals_are_checked_every_time_and_the_cache_stays_bounded(source):
    cache = PrepareCache(size=2)
    for _ in range(2):
        with pytest.raises(GuardRejection):
            cache.prepare(source, "DELETE FROM customers", 10, ALICE)
    for n in range(5):
        cache.prepare(source, f"SELECT {n} AS n", 10, ALICE)
    assert len(cache._entries) == 2
