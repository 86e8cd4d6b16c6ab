"""The translator interface: a question and schema context in, one query out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from data_assistant.schema.model import SchemaSnapshot


@dataclass(frozen=True)
class Attempt:
    """One earlier try: the query produced and why it failed (guard or database)."""

    query: str
    error: str


@dataclass(frozen=True)
class Example:
    """A verified question and its query, shown to a model as a pattern to follow."""

    question: str
    query: str


@dataclass(frozen=True)
class TranslationRequest:
    """Everything a translator may use to write the query."""

    question: str
    source_name: str
    # The language to write in: a sqlglot dialect name ("sqlite", "postgres", "mysql",
    # "tsql", "duckdb") or "cosmos" for document containers.
    dialect: str
    schema: SchemaSnapshot
    description: str | None = None
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    # Golden queries of similar questions, the most similar first (knowledge/).
    examples: tuple[Example, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Translation:
    """The query and a one-line explanation of how the question was read."""

    query: str
    explanation: str | None = None
    # The query is a golden query (verified by people), its values perhaps rebound.
    verified: bool = False
    # Reused from the translation cache; `translated_at` is when it was first written
    # (seconds since the epoch).
    cached: bool = False
    translated_at: float | None = None


@runtime_checkable
class Translator(Protocol):
    """Turns a question into a query; raises `Refusal` or `TranslationError` subclasses.

    One may also offer `suggest(request) -> list[str]`: questions it answers on the same
    schema, close to one it refused (the pipeline puts them in the `Refusal`)."""

    name: str

    def translate(self, request: TranslationRequest) -> Translation: ...
