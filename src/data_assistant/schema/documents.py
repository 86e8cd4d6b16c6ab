"""The schema of a document container, inferred from a sample of its documents.

Documents have no declared schema, so the first `sample_size` documents (a deterministic
sample) are walked: every property path (`customer.country`, `tags[]`, `items[].sku`), the
JSON types seen there, the share of documents holding it, and up to 20 values of text
properties that repeat. The result is a `SchemaSnapshot` with one table per container and
one column per path, so translators and schema linking read it like a SQL schema.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from data_assistant.schema.model import Column, SchemaSnapshot, Table

MAX_SAMPLES = 20
MAX_SAMPLE_LENGTH = 60
# A runaway document (a map keyed by dates, say) must not flood the prompt.
MAX_PATHS = 300
MAX_DEPTH = 8
# Order in which several types of one path are listed, when equally common.
_TYPE_ORDER = ("string", "number", "boolean", "object", "array", "null")


@dataclass
class _Path:
    """What was seen at one property path."""

    documents: int = 0  # documents in which the path occurs at least once
    last_document: int = -1
    types: Counter[str] = field(default_factory=Counter)
    # Distinct short strings with their counts; None once there are too many.
    values: Counter[str] | None = field(default_factory=Counter)
    strings: int = 0
    dates: int = 0  # strings that start with an ISO date


# The note on a string property whose every value is an ISO date (`published`).
ISO_DATES = "ISO dates"


def json_type(value: Any) -> str:
    """The JSON type name of a value as `json.loads` returns it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def infer_container_schema(
    documents: Iterable[Any],
    *,
    source: str,
    container: str,
    sample_size: int = 1000,
    total: int | None = None,
    partition_key: str | None = None,
) -> SchemaSnapshot:
    """A snapshot with one table, `container`, whose columns are the sampled paths."""
    paths: dict[str, _Path] = {}
    sampled = 0
    for doc in documents:
        if sampled >= sample_size:
            break
        for path, value in _walk(doc, "", 0):
            entry = paths.get(path)
            if entry is None:
                if len(paths) >= MAX_PATHS:
                    continue
                entry = paths[path] = _Path()
            if entry.last_document != sampled:
                entry.last_document = sampled
                entry.documents += 1
            _observe(entry, value)
        sampled += 1
    columns = tuple(_column(path, entry, sampled) for path, entry in paths.items())
    return SchemaSnapshot(
        source=source,
        dialect="cosmos",
        tables=(
            Table(
                name=container,
                columns=columns,
                kind="container",
                comment=_table_comment(sampled, total, partition_key),
            ),
        ),
    )


def _walk(value: Any, prefix: str, depth: int) -> Iterator[tuple[str, Any]]:
    """(path, value) for every property below a document, array elements as `name[]`."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, child
            if isinstance(child, dict | list):
                yield from _walk(child, path, depth + 1)
    elif isinstance(value, list):
        path = prefix + "[]"
        for item in value:
            yield path, item
            if isinstance(item, dict | list):
                yield from _walk(item, path, depth + 1)


def _observe(entry: _Path, value: Any) -> None:
    kind = json_type(value)
    entry.types[kind] += 1
    if kind != "string":
        return
    entry.strings += 1
    if _ISO_DATE.match(value):
        entry.dates += 1
    values = entry.values
    if values is None:
        return
    if len(value) > MAX_SAMPLE_LENGTH or (value not in values and len(values) >= MAX_SAMPLES):
        entry.values = None
    else:
        values[value] += 1


def _column(path: str, entry: _Path, sampled: int) -> Column:
    kinds = sorted(entry.types, key=lambda k: (-entry.types[k], _TYPE_ORDER.index(k)))
    shown = [k for k in kinds if k != "null"] or ["null"]
    # An element path (`items[].sku`) counts the documents holding it in any element.
    where = "of documents" if "[]" not in path else "of documents, in some element"
    notes = [f"present in {_percent(entry.documents, sampled)} {where}"]
    if "null" in entry.types and shown != ["null"]:
        notes.append("sometimes null")
    if entry.strings and entry.dates == entry.strings:
        notes.append(ISO_DATES)
    return Column(
        name=path,
        type=" | ".join(shown),
        nullable="null" in entry.types or entry.documents < sampled,
        primary_key=path == "id",
        comment="; ".join(notes),
        samples=_samples(entry),
    )


def _percent(part: int, whole: int) -> str:
    """A share that reads 100% only when it is all, and 0% only when it is none."""
    if not whole:
        return "0%"
    share = 100 * part / whole
    if 0 < share < 1:
        return "<1%"
    if 99 < share < 100:
        return ">99%"
    return f"{round(share)}%"


def _samples(entry: _Path) -> tuple[str, ...]:
    """Values of a text path that repeat: at most 20 distinct, most common first."""
    values = entry.values
    if not values or len(values) == entry.strings:
        # Values that never repeat (ids, names) tell the model nothing about what to match.
        return ()
    return tuple(v for v, _ in sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))


def _table_comment(sampled: int, total: int | None, partition_key: str | None) -> str:
    of = f" of {total}" if total is not None else ""
    parts = [f"schema inferred from {sampled}{of} documents"]
    if partition_key:
        parts.append(f"partition key {partition_key}")
    return "; ".join(parts)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def latest_date(documents: Iterable[Any]) -> str | None:
    """The latest ISO date held in a top-level string property, capped at today.

    Relative periods ("last 7 days") count back from it when the data stops before today,
    as they do for SQL sources.
    """
    today = datetime.date.today().isoformat()
    latest: str | None = None
    for doc in documents:
        if not isinstance(doc, dict):
            continue
        for value in doc.values():
            if isinstance(value, str) and _ISO_DATE.match(value):
                day = value[:10]
                if (latest is None or day > latest) and day <= today:
                    latest = day
    if latest is None:
        return None
    try:
        return datetime.date.fromisoformat(latest).isoformat()
    except ValueError:
        return None
