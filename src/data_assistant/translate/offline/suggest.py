"""Questions to suggest when a question is refused: answerable ones, close to the one asked.

Candidates are written from the schema the translator reads (tables, label, category and
number columns, sample values), ranked by the words they share with the refused question,
then tried through the same translator: only those it answers are suggested. What a
candidate gave is kept per schema snapshot, and at most MAX_TRIES new candidates are
translated per refusal (within a time budget), so a refusal stays fast.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from data_assistant.errors import DataAssistantError
from data_assistant.knowledge.text import norm_word, normalise, similarity_ranking
from data_assistant.translate.base import TranslationRequest
from data_assistant.translate.offline.schema_index import ColumnInfo, SchemaIndex, TableInfo
from data_assistant.translate.offline.text import plural, split_identifier

if TYPE_CHECKING:
    from data_assistant.translate.offline import OfflineTranslator

# How many suggestions a refusal carries; how many untried candidates it may translate, and
# for how long (a schema of hundreds of tables makes each try slower).
MAX_SUGGESTIONS = 3
MAX_TRIES = 16
TRY_BUDGET_S = 0.03
# Candidates sharing words with the question that are ranked by their whole wording too.
MAX_RANKED = 40
# Bounds on what is written per table, so a schema of hundreds of tables stays cheap.
PER_TABLE = 14
MAX_CANDIDATES = 3000
_CACHE_SIZE = 16


@dataclasses.dataclass
class _Pool:
    """The candidates of one schema, in fallback order, and what each translated to."""

    candidates: list[str]
    # schema word (table and column words, values) -> the candidates using it, by index
    by_word: dict[str, list[int]]
    # candidate -> its query, or None when the translator refused it
    tried: dict[str, str | None] = dataclasses.field(default_factory=dict)


_pools: OrderedDict[tuple[int, int, str], tuple[object, object, _Pool]] = OrderedDict()
_lock = threading.Lock()


def suggest_questions(
    translator: OfflineTranslator, request: TranslationRequest, limit: int = MAX_SUGGESTIONS
) -> list[str]:
    """Up to `limit` questions the translator answers on `request.schema`, the closest to
    `request.question` first."""
    pool = _pool(translator, request)
    suggestions: list[str] = []
    queries: set[str] = set()
    tries = 0
    deadline = time.perf_counter() + TRY_BUDGET_S
    for candidate in _ranked(request.question, pool):
        if candidate not in pool.tried:
            if tries >= MAX_TRIES or time.perf_counter() > deadline:
                continue
            tries += 1
            pool.tried[candidate] = _query(translator, request, candidate)
        # Tries of concurrent refusals may land here together: each writes its own key.
        query = pool.tried[candidate]
        # Two phrasings of one query are one suggestion.
        if query is None or query in queries:
            continue
        queries.add(query)
        suggestions.append(candidate)
        if len(suggestions) >= limit:
            break
    return suggestions


def _query(translator: OfflineTranslator, request: TranslationRequest, question: str) -> str | None:
    try:
        asked = dataclasses.replace(request, question=question, attempts=(), examples=())
        return translator.translate(asked).query
    except DataAssistantError:
        return None


def _ranked(question: str, pool: _Pool) -> Iterator[str]:
    """Candidates by the schema words they share with the question (the closest few also
    by likeness of the whole wording, TF-IDF), then the others in the pool's order."""
    candidates = pool.candidates
    shared: dict[int, int] = {}
    for word in set(normalise(question)):
        for index in pool.by_word.get(word, ()):
            shared[index] = shared.get(index, 0) + 1
    closest = sorted(shared, key=lambda i: (-shared[i], i))[:MAX_RANKED]
    similar = similarity_ranking(question, [candidates[i] for i in closest], limit=len(closest))
    likeness = {closest[k]: rank for rank, (k, _) in enumerate(similar)}
    closest.sort(key=lambda i: (-shared[i], likeness.get(i, len(closest)), i))
    yield from (candidates[i] for i in closest)
    yield from (c for i, c in enumerate(candidates) if i not in shared)


def _pool(translator: OfflineTranslator, request: TranslationRequest) -> _Pool:
    """The candidate pool of a schema, written once per snapshot and translator."""
    schema = request.schema
    key = (id(translator), id(schema), request.dialect)
    with _lock:
        hit = _pools.get(key)
        if hit is not None and hit[0] is translator and hit[1] is schema:
            _pools.move_to_end(key)
            return hit[2]
    written = candidates(translator.reader(schema).index)
    by_word: dict[str, list[int]] = {}
    for index, (_, words) in enumerate(written):
        for word in words:
            by_word.setdefault(word, []).append(index)
    pool = _Pool([text for text, _ in written], by_word)
    with _lock:
        _pools[key] = (translator, schema, pool)
        while len(_pools) > _CACHE_SIZE:
            _pools.popitem(last=False)
    return pool


def candidates(index: SchemaIndex) -> list[tuple[str, frozenset[str]]]:
    """Questions written from the schema with the schema words each uses, round-robin over
    tables so that the fallback order (no word shared) starts with each table's count."""
    per_table = [list(_table_candidates(info))[:PER_TABLE] for info in index.tables.values()]
    ordered: list[tuple[str, frozenset[str]]] = []
    seen: set[str] = set()
    for rank in range(PER_TABLE):
        for questions in per_table:
            if rank < len(questions) and questions[rank][0] not in seen:
                seen.add(questions[rank][0])
                ordered.append(questions[rank])
                if len(ordered) >= MAX_CANDIDATES:
                    return ordered
    return ordered


def _table_candidates(info: TableInfo) -> Iterator[tuple[str, frozenset[str]]]:
    for text, words in _table_questions(info):
        yield text, frozenset(norm_word(w) for part in words for w in part.split())


def _table_questions(info: TableInfo) -> Iterator[tuple[str, tuple[str, ...]]]:
    if info.is_view or not info.words:
        return
    many = _plural(info.words)
    columns = [c for c in info.columns.values() if c.words]
    categories = [c for c in columns if _is_category(c) and c.column.name not in info.label]
    numbers = [c for c in columns if c.kind == "number"]
    labels = [info.columns[name] for name in info.label if name in info.columns]
    table = info.words
    yield f"How many {many} are there?", table
    for label in labels[:1]:
        yield f"List the {_plural(label.words)} of all {many}", (*table, *label.words)
    for category in categories[:2]:
        yield f"How many {many} per {_name(category)}?", (*table, *category.words)
    for category in categories[:2]:
        for value in [v for v in category.column.samples if _is_short(v)][:2]:
            words = (*table, *category.words, value)
            yield f"{many} where {_name(category)} is {value}", words
    if info.default_date is not None:
        date_words = info.columns[info.default_date].words
        yield f"How many {many} per year?", (*table, *date_words, "year")
    for number in numbers[:2]:
        yield f"What is the average {_name(number)} of {many}?", (*table, *number.words)
    for number in numbers[:1]:
        for category in categories[:1]:
            words = (*table, *number.words, *category.words)
            yield f"Total {_name(number)} per {_name(category)}", words
        yield f"Top 5 {many} by {_name(number)}", (*table, *number.words)


def _is_category(column: ColumnInfo) -> bool:
    """A text column of a few short values (status, country), not free text."""
    samples = column.column.samples
    return (
        column.kind == "text"
        and 2 <= len(samples) <= 20
        and not set(column.words) & _FREE_TEXT
        and sum(map(_is_short, samples)) >= 2
    )


def _is_short(value: str) -> bool:
    return len(value) <= 30 and len(value.split()) <= 3


_FREE_TEXT = {"description", "comment", "note", "text", "body", "summary", "detail"}


def _name(column: ColumnInfo) -> str:
    """The column's words as its name has them (`prepMinutes` -> "prep minutes")."""
    return " ".join(split_identifier(column.column.name)) or " ".join(column.words)


def _plural(words: tuple[str, ...]) -> str:
    """`("order", "item")` -> "order items"."""
    return " ".join((*words[:-1], plural(words[-1])))
