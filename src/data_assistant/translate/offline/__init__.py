"""The offline translator: everyday questions to SQL with no model, no network, no key.

    question ─ tagger (text, lexicon, schema_index, values, dates)
             ─ shape (what each marker governs)
             ─ reader + resolve (choose tables and columns)  ->  Intent
             ─ sql_builder (sqlglot tree, rendered per dialect) + explain
               or cosmos_builder (a Cosmos DB NoSQL query) for document containers, read
               through containers (nested objects and arrays seen as related tables)

It answers only what it can read with confidence and raises `Refusal` otherwise.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlglot.dialects.dialect import Dialect

from data_assistant.cosmosql import to_text
from data_assistant.errors import Refusal, TranslationError
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.base import Translation, TranslationRequest
from data_assistant.translate.offline.containers import ContainerModel, container_model
from data_assistant.translate.offline.cosmos_builder import (
    CosmosBuilder,
    check_order,
    explain_cosmos,
)
from data_assistant.translate.offline.explain import explain
from data_assistant.translate.offline.intent import (
    ColumnRef,
    DateRange,
    Filter,
    GroupKey,
    Intent,
    Measure,
    Order,
    Related,
)
from data_assistant.translate.offline.reader import Reader
from data_assistant.translate.offline.schema_index import SchemaIndex
from data_assistant.translate.offline.sql_builder import SqlBuilder
from data_assistant.translate.offline.suggest import suggest_questions

__all__ = [
    "ColumnRef",
    "DateRange",
    "Filter",
    "GroupKey",
    "Intent",
    "Measure",
    "OfflineTranslator",
    "Order",
    "Related",
]


class OfflineTranslator:
    """A deterministic translator for everyday questions on any schema.

    `today` fixes the date that relative periods ("last 30 days") count back from: a date,
    a function returning one, or None for the system date.
    """

    name = "offline"
    # Deterministic: asking again with the error would give the same query.
    self_corrects = False
    # Rules, not a model: no wording of a question makes it write a query of the asker's
    # choosing, so its translations may be shared between users.
    steerable = False
    suggest = suggest_questions  # answerable questions close to a refused one (suggest.py)

    def __init__(self, *, today: date | Callable[[], date] | None = None, cache_size: int = 16):
        self._today = today
        self._cache: OrderedDict[int, tuple[SchemaSnapshot, Reader | ContainerModel]] = (
            OrderedDict()
        )
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def today(self) -> date:
        """The reference date for relative periods."""
        if self._today is None:
            return date.today()
        return self._today() if callable(self._today) else self._today

    def reader(self, schema: SchemaSnapshot) -> Reader:
        """The reader for a snapshot, built on first use and cached by snapshot identity."""
        if schema.dialect == "cosmos":
            return self.container(schema).reader
        reader = self._cached(schema, lambda: Reader(SchemaIndex(schema)))
        assert isinstance(reader, Reader)
        return reader

    def container(self, schema: SchemaSnapshot) -> ContainerModel:
        """The relational model of a container schema, cached like a reader."""
        model = self._cached(schema, lambda: container_model(schema))
        assert isinstance(model, ContainerModel)
        return model

    def _cached(
        self, schema: SchemaSnapshot, make: Callable[[], Reader | ContainerModel]
    ) -> Reader | ContainerModel:
        key = id(schema)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] is schema:
                self._cache.move_to_end(key)
                return hit[1]
        value = make()
        with self._lock:
            self._cache[key] = (schema, value)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def read(self, question: str, schema: SchemaSnapshot) -> Intent:
        """The parsed intent of a question, for builders of other query languages."""
        return self.reader(schema).read(question, self.today())

    def translate(self, request: TranslationRequest) -> Translation:
        """Question -> SQL in `request.dialect` (or a Cosmos DB query for "cosmos"), or
        `Refusal` when not read with confidence."""
        if request.attempts:
            raise Refusal(
                "I could not write a query the database accepts for this question; "
                "configure an LLM translator for questions like this."
            )
        if request.dialect == "cosmos":
            return self._translate_cosmos(request)
        try:
            Dialect.get_or_raise(request.dialect)
        except ValueError as exc:
            raise TranslationError(f"Unknown SQL dialect '{request.dialect}'.") from exc
        reader = self.reader(request.schema)
        today, reference = self.reference_date(request.schema)
        intent = reader.read(request.question, today)
        builder = SqlBuilder(reader.index, request.dialect)
        if intent.kind == "rows" and not intent.select and not intent.wide:
            intent.select = builder.shown(intent.subject)  # named in the explanation too
        sql = builder.build(intent)
        explanation = "; ".join([explain(intent, today, reference), *builder.notes])
        return Translation(query=sql, explanation=explanation)

    def _translate_cosmos(self, request: TranslationRequest) -> Translation:
        model = self.container(request.schema)
        today, reference = self.reference_date(request.schema)
        intent = model.reader.read(request.question, today)
        check_order(model.reader, request.question, today, intent)
        builder = CosmosBuilder(model)
        intent = builder.normalize(intent)
        query = to_text(builder.query(intent))
        return Translation(query=query, explanation=explain_cosmos(model, intent, today, reference))

    def reference_date(self, schema: SchemaSnapshot) -> tuple[date, str]:
        """The date relative periods count back from, and how to name it.

        A fixed `today` wins; otherwise the latest date in the data when the data stops
        before today (a snapshot, the demo), else today.
        """
        today = self.today()
        if self._today is None and schema.latest_date:
            latest = date.fromisoformat(schema.latest_date)
            if latest < today:
                return latest, "the latest date in the data"
        return today, "today"
