"""Settings of the document sources: strict, with defaults, and checked when read."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from data_assistant.settings import (
    CosmosSourceSettings,
    DocumentsSourceSettings,
)

Either = TypeAdapter(DocumentsSourceSettings | CosmosSourceSettings)


def test_documents_settings_have_their_defaults() -> None:
    settings = DocumentsSourceSettings(kind="documents", path="data/tickets")
    assert (settings.max_items, settings.timeout_s, settings.sample_size) == (100, 15.0, 1000)
    assert settings.container_name == "tickets"
    assert settings.max_rows == 100
    assert DocumentsSourceSettings(path="x/orders.jsonl").container_name == "orders"


def test_cosmos_settings_have_their_defaults() -> None:
    settings = CosmosSourceSettings(
        kind="cosmos", endpoint="https://acct.documents.azure.com", database="db", container="c"
    )
    assert settings.key is None
    assert (settings.page_size, settings.max_pages, settings.max_request_units) == (100, 10, 1000)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "documents", "path": "x", "colour": "red"}, "Extra inputs are not permitted"),
        ({"kind": "documents", "path": "x", "max_items": 0}, "greater than or equal to 1"),
        ({"kind": "documents", "path": "x", "partition_key": "tenant"}, "as a path such as"),
        ({"kind": "cosmos", "endpoint": "https://a", "database": "d"}, "container"),
    ],
)
def test_wrong_settings_say_what_is_wrong(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Either.validate_python(data)


def test_the_kind_tells_the_two_apart() -> None:
    local = Either.validate_python({"kind": "documents", "path": "data/tickets"})
    remote = Either.validate_python(
        {"kind": "cosmos", "endpoint": "https://a", "database": "d", "container": "c"}
    )
    assert isinstance(local, DocumentsSourceSettings)
    assert isinstance(remote, CosmosSourceSettings)


def test_a_row_filter_that_cannot_be_used_stops_the_start_naming_the_key_and_file(
    tmp_path,
) -> None:
    from data_assistant.errors import ConfigError
    from data_assistant.settings import load_settings
    from data_assistant.sources import SourceRegistry

    config = tmp_path / "data-assistant.yaml"
    config.write_text(
        "sources:\n  tickets:\n    kind: documents\n    path: x\n    row_filter: c.t = @tid\n"
    )
    settings = load_settings(config, environ={})
    with pytest.raises(ConfigError) as caught:
        SourceRegistry(settings)
    assert str(config) in caught.value.reason
    assert "sources.tickets.row_filter" in caught.value.reason
    assert "@claims.<name>" in caught.value.reason
