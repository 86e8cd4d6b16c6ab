"""The schema of a container, inferred from a sample of its documents."""

from __future__ import annotations

from data_assistant.schema.documents import infer_container_schema, json_type
from data_assistant.schema.model import Column
from tests.documents.conftest import TICKETS


def columns(docs: list, **options) -> dict[str, Column]:
    snapshot = infer_container_schema(docs, source="support", container="tickets", **options)
    assert snapshot.dialect == "cosmos"
    assert [t.name for t in snapshot.tables] == ["tickets"]
    return {c.name: c for c in snapshot.tables[0].columns}


def test_paths_name_nested_properties_and_array_elements() -> None:
    assert list(columns(TICKETS)) == [
        "id", "status", "priority", "customer", "customer.country", "tags", "tags[]",
        "items", "items[]", "items[].sku", "items[].qty", "satisfaction",
    ]  # fmt: skip


def test_each_path_has_its_json_types() -> None:
    found = columns(TICKETS)
    kinds = {name: c.type for name, c in found.items()}
    assert kinds["customer"] == "object"
    assert kinds["tags"] == "array"
    assert kinds["tags[]"] == "string"
    assert kinds["items[].qty"] == "number"
    assert kinds["satisfaction"] == "number"  # null is noted, not a type, when others exist


def test_mixed_types_are_listed_most_common_first() -> None:
    docs = [{"id": "1", "v": 1}, {"id": "2", "v": "x"}, {"id": "3", "v": 2}, {"id": "4", "v": None}]
    assert columns(docs)["v"].type == "number | string"
    assert columns([{"id": "1", "v": None}])["v"].type == "null"
    assert [json_type(v) for v in (True, 1.5, [], {}, None)] == [
        "boolean", "number", "array", "object", "null"
    ]  # fmt: skip


def test_presence_says_how_often_a_property_is_there() -> None:
    found = columns(TICKETS)
    assert found["id"].comment == "present in 100% of documents"
    assert not found["id"].nullable
    assert found["id"].primary_key
    satisfaction = found["satisfaction"]
    assert satisfaction.comment == "present in 75% of documents; sometimes null"
    assert satisfaction.nullable
    assert found["items[].sku"].comment == "present in 75% of documents, in some element"


def test_presence_reads_100_only_when_always_there() -> None:
    docs = [{"id": str(i), "x": 1} for i in range(999)] + [{"id": "last"}]
    assert columns(docs)["x"].comment == "present in >99% of documents"
    docs = [{"id": str(i)} for i in range(999)] + [{"id": "last", "y": 1}]
    assert columns(docs)["y"].comment == "present in <1% of documents"


def test_values_that_repeat_are_kept_as_samples_most_common_first() -> None:
    found = columns(TICKETS)
    assert found["status"].samples == ("open", "closed", "pending")
    assert found["tags[]"].samples == ("vip", "billing", "delivery")
    assert found["id"].samples == ()  # every value differs


def test_more_than_twenty_distinct_values_give_no_samples() -> None:
    docs = [{"id": str(i), "city": f"city{i % 21}"} for i in range(100)]
    assert columns(docs)["city"].samples == ()
    docs = [{"id": str(i), "city": f"city{i % 20}"} for i in range(100)]
    assert len(columns(docs)["city"].samples) == 20


def test_long_text_gives_no_samples() -> None:
    docs = [{"id": str(i), "text": "x" * 61} for i in range(10)]
    assert columns(docs)["text"].samples == ()


def test_only_the_first_documents_are_sampled() -> None:
    docs = [{"id": "1", "a": 1}, {"id": "2", "a": 2}, {"id": "3", "late": True}]
    snapshot = infer_container_schema(
        docs, source="s", container="c", sample_size=2, total=3, partition_key="/a"
    )
    table = snapshot.tables[0]
    assert [c.name for c in table.columns] == ["id", "a"]
    assert table.comment == "schema inferred from 2 of 3 documents; partition key /a"
    assert table.kind == "container"


def test_a_document_with_endless_keys_cannot_flood_the_schema() -> None:
    docs = [{"id": "1", "daily": {f"2024-01-{i:03d}": i for i in range(1000)}}]
    assert len(columns(docs)) == 300


def test_the_snapshot_reads_like_a_sql_schema() -> None:
    snapshot = infer_container_schema(TICKETS, source="support", container="tickets")
    table = snapshot.table("TICKETS")
    assert table is not None
    assert table.column("Customer.Country") is not None
    assert snapshot.table_names() == {"tickets"}
