"""A container's property paths regrouped as related tables, so the reader links them.

The inferred schema of a container is one table whose columns are property paths
(`customer.country`, `tags[]`, `items[].sku`). The question reader links words to tables and
columns and follows foreign keys, so the paths are regrouped into a small relational model:

    the documents         one table named after the container (queried as `c`)
    a nested object       a parent table (`customer`): one per document, a plain lookup
    an array              a child table (`items[]`, `tags[]`): many per document

A table's columns are its own properties; an array of plain values (`tags[]`) has one
column holding the element itself, named after the array (`tag`). Links are hidden columns
whose names have no words, so no question can name them. Arrays of arrays are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from data_assistant.errors import Refusal
from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table
from data_assistant.translate.offline.reader import Reader
from data_assistant.translate.offline.schema_index import SchemaIndex
from data_assistant.translate.offline.text import singular, split_identifier

_SCALARS = frozenset({"string", "number", "boolean", "null"})
# Words a container's "created" date starts with: the date a document is dated by.
_CREATION_WORDS = frozenset({"created", "creation", "create", "opened", "submitted"})


@dataclass(frozen=True)
class Node:
    """One table of the model: the documents, a nested object, or an array's elements."""

    key: str  # the path (`customer`, `items[]`), or the container name for the documents
    kind: str  # root, object, array
    parent: str | None = None
    prop: str | None = None  # the property holding it in the parent
    scalar: bool = False  # an array of plain values: the element is the value


@dataclass
class ContainerModel:
    """The relational view of one container schema, and the reader built on it."""

    container: str
    root: str
    nodes: dict[str, Node]
    # (table, column) -> property name; None for the element of an array of plain values.
    props: dict[tuple[str, str], str | None]
    types: dict[tuple[str, str], tuple[str, ...]]
    snapshot: SchemaSnapshot
    reader: Reader = field(init=False)

    def __post_init__(self) -> None:
        index = SchemaIndex(self.snapshot)
        _prefer_creation_date(index)
        self.reader = Reader(index)

    @property
    def index(self) -> SchemaIndex:
        """The schema-linking index of the model."""
        return self.reader.index

    def path(self, table: str, column: str | None = None) -> str:
        """The property path as the container schema writes it: `items[].category`."""
        node = self.nodes[table]
        base = "" if node.kind == "root" else node.key
        if column is None:
            return base or self.container
        prop = self.props[(table, column)]
        if prop is None:
            return base
        return f"{base}.{prop}" if base else prop


def container_model(schema: SchemaSnapshot) -> ContainerModel:
    """The model of a container schema (one table, kind "container", columns are paths)."""
    if len(schema.tables) != 1:
        raise Refusal(
            "I could not tell which container to query; "
            "configure an LLM translator for questions like this."
        )
    table = schema.tables[0]
    return _Builder(table).model(schema.source)


class _Builder:
    """Regroups a container's paths into tables, in two passes: tables, then columns."""

    def __init__(self, table: Table) -> None:
        self.container = table.name
        self.columns = table.columns
        self.nodes: dict[str, Node] = {table.name: Node(table.name, "root")}
        self.own: dict[str, list[Column]] = {table.name: []}
        self.props: dict[tuple[str, str], str | None] = {}
        self.types: dict[tuple[str, str], tuple[str, ...]] = {}

    def model(self, source: str) -> ContainerModel:
        for column in self.columns:
            self._table(column)
        for column in self.columns:
            self._column(column)
        # Each table gets a hidden key; each link a hidden column on the "many" side:
        # elements point at their document, a document at its nested objects.
        names = {key: _hidden_names({c.name for c in cols}) for key, cols in self.own.items()}
        keys = {key: next(gen) for key, gen in names.items()}
        links: dict[str, list[ForeignKey]] = {key: [] for key in self.nodes}
        for node in self.nodes.values():
            if node.parent is None:
                continue
            holder, target = (
                (node.key, node.parent) if node.kind == "array" else (node.parent, node.key)
            )
            links[holder].append(ForeignKey((next(names[holder]),), target, (keys[target],)))
        tables = []
        for key, columns in self.own.items():
            hidden = [Column(keys[key], "", nullable=False, primary_key=True)]
            hidden += [Column(fk.columns[0], "", nullable=False) for fk in links[key]]
            tables.append(Table(key, (*columns, *hidden), foreign_keys=tuple(links[key])))
        snapshot = SchemaSnapshot(source=source, dialect="cosmos", tables=tuple(tables))
        return ContainerModel(
            self.container, self.container, self.nodes, self.props, self.types, snapshot
        )

    def _table(self, column: Column) -> None:
        path, kind = column.name, _kind(column)
        if path.endswith("[]"):
            array = path[:-2]
            parent = self._parent(array)
            if parent is None or array.endswith("[]") or kind not in _SCALARS | {"object"}:
                return  # arrays of arrays are left out
            scalar = kind != "object"
            self._add(Node(path, "array", parent, _last(array), scalar=scalar))
            if scalar:
                words = split_identifier(_last(array))
                name = singular(words[-1]) if words else "value"
                self.own[path].append(
                    Column(name, column.type, column.nullable, comment=column.comment,
                           samples=column.samples)
                )  # fmt: skip
                self.props[(path, name)] = None
                self.types[(path, name)] = _types(column)
        elif kind == "object":
            parent = self._parent(path)
            # A property named like the container would make two tables of one name.
            if parent is not None and path.lower() != self.container.lower():
                self._add(Node(path, "object", parent, _last(path)))

    def _add(self, node: Node) -> None:
        self.nodes[node.key] = node
        self.own[node.key] = []

    def _column(self, column: Column) -> None:
        path, kind = column.name, _kind(column)
        if path.endswith("[]") or kind in {"object", "array"}:
            return
        table = self._parent(path)
        name = _last(path)
        if table is None or any(c.name == name for c in self.own[table]):
            return
        self.own[table].append(
            Column(name, column.type, column.nullable, name == "id", column.comment,
                   column.samples)
        )  # fmt: skip
        self.props[(table, name)] = name
        self.types[(table, name)] = _types(column)

    def _parent(self, path: str) -> str | None:
        """The table holding the property at `path`: the documents or a known table."""
        if "." not in path:
            return self.container
        prefix = path.rsplit(".", 1)[0]
        return prefix if prefix in self.nodes and prefix != self.container else None


def _hidden_names(taken: set[str]) -> Iterator[str]:
    """`$`, `$$`, `$$$`...: names without words, so no question can name them."""
    size = 1
    while True:
        name = "$" * size
        size += 1
        if name not in taken:
            yield name


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _types(column: Column) -> tuple[str, ...]:
    return tuple(t.strip() for t in column.type.split("|") if t.strip())


def _kind(column: Column) -> str:
    """The main JSON type seen at a path (the inferred schema lists the commonest first)."""
    types = _types(column)
    return types[0] if types else "null"


def _prefer_creation_date(index: SchemaIndex) -> None:
    """A document with several dates is dated by its creation date (`createdAt`), when it
    has exactly one: `tickets in 2024` means created in 2024."""
    for info in index.tables.values():
        if info.default_date is not None or len(info.dates) < 2:
            continue
        created = [n for n in info.dates if info.columns[n].words[0] in _CREATION_WORDS]
        if len(created) == 1:
            info.default_date = created[0]
