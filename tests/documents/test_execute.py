"""Running guarded queries over a local container: caps, counts, limits, JSON-safe values."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from data_assistant.errors import QueryFailed, QueryTimeout
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.sources.containers import DocumentBatch
from data_assistant.sources.documents import DocumentsSource
from tests.documents.conftest import touch_later, write_jsonl


def ask(source: DocumentsSource, query: str, max_items: int = 100) -> DocumentBatch:
    guarded = check_cosmos_query(query, container=source.container, max_items=max_items)
    return source.execute(
        guarded.query,
        parameters=guarded.parameters,
        max_items=max_items,
        count_query=guarded.count_query,
    )


@pytest.mark.parametrize(
    ("query", "max_items", "expected", "truncated", "count"),
    [
        ("SELECT VALUE c.id FROM c WHERE c.status = 'open'", 10, ["t1", "t3"], False, 2),
        ("SELECT VALUE c.id FROM c ORDER BY c.id DESC", 2, ["t4", "t3"], True, 4),
        ("SELECT VALUE c.id FROM c ORDER BY c.id OFFSET 1 LIMIT 2", 1, ["t2"], True, 2),
        ("SELECT TOP 3 VALUE c.id FROM c", 2, ["t1", "t2"], True, 3),
        ("SELECT DISTINCT VALUE c.status FROM c", 2, ["open", "closed"], True, 3),
        ("SELECT VALUE c.satisfaction FROM c", 1, [4], True, 3),  # undefined is no result
        ("SELECT c.id, i.sku FROM c JOIN i IN c.items WHERE i.qty > 1", 1,
         [{"id": "t1", "sku": "A"}], True, 3),
        ("SELECT c.customer.country AS country, COUNT(1) AS n FROM c GROUP BY c.customer.country",
         2, [{"country": "France", "n": 2}, {"country": "Germany", "n": 1}], True, 3),
        ("SELECT VALUE COUNT(1) FROM c WHERE ARRAY_CONTAINS(c.tags, 'vip')", 1, [2], False, 1),
    ],
)  # fmt: skip
def test_results_are_capped_and_counted(
    tickets_source: DocumentsSource,
    query: str,
    max_items: int,
    expected: list,
    truncated: bool,
    count: int,
) -> None:
    result = ask(tickets_source, query, max_items)
    assert result.documents == expected
    assert result.truncated is truncated
    assert result.count == count


def test_undefined_never_reaches_the_answer(tickets_source: DocumentsSource) -> None:
    result = ask(tickets_source, "SELECT VALUE [c.id, c.nothing, {'a': c.nothing}] FROM c")
    assert result.documents[0] == ["t1", {}]
    json.dumps(result.documents)


def test_answers_are_copies_that_cannot_change_the_container(
    tickets_source: DocumentsSource,
) -> None:
    first = ask(tickets_source, "SELECT * FROM c WHERE c.id = 't1'").documents[0]
    first["status"] = "changed"
    first["tags"].append("x")
    again = ask(tickets_source, "SELECT * FROM c WHERE c.id = 't1'").documents[0]
    assert again["status"] == "open"
    assert again["tags"] == ["billing", "vip"]


def test_an_unknown_function_is_a_query_failure_the_translator_can_fix(
    tickets_source: DocumentsSource,
) -> None:
    with pytest.raises(QueryFailed, match="NOT_A_FUNCTION") as info:
        tickets_source.execute("SELECT NOT_A_FUNCTION(c.id) FROM c", max_items=10)
    assert info.value.sql == "SELECT NOT_A_FUNCTION(c.id) FROM c"


def test_parameters_are_bound(tickets_source: DocumentsSource) -> None:
    result = tickets_source.execute(
        "SELECT VALUE c.id FROM c WHERE c.priority = @p", parameters={"p": "high"}, max_items=10
    )
    assert result.documents == ["t1", "t4"]


# Each document's three JOINs over 30 elements make 27,000 rows: 1,000 documents are far
# more work than the 0.2 s allowed, whatever the machine.
EXPLOSIVE = [{"id": str(i), "arr": list(range(30))} for i in range(1000)]
JOINS = "FROM c JOIN a IN c.arr JOIN b IN c.arr JOIN d IN c.arr"


def test_a_query_past_its_time_limit_times_out(
    tmp_path: Path, make_source: Callable[..., DocumentsSource]
) -> None:
    write_jsonl(tmp_path / "t.jsonl", EXPLOSIVE)
    source = make_source(timeout_s=0.2)
    with pytest.raises(QueryTimeout, match=r"0\.2 s limit of source 'support'"):
        source.execute(f"SELECT VALUE COUNT(1) {JOINS}", max_items=10)


def test_a_count_that_runs_out_of_time_is_unknown_not_an_error(
    tmp_path: Path, make_source: Callable[..., DocumentsSource]
) -> None:
    write_jsonl(tmp_path / "t.jsonl", EXPLOSIVE)
    source = make_source(timeout_s=0.5)
    source.documents()
    guarded = check_cosmos_query(f"SELECT c.id {JOINS}", container="support", max_items=10)
    result = source.execute(
        guarded.query, max_items=10, count_query=guarded.count_query, parameters=None
    )
    assert result.truncated
    assert len(result.documents) == 10
    assert result.count is None


def test_the_schema_is_inferred_once_and_again_when_documents_change(
    tmp_path: Path, make_source: Callable[..., DocumentsSource]
) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "n": 1}])
    source = make_source()
    first = source.schema()
    assert source.schema() is first
    assert source.schema(refresh=True) is not first
    write_jsonl(path, [{"id": "a", "n": 1, "added": True}])
    touch_later(path)
    columns = [c.name for c in source.schema().tables[0].columns]
    assert columns == ["id", "n", "added"]
