"""The Source protocol: what every source does for the pipeline, whatever its query language.

A source owns its language: it says which one it speaks, prepares a query in it (guard and
policies, for one principal, under a row cap) and runs what it prepared. The pipeline
never asks what kind a source is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from data_assistant.answers import Result
from data_assistant.auth.principal import Principal
from data_assistant.schema.model import SchemaSnapshot


@dataclass(frozen=True)
class Language:
    """A query language a source speaks, as the surfaces name it."""

    name: str
    # The HTTP operation that asks sources of this language.
    operation: str
    # What a source of this language is, for messages ("a SQL database").
    described_as: str


SQL = Language("sql", "querySqlDatabase", "a SQL database")
COSMOS = Language("cosmos", "queryCosmosDb", "a document container")
LANGUAGES = {language.name: language for language in (SQL, COSMOS)}


class Prepared(Protocol):
    """A query checked and rewritten for one principal, ready to run."""

    @property
    def text(self) -> str:
        """The query as it will run and be shown."""
        ...


@runtime_checkable
class Source(Protocol):
    """A named database or container that questions are asked of."""

    name: str
    # The configuration's `kind` (sql, documents, cosmos).
    kind: str
    language: Language
    # What the translator writes: a sqlglot dialect name, or "cosmos".
    dialect: str

    @property
    def description(self) -> str | None: ...

    @property
    def max_rows(self) -> int:
        """The most rows (or items) one answer may hold."""
        ...

    @property
    def required_scopes(self) -> Sequence[str]:
        """Scopes a principal needs for this source, besides the query scope."""
        ...

    @property
    def problems(self) -> list[str]:
        """What is wrong with the source's data but does not stop it (skipped documents)."""
        ...

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        """The cached schema; introspected again on refresh."""
        ...

    def visible_schema(self, principal: Principal) -> SchemaSnapshot:
        """The schema `principal`'s translator may see: what the policies hide left out."""
        ...

    def prepare(self, query: str, limit: int, principal: Principal) -> Prepared:
        """Guard `query` and apply the policies for `principal`, capped at `limit` rows;
        raises GuardRejection, Forbidden or QueryFailed."""
        ...

    def run(self, prepared: Prepared) -> Result:
        """Run a prepared query read-only within the source's limits."""
        ...

    def ping(self) -> None:
        """Raise SourceUnavailable unless the source answers."""
        ...

    def close(self) -> None: ...
