"""What local containers and Azure Cosmos DB containers share: the Cosmos DB query language.

A container source prepares a query with the document guard (one SELECT over this
container, literals as @parameters, the row filter ANDed in with claims bound, capped at
`limit + 1`) and runs it with its own `execute`; subclasses only read documents.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from data_assistant.answers import DocumentsResult
from data_assistant.auth.principal import Principal
from data_assistant.errors import ConfigError, Forbidden
from data_assistant.guard.cosmos_guard import (
    DocumentPredicate,
    check_cosmos_query,
    compile_document_predicate,
)
from data_assistant.schema.documents import infer_container_schema
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.serialize import json_size
from data_assistant.settings import CosmosSourceSettings, DocumentsSourceSettings
from data_assistant.sources.source import COSMOS, Language, Prepared

# Principals' own schemas kept per container (they differ only by their claim values).
VISIBLE_SCHEMAS_KEPT = 256


@dataclass(frozen=True)
class PreparedDocumentQuery:
    """A guarded container query: its text, parameter values, cap and optional COUNT."""

    text: str
    parameters: dict[str, Any]
    limit: int
    count_query: str | None = None


@dataclass(frozen=True)
class DocumentBatch:
    """What a container's `execute` read: at most `max_items` results, and the count."""

    documents: list[Any]
    truncated: bool
    count: int | None
    notes: tuple[str, ...] = ()
    request_charge: float | None = None


class ContainerSource:
    """A document container; subclasses implement `schema`, `execute`, `ping`, `close`."""

    language: Language = COSMOS
    dialect = "cosmos"
    name: str
    kind: str
    container: str
    settings: DocumentsSourceSettings | CosmosSourceSettings

    def __init__(self, name: str, settings: DocumentsSourceSettings | CosmosSourceSettings) -> None:
        self.name = name
        self.settings = settings
        # The other configured containers, named in a rejection; set by the registry.
        self.others: Callable[[], Collection[str]] = tuple
        self._row_filter: DocumentPredicate | None = None
        # Schemas inferred from one principal's documents, by snapshot and claim values.
        self._visible: dict[tuple[int, str], SchemaSnapshot] = {}
        self._lock = threading.RLock()
        if settings.row_filter is not None:
            try:
                self._row_filter = compile_document_predicate(settings.row_filter)
            except ValueError as exc:
                raise ConfigError(f"sources.{name}.row_filter: {exc}") from None

    @property
    def description(self) -> str | None:
        return self.settings.description

    @property
    def max_rows(self) -> int:
        return self.settings.max_items

    @property
    def required_scopes(self) -> Sequence[str]:
        return ()

    @property
    def problems(self) -> list[str]:
        return []

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        raise NotImplementedError

    def visible_schema(self, principal: Principal | None = None) -> SchemaSnapshot:
        """The inferred schema. Under a row filter it is inferred from `principal`'s own
        documents only: paths, types, sample values and how often each path occurs, taken
        from every document, would tell of the ones the principal may not read."""
        snapshot = self.schema()
        if self._row_filter is None:
            return snapshot
        if principal is None:
            raise Forbidden(f"Container '{self.container}' is filtered by the caller's claims.")
        prepared = self.prepare("SELECT * FROM c", self.settings.sample_size, principal)
        # Claim values may be lists or objects: the key is their canonical JSON.
        key = (id(snapshot), json.dumps(prepared.parameters, sort_keys=True, default=str))
        with self._lock:
            cached = self._visible.get(key)
        if cached is not None:
            return cached
        documents = self.run(prepared).documents
        own = infer_container_schema(
            documents,
            source=self.name,
            container=self.container,
            sample_size=self.settings.sample_size,
        )
        with self._lock:
            if len(self._visible) >= VISIBLE_SCHEMAS_KEPT:
                self._visible.pop(next(iter(self._visible)))
            self._visible[key] = own
        return own

    def prepare(self, query: str, limit: int, principal: Principal) -> PreparedDocumentQuery:
        """Guard the query for this container and `principal`, capped at `limit` items."""
        guarded = check_cosmos_query(
            query,
            container=self.container,
            max_items=limit,
            other_containers=self.others(),
            row_filter=self._row_filter,
            claims=principal.claims,
        )
        return PreparedDocumentQuery(
            text=guarded.query,
            parameters=dict(guarded.parameters),
            limit=limit,
            count_query=guarded.count_query,
        )

    def run(self, prepared: Prepared) -> DocumentsResult:
        """Run a prepared query; at most its limit of results, with the count when cut."""
        if not isinstance(prepared, PreparedDocumentQuery):
            raise TypeError("a container runs only the queries it prepared")
        batch = self.execute(
            prepared.text,
            parameters=prepared.parameters,
            max_items=prepared.limit,
            count_query=prepared.count_query,
        )
        documents, cut = within_bytes(batch.documents, self.settings.max_answer_bytes)
        notes = tuple(batch.notes)
        if cut:
            notes += (f"Cut at {self.settings.max_answer_bytes:,} bytes (max_answer_bytes).",)
        return DocumentsResult(
            query=prepared.text,
            parameters=dict(prepared.parameters),
            documents=documents,
            count=batch.count,
            truncated=batch.truncated or cut,
            notes=notes,
        )

    def execute(
        self,
        query: str,
        *,
        parameters: Mapping[str, Any] | None = None,
        max_items: int,
        count_query: str | None = None,
    ) -> DocumentBatch:
        """Run an already guarded query; keep at most `max_items` results."""
        raise NotImplementedError

    def ping(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def within_bytes(documents: list[Any], budget: int) -> tuple[list[Any], bool]:
    """The first documents that fit in `budget` bytes of JSON, and whether any were cut."""
    size = 0
    for index, document in enumerate(documents):
        size += json_size(document)
        if size > budget:
            return documents[:index], True
    return documents, False
