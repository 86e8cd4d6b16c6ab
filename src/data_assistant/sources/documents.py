"""A local document container, queried in memory with the Cosmos DB query language.

A container is a folder of `.json` / `.jsonl` / `.ndjson` files (a `.json` file holds one
document or an array of them), one such file, or a SQLite file with a table
`documents(id TEXT PRIMARY KEY, body TEXT)`. Documents are loaded once and kept; each use
checks every file's size and mtime and re-reads only the files that changed.

A bad document never stops the load and is never dropped quietly: it is skipped, logged
as a warning, and listed in `problems` as "file:line: reason" (for SQLite, the row number).
An `id` must be a non-empty string, unique within its partition key value. A document
without one gets a generated id, as the azure-cosmos SDK and Microsoft's migration tool
give one on import (they draw a random GUID); here it is a UUID derived from the file's
name and the document's position in it, so the same document keeps its id across reloads.
Documents nested more than MAX_DOCUMENT_DEPTH levels are skipped, as Cosmos DB refuses them.

Queries run with the compiled evaluator of `cosmosql` over the documents in memory, under
a time budget (`cosmosql.budget`) spent per row and per value walked: a query that runs
out of time stops there, with QueryTimeout, rather than running on in a thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from data_assistant.cosmosql import UNDEFINED, CosmosQueryError, ast, compile_query, parse
from data_assistant.cosmosql.budget import Budget, spend
from data_assistant.cosmosql.errors import CosmosTimeout
from data_assistant.cosmosql.limits import MAX_DOCUMENT_DEPTH
from data_assistant.cosmosql.values import canonical, depth_exceeds
from data_assistant.errors import QueryFailed, QueryTimeout, SourceUnavailable
from data_assistant.schema.documents import infer_container_schema, latest_date
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.serialize import json_value
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.containers import ContainerSource, DocumentBatch

log = logging.getLogger(__name__)

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
MAX_PROBLEMS_PER_FILE = 100
# Generated ids are uuid5(this, "file name:position"): fixed, so ids survive reloads.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "data-assistant:local-container-document")
# Lines decoded in one json.loads call: one call shares its key strings across documents,
# which saves about a third of the memory of decoding line by line.
_CHUNK = 1000


@dataclass
class _File:
    """The documents read from one file, and what was wrong in it."""

    path: Path
    signature: tuple[int, ...]
    documents: list[dict[str, Any]]
    # Line of each document (row number for SQLite); None for a JSON array without bad
    # elements, whose lines cost a second parse and are found only when asked for.
    lines: list[int] | None
    problems: list[str] = field(default_factory=list)
    seen: int = 0  # values read so far, bad ones included: the next value's position
    generated: int = 0  # documents given a generated id

    def where(self, index: int) -> str:
        """Where a document is, as file:line."""
        if self.lines is None:
            try:
                self.lines = _element_lines(self.path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError):
                return f"{self.path.name}[{index}]"
        return f"{self.path.name}:{self.lines[index]}"


class DocumentsSource(ContainerSource):
    """A local container of JSON documents, queried with the Cosmos DB query language."""

    kind = "documents"
    settings: DocumentsSourceSettings

    def __init__(self, name: str, settings: DocumentsSourceSettings) -> None:
        super().__init__(name, settings)
        self.container = settings.container_name
        self.path = Path(settings.path).expanduser()
        self._files: dict[Path, _File] = {}
        self._documents: list[dict[str, Any]] = []
        self._problems: list[str] = []
        self._version = 0
        self._schema: SchemaSnapshot | None = None
        self._schema_version = -1
        self._lock = threading.RLock()

    @property
    def description(self) -> str | None:
        return self.settings.description

    @property
    def problems(self) -> list[str]:
        """Every document skipped, as "file:line: reason", after checking the files
        (a container that cannot be read at all is `ping()`'s to report)."""
        with contextlib.suppress(SourceUnavailable):
            self.documents()
        return list(self._problems)

    def documents(self) -> list[dict[str, Any]]:
        """The container's documents, re-reading the files that changed since last time."""
        with self._lock:
            self._sync()
            return self._documents

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        """The inferred schema, cached until refresh or until the documents change."""
        with self._lock:
            if refresh:
                self._files.clear()
            documents = self.documents()
            if self._schema is None or refresh or self._schema_version != self._version:
                inferred = infer_container_schema(
                    documents,
                    source=self.name,
                    container=self.container,
                    sample_size=self.settings.sample_size,
                    total=len(documents),
                    partition_key=self.settings.partition_key,
                )
                # All documents are at hand here: the latest date is exact, not sampled.
                self._schema = dataclasses.replace(inferred, latest_date=latest_date(documents))
                self._schema_version = self._version
            return self._schema

    def execute(
        self,
        query: str,
        *,
        parameters: Mapping[str, Any] | None = None,
        max_items: int,
        count_query: str | None = None,
    ) -> DocumentBatch:
        """Run a guarded query within the source's time limit; keep at most `max_items`.

        `count_query` (the guard's COUNT over the uncapped query) runs only when results
        were cut, in the time left; it gives `count`, or None when it does not finish.
        """
        documents = self.documents()
        budget = Budget(self.settings.timeout_s)
        with budget.active():
            results = self._run(query, parameters, documents)
            truncated = len(results) > max_items
            count: int | None = len(results)
            if truncated:
                count = self._count(count_query, parameters, documents, budget)
            try:
                kept = [_json_safe(value) for value in results[:max_items]]
            except CosmosTimeout:
                raise self._timeout() from None
            except RecursionError:
                raise QueryFailed("A result is nested too deeply to return.", sql=query) from None
        return DocumentBatch(documents=kept, truncated=truncated, count=count)

    def ping(self) -> None:
        """Raise SourceUnavailable unless the container's files can be read."""
        self.documents()

    def close(self) -> None:
        """Forget the loaded documents; the next use reads the files again."""
        with self._lock:
            self._files.clear()
            self._documents = []
            self._problems = []
            self._schema = None

    # ------------------------------------------------------------ evaluation

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(
            f"The query ran longer than the {self.settings.timeout_s:g} s limit of "
            f"source '{self.name}'."
        )

    def _run(
        self,
        query: str,
        parameters: Mapping[str, Any] | None,
        documents: Sequence[dict[str, Any]],
    ) -> list[Any]:
        try:
            # Compiling computes constant calls too: it spends from the budget as well.
            return compile_query(query, parameters).run(documents)
        except CosmosTimeout:
            raise self._timeout() from None
        except CosmosQueryError as exc:
            raise QueryFailed(exc.reason, sql=query) from exc
        except RecursionError:
            raise QueryFailed("The query is nested too deeply to run.", sql=query) from None

    def _count(
        self,
        count_query: str | None,
        parameters: Mapping[str, Any] | None,
        documents: Sequence[dict[str, Any]],
        budget: Budget,
    ) -> int | None:
        if not count_query or budget.remaining() < 0.05:
            return None
        try:
            tree = parse(count_query)
            inner = _counted(tree)
            values = compile_query(inner or tree, parameters).run(documents)
        except (CosmosTimeout, CosmosQueryError, RecursionError):
            return None  # the count is a courtesy; the results stand without it
        if inner is not None:
            return len(values)
        return values[0] if values and type(values[0]) is int else None

    # ------------------------------------------------------------ loading

    def _sync(self) -> None:
        """Re-read changed files, forget removed ones, and rebuild the list if needed."""
        wanted = self._scan()
        changed = set(self._files) - wanted.keys()
        for path in changed:
            del self._files[path]
        for path, signature in wanted.items():
            known = self._files.get(path)
            if known is not None and known.signature == signature:
                continue
            loaded = _read_file(path, signature)
            _report(self.name, loaded)
            self._files[path] = loaded
            changed.add(path)
        if changed or not self._version:
            self._merge()

    def _scan(self) -> dict[Path, tuple[int, ...]]:
        """The container's files and their signatures (mtime, size)."""
        path = self.path
        try:
            if path.is_dir():
                entries = sorted(
                    p for p in path.iterdir() if p.suffix.lower() in JSON_SUFFIXES and p.is_file()
                )
                return {p: _signature(p) for p in entries if not p.name.startswith(".")}
            if path.suffix.lower() in SQLITE_SUFFIXES:
                # A write in WAL mode changes the -wal file before the database file.
                wal = path.with_name(path.name + "-wal")
                extra = _signature(wal) if wal.exists() else ()
                return {path: _signature(path) + extra}
            return {path: _signature(path)}
        except OSError as exc:
            raise SourceUnavailable(
                f"Container '{self.container}' of source '{self.name}' cannot be read: "
                f"{exc.strerror or exc.__class__.__name__} ({path})."
            ) from exc

    def _merge(self) -> None:
        """All files' documents in file order; a repeated id (within a partition key
        value) keeps the first and reports the others."""
        pk = [p for p in (self.settings.partition_key or "").split("/") if p]
        seen: dict[Any, tuple[_File, int]] = {}
        documents: list[dict[str, Any]] = []
        problems: list[str] = []
        duplicates = 0
        for path in sorted(self._files):
            loaded = self._files[path]
            problems.extend(loaded.problems)
            for i, doc in enumerate(loaded.documents):
                key = (canonical(_get(doc, pk)), doc["id"]) if pk else doc["id"]
                first, at = seen.setdefault(key, (loaded, i))
                if first is loaded and at == i:
                    documents.append(doc)
                    continue
                duplicates += 1
                if duplicates <= MAX_PROBLEMS_PER_FILE:
                    problems.append(
                        f"{loaded.where(i)}: duplicate id {doc['id']!r} "
                        f"(first at {first.where(at)})"
                    )
        if duplicates > MAX_PROBLEMS_PER_FILE:
            problems.append(f"{duplicates - MAX_PROBLEMS_PER_FILE} more duplicate ids not listed")
        self._documents = documents
        self._problems = problems
        self._version += 1


def _counted(tree: ast.Query) -> ast.Query | None:
    """The subquery of `SELECT VALUE COUNT(1) FROM (subquery)`, else None: the evaluator
    lists its results about twice as fast as it feeds them to the COUNT aggregate."""
    value = tree.select.value
    source = tree.from_.source if tree.from_ is not None and not tree.from_.joins else None
    if (
        isinstance(value, ast.FunctionCall)
        and value.name.upper() == "COUNT"
        and value.args == [ast.Literal(1)]
        and isinstance(source, ast.AliasedSource)
        and isinstance(source.collection, ast.SubqueryCollection)
        and tree.where is None
        and not tree.group_by
        and tree.select.top is None
        and tree.offset is None
    ):
        return source.collection.query
    return None


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


def _get(doc: Any, keys: list[str]) -> Any:
    for key in keys:
        doc = doc.get(key, UNDEFINED) if isinstance(doc, dict) else UNDEFINED
    return doc


def _json_safe(value: Any) -> Any:
    """A copy without UNDEFINED (dropped, as Cosmos DB drops it) or non-finite numbers;
    a copy also keeps callers from changing the stored documents. A result can hold one
    array many times over, so copying spends from the time budget."""
    if isinstance(value, dict):
        spend(len(value) + 1)
        return {k: _json_safe(v) for k, v in value.items() if v is not UNDEFINED}
    if isinstance(value, list):
        spend(len(value) + 1)
        return [_json_safe(v) for v in value if v is not UNDEFINED]
    if isinstance(value, float) and not math.isfinite(value):
        return json_value(value)
    return value


def _report(source: str, loaded: _File) -> None:
    if loaded.generated:
        log.info(
            "source %s: gave %d document(s) without an id in %s a generated id",
            source,
            loaded.generated,
            loaded.path,
        )
    if loaded.problems:
        shown = "; ".join(loaded.problems[:3])
        more = len(loaded.problems) - 3
        log.warning(
            "source %s: skipped %d document(s) in %s: %s%s",
            source,
            len(loaded.problems),
            loaded.path,
            shown,
            f" (and {more} more)" if more > 0 else "",
        )


# ---------------------------------------------------------------- readers


def _read_file(path: Path, signature: tuple[int, ...]) -> _File:
    loaded = _File(path, signature, [], [])
    suffix = path.suffix.lower()
    try:
        if suffix in SQLITE_SUFFIXES:
            _read_sqlite(path, loaded)
        elif suffix == ".json":
            _read_json(path.read_text(encoding="utf-8-sig"), loaded)
        else:
            # Streamed line by line: the whole text is never held beside its documents.
            with path.open("rb") as lines:
                _read_json_lines(lines, loaded)
    except UnicodeDecodeError as exc:
        loaded.problems.append(f"{path.name}: not UTF-8 text ({exc.reason})")
    except OSError as exc:
        loaded.problems.append(f"{path.name}: cannot be read ({exc.strerror})")
    return loaded


def _read_json_lines(lines: Iterable[bytes] | Iterable[str], loaded: _File) -> None:
    chunk: list[tuple[int, Any]] = []
    for n, raw in enumerate(lines, start=1):
        line = cast(bytes | str, raw)
        if n == 1:
            line = (
                raw.removeprefix(b"\xef\xbb\xbf")
                if isinstance(raw, bytes)
                else str(raw).removeprefix("\ufeff")
            )
        if line.strip():
            chunk.append((n, line))
        if len(chunk) == _CHUNK:
            _decode_lines(chunk, loaded)
            chunk = []
    if chunk:
        _decode_lines(chunk, loaded)


def _decode_lines(chunk: list[tuple[int, Any]], loaded: _File) -> None:
    values = _decode_chunk([line for _, line in chunk])
    if values is None:  # some line is bad: decode one by one to find it
        values = []
        for n, line in chunk:
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as exc:
                values.append(_Bad(f"{loaded.path.name}:{n}: invalid JSON: {exc.msg}"))
            except UnicodeDecodeError as exc:
                values.append(_Bad(f"{loaded.path.name}:{n}: not UTF-8 text ({exc.reason})"))
            except (ValueError, RecursionError) as exc:  # 4,300+ digit integer, deep nesting
                values.append(_Bad(f"{loaded.path.name}:{n}: {_unreadable(exc)}"))
    for (n, _), value in zip(chunk, values, strict=True):
        _accept(loaded, value, n)


def _decode_chunk(lines: list[Any]) -> list[Any] | None:
    """Each line's value from one decode, or None unless every line is one JSON value.

    Each line is wrapped in its own brackets, so a line holding two values, or half of
    one, shows as an element that is not a one-item list (or as a decode error).
    """
    if isinstance(lines[0], bytes):
        text: Any = b"[[" + b"],[".join(lines) + b"]]"
    else:
        text = "[[" + "],[".join(lines) + "]]"
    try:
        wrapped = json.loads(text)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        return None
    if len(wrapped) != len(lines) or any(type(w) is not list or len(w) != 1 for w in wrapped):
        return None
    return [w[0] for w in wrapped]


def _read_json(text: str, loaded: _File) -> None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one document a line, in a file named .json
            _read_json_lines(text.splitlines(), loaded)
            return
        loaded.problems.append(f"{loaded.path.name}:{exc.lineno}: invalid JSON: {exc.msg}")
        return
    except (ValueError, RecursionError) as exc:
        loaded.problems.append(f"{loaded.path.name}: {_unreadable(exc)}")
        return
    if not isinstance(value, list):
        _accept(loaded, value, _first_line(text))
        return
    if not any(_reason(doc) for doc in value):
        for i, doc in enumerate(value):
            if "id" not in doc:
                doc["id"] = _generated_id(loaded, i)
        loaded.documents.extend(value)
        loaded.seen = len(value)
        loaded.lines = None  # every element is a document: lines only when asked for
        return
    lines = _element_lines(text)
    for doc, line in zip(value, lines, strict=True):
        _accept(loaded, doc, line)


def _first_line(text: str) -> int:
    return text[: len(text) - len(text.lstrip())].count("\n") + 1


def _element_lines(text: str) -> list[int]:
    """The line on which each element of a top-level JSON array starts."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = text.index("[") + 1
    line = text.count("\n", 0, pos) + 1
    last = pos
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return lines
        line += text.count("\n", last, pos)
        lines.append(line)
        last = pos
        _, pos = decoder.raw_decode(text, pos)


def _read_sqlite(path: Path, loaded: _File) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        loaded.problems.append(f"{path.name}: cannot be opened ({exc})")
        return
    try:
        rows = con.execute("SELECT id, body FROM documents ORDER BY rowid").fetchall()
    except sqlite3.Error as exc:
        loaded.problems.append(
            f"{path.name}: no readable table documents(id TEXT PRIMARY KEY, body TEXT) ({exc})"
        )
        return
    finally:
        con.close()
    for n, (row_id, body) in enumerate(rows, start=1):
        try:
            doc = json.loads(body)
        except (TypeError, json.JSONDecodeError) as exc:
            doc = _Bad(f"{path.name}:{n}: invalid JSON in the body of id {row_id!r}: {exc}")
        except (ValueError, RecursionError) as exc:
            doc = _Bad(f"{path.name}:{n}: the body of id {row_id!r}: {_unreadable(exc)}")
        # The row's key is the id; a body that says otherwise is a mistake to show.
        if isinstance(doc, dict) and doc.setdefault("id", row_id) != row_id:
            doc = _Bad(f"{path.name}:{n}: body id {doc['id']!r} differs from row id")
        _accept(loaded, doc, n)


@dataclass(frozen=True)
class _Bad:
    """A value that could not be decoded, with the problem to report."""

    problem: str


def _reason(value: Any) -> str | None:
    """Why a decoded value is not a usable document, or None."""
    if not isinstance(value, dict):
        return f"not a JSON object but {type(value).__name__}"
    if "id" in value:
        doc_id = value["id"]
        if not isinstance(doc_id, str):
            return f"id must be a string, not {json.dumps(doc_id)}"
        if not doc_id:
            return "id is empty"
    if depth_exceeds(value, MAX_DOCUMENT_DEPTH):
        return f"the document nests arrays and objects more than {MAX_DOCUMENT_DEPTH} levels deep"
    return None


def _unreadable(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "the document is nested too deeply to read"
    return f"not readable JSON ({str(exc).split(':')[0]})"


def _generated_id(loaded: _File, position: int) -> str:
    """A stable id for the document at `position` in the file: same file, same id."""
    loaded.generated += 1
    return str(uuid.uuid5(_ID_NAMESPACE, f"{loaded.path.name}:{position}"))


def _accept(loaded: _File, value: Any, line: int) -> None:
    position = loaded.seen
    loaded.seen += 1
    if isinstance(value, _Bad):
        problem: str | None = value.problem
    else:
        reason = _reason(value)
        problem = f"{loaded.path.name}:{line}: {reason}" if reason else None
    if problem is None:
        if "id" not in value:
            value["id"] = _generated_id(loaded, position)
        loaded.documents.append(value)
        assert loaded.lines is not None
        loaded.lines.append(line)
    elif len(loaded.problems) < MAX_PROBLEMS_PER_FILE:
        loaded.problems.append(problem)
    elif len(loaded.problems) == MAX_PROBLEMS_PER_FILE:
        loaded.problems.append(f"{loaded.path.name}: more problems not listed")
