"""The Cosmos DB source against a Cosmos gateway on loopback: what it sends, how it pages,
where it stops, and how the SDK's errors reach the user."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from data_assistant.errors import QueryFailed, QueryTimeout, SourceUnavailable
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.settings import CosmosSourceSettings
from data_assistant.sources.cosmos import CosmosSource, service_message
from tests.documents.cosmos_stub import (
    KEY,
    CosmosStub,
    Failure,
    bad_request,
    self_signed_certificate,
)

DOCS = [
    {"id": f"t{i:03d}", "n": i, "status": "open" if i % 3 else "closed",
     "customer": {"country": ["France", "Germany"][i % 2]}}
    for i in range(250)
]  # fmt: skip


@pytest.fixture
def stub() -> Iterator[CosmosStub]:
    with CosmosStub(DOCS) as server:
        yield server


def source_for(stub: CosmosStub, **options: Any) -> CosmosSource:
    settings = {"endpoint": stub.url, "key": KEY, "database": "shop", "container": "tickets"}
    return CosmosSource("support", CosmosSourceSettings(**{**settings, **options}))


def test_the_query_goes_with_its_parameters_across_partitions(stub: CosmosStub) -> None:
    source = source_for(stub, page_size=50)
    guarded = check_cosmos_query(
        "SELECT c.id FROM c WHERE c.status = 'closed'", container="tickets", max_items=100
    )
    result = source.execute(guarded.query, parameters=guarded.parameters, max_items=100)
    sent = stub.queries[0]
    assert sent.path == "/dbs/shop/colls/tickets/docs/"
    assert sent.body == {
        "query": "SELECT TOP 101 c.id FROM c WHERE c.status = @p0",
        "parameters": [{"name": "@p0", "value": "closed"}],
    }
    assert sent.headers["x-ms-documentdb-query-enablecrosspartition"] == "True"
    assert sent.headers["x-ms-max-item-count"] == "50"
    assert sent.headers["authorization"].startswith("type%3Dmaster")
    assert len(result.documents) == 84
    assert not result.truncated
    assert result.count == 84


def test_pages_are_read_until_one_more_than_the_limit(stub: CosmosStub) -> None:
    source = source_for(stub, page_size=40)
    result = source.execute("SELECT TOP 101 VALUE c.n FROM c", max_items=100)
    assert result.documents == list(range(100))
    assert result.truncated
    assert result.count is None  # counting would cost request units of its own
    assert [q.headers.get("x-ms-continuation") for q in stub.queries] == [None, "40", "80"]
    assert result.request_charge == 7.5
    assert result.notes == ()


def test_reading_stops_after_max_pages_with_a_note(stub: CosmosStub) -> None:
    source = source_for(stub, page_size=10, max_pages=3)
    result = source.execute("SELECT VALUE c.n FROM c", max_items=100)
    assert result.documents == list(range(30))
    assert result.truncated
    assert result.notes == ("Stopped after 3 pages of 10 items.",)
    assert len(stub.queries) == 3


def test_reading_stops_once_the_request_charge_passes_the_limit(stub: CosmosStub) -> None:
    stub.charge = 400.0
    source = source_for(stub, page_size=10, max_request_units=1000)
    result = source.execute("SELECT VALUE c.n FROM c", max_items=100)
    assert len(stub.queries) == 3
    assert result.documents == list(range(30))
    assert result.truncated
    assert result.request_charge == 1200.0
    assert "Stopped after 1200 request units, past the limit of 1000" in result.notes[0]


def test_a_full_last_page_is_followed_to_the_end(stub: CosmosStub) -> None:
    source = source_for(stub, page_size=10, max_pages=5)
    result = source.execute("SELECT VALUE c.n FROM c WHERE c.n < 30", max_items=100)
    assert result.documents == list(range(30))
    assert not result.truncated
    assert result.count == 30


def test_reading_stops_at_the_time_limit_with_what_it_has(
    stub: CosmosStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data_assistant.sources import cosmos

    source = source_for(stub, page_size=10)
    source.ping()
    ticks = iter([0.0])  # the start; every later look is past the limit
    monkeypatch.setattr(cosmos.time, "monotonic", lambda: next(ticks, 100.0))
    result = source.execute("SELECT VALUE c.n FROM c", max_items=100)
    assert result.documents == list(range(10))
    assert result.truncated
    assert result.notes == ("Stopped after 15 s with more to read.",)


def test_the_last_page_is_not_cut_for_its_charge(stub: CosmosStub) -> None:
    stub.charge = 5000.0
    result = source_for(stub).execute("SELECT VALUE c.n FROM c WHERE c.n < 5", max_items=100)
    assert result.documents == [0, 1, 2, 3, 4]
    assert not result.truncated


def test_system_properties_are_left_out_of_whole_items(stub: CosmosStub) -> None:
    result = source_for(stub).execute("SELECT * FROM c WHERE c.n = 1", max_items=10)
    assert result.documents == [{**DOCS[1], "_ts": 1700000001}]


def test_the_schema_is_inferred_from_a_sample(stub: CosmosStub) -> None:
    source = source_for(stub, sample_size=20)
    table = source.schema().tables[0]
    assert table.name == "tickets"
    assert table.column("status").samples == ("open", "closed")
    assert "partition key /customer/country" in (table.comment or "")
    assert stub.queries[0].body["query"] == "SELECT TOP 20 * FROM c"
    assert source.schema() is source.schema()


def test_a_query_the_service_rejects_fails_with_its_one_line_reason(stub: CosmosStub) -> None:
    stub.fail(bad_request("Identifier 'foo' could not be resolved.", start=7))
    with pytest.raises(QueryFailed) as info:
        source_for(stub).execute("SELECT foo FROM c", max_items=10)
    assert info.value.reason == (
        "Cosmos DB rejected the query: Identifier 'foo' could not be resolved (at character 7)."
    )
    assert info.value.sql == "SELECT foo FROM c"


@pytest.mark.parametrize(
    ("failure", "error", "reason"),
    [
        (Failure(401, {"code": "Unauthorized", "message": "bad signature"}), SourceUnavailable,
         "is not authorized to read"),
        (Failure(403, {"code": "Forbidden", "message": "no RBAC"}), SourceUnavailable,
         "Cosmos DB Built-in Data Reader role"),
        (Failure(408, {"code": "RequestTimeout", "message": "slow"}), QueryTimeout,
         "longer than the 1 s limit of source 'support'"),
        (Failure(429, {"code": "TooManyRequests", "message": "Request rate is large"},
                 {"x-ms-retry-after-ms": "5"}), SourceUnavailable, "is throttled"),
        (Failure(503, {"code": "ServiceUnavailable", "message": "down"}), SourceUnavailable,
         "answered with HTTP 503"),
    ],
)  # fmt: skip
def test_service_errors_are_translated_where_they_enter(
    stub: CosmosStub, failure: Failure, error: type[Exception], reason: str
) -> None:
    source = source_for(stub, timeout_s=1)
    source.ping()
    stub.fail(failure, times=0)
    with pytest.raises(error, match=reason) as info:
        source.execute("SELECT * FROM c", max_items=10)
    assert "ActivityId" not in info.value.reason


def test_a_slow_answer_times_out_within_the_limit(stub: CosmosStub) -> None:
    source = source_for(stub, timeout_s=1)
    source.ping()
    stub.delay_s = 3
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        source.execute("SELECT * FROM c", max_items=10)
    assert time.monotonic() - started < 2.5


def test_an_unknown_container_is_unavailable(stub: CosmosStub) -> None:
    source = source_for(stub, container="nope")
    with pytest.raises(SourceUnavailable, match="does not exist"):
        source.ping()


def test_an_account_that_cannot_be_reached_is_unavailable() -> None:
    settings = CosmosSourceSettings(
        endpoint="http://127.0.0.1:9/", key=KEY, database="shop", container="tickets", timeout_s=2
    )
    with pytest.raises(SourceUnavailable, match="cannot be reached"):
        CosmosSource("support", settings).execute("SELECT * FROM c", max_items=10)


def test_making_the_source_does_not_touch_the_network(stub: CosmosStub) -> None:
    source_for(stub)
    assert stub.requests == []


class _Credential:
    """A TokenCredential that hands out a fixed token and remembers the scopes asked."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.extend(scopes)
        return AccessToken("entra-token", int(time.time()) + 3600)


# The SDK skips certificate checks for 127.0.0.1, as it does for the Cosmos DB emulator.
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_without_a_key_the_source_signs_in_with_entra_id(tmp_path: Path) -> None:
    # Bearer tokens go over HTTPS only, so this gateway serves TLS.
    cert, key = self_signed_certificate(tmp_path)
    credential = _Credential()
    with CosmosStub(DOCS, tls=(cert, key)) as tls_stub:
        settings = CosmosSourceSettings(
            endpoint=tls_stub.url, database="shop", container="tickets", timeout_s=2
        )
        source = CosmosSource("support", settings, credential=credential)
        result = source.execute("SELECT VALUE c.n FROM c WHERE c.n = 3", max_items=10)
    assert result.documents == [3]
    auth = tls_stub.queries[0].headers["authorization"]
    assert auth == "type=aad&ver=1.0&sig=entra-token"
    assert credential.scopes == ["https://127.0.0.1/.default"] * len(credential.scopes)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('{"code":"BadRequest","message":"Message: {\\"errors\\":[{\\"severity\\":\\"Error\\",'
         '\\"code\\":\\"SC1001\\",\\"message\\":\\"Syntax error, incorrect syntax near '
         '\'FRM\'.\\"}]}\\r\\nActivityId: 1f, Microsoft.Azure.Documents.Common/2.14.0"}',
         "Syntax error, incorrect syntax near 'FRM'."),
        ("Cross partition query only supports 'VALUE <AggregateFunc>' for aggregates",
         "Cross partition query only supports 'VALUE <AggregateFunc>' for aggregates."),
        ("One of the input values is invalid.\r\nActivityId: 9a, Windows/10.0 documentdb/2.14",
         "One of the input values is invalid."),
    ],
)  # fmt: skip
def test_the_service_message_keeps_only_the_reason(message: str, expected: str) -> None:
    class Error:
        http_error_message = message

    assert service_message(Error()) == expected
