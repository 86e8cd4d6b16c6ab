"""Syntax tree of a Cosmos DB for NoSQL query.

Plain, mutable dataclasses so a guard can inspect and rewrite a query (lower TOP, add a
WHERE conjunct) and render it back with `to_text`. Every node has a `pos` (line, column)
that is excluded from equality, so a re-parsed query equals the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

Pos = tuple[int, int] | None


class Node:
    """Base of all nodes; `children()` walks the direct sub-nodes."""

    pos: Pos

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order."""
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list | tuple):
                for item in value:
                    if isinstance(item, Node):
                        yield item

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first (subqueries included)."""
        # An explicit stack: long AND/OR chains are deep trees.
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children())))


# ---------------------------------------------------------------- scalar expressions


class Expr(Node):
    """A scalar expression."""


@dataclass
class Literal(Expr):
    """A constant: string, number, true/false, null or undefined (`UNDEFINED`)."""

    value: Any
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Parameter(Expr):
    """A query parameter such as `@name` (the name keeps its `@`)."""

    name: str
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Identifier(Expr):
    """A reference to a FROM alias (`c` in `c.name`)."""

    name: str
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class PropertyAccess(Expr):
    """`target.name`."""

    target: Expr
    name: str
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class IndexAccess(Expr):
    """`target[index]`: an array index or a property name in brackets."""

    target: Expr
    index: Expr
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class ArrayLiteral(Expr):
    """`[a, b, ...]`."""

    items: list[Expr]
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class ObjectProperty(Node):
    """One `"key": value` of an object literal."""

    key: str
    value: Expr
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class ObjectLiteral(Expr):
    """`{ "key": value, ... }`."""

    properties: list[ObjectProperty]
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Unary(Expr):
    """`op operand` with op one of "-", "+", "~", "NOT"."""

    op: str
    operand: Expr
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Binary(Expr):
    """`left op right`: arithmetic, comparison, AND/OR, bitwise, "||" and "??"."""

    op: str
    left: Expr
    right: Expr
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Between(Expr):
    """`expr [NOT] BETWEEN low AND high`."""

    expr: Expr
    low: Expr
    high: Expr
    negated: bool = False
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class In(Expr):
    """`expr [NOT] IN (item, ...)`."""

    expr: Expr
    items: list[Expr]
    negated: bool = False
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Like(Expr):
    """`expr [NOT] LIKE pattern [ESCAPE 'c']`."""

    expr: Expr
    pattern: Expr
    escape: str | None = None
    negated: bool = False
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Conditional(Expr):
    """`condition ? if_true : if_false`."""

    condition: Expr
    if_true: Expr
    if_false: Expr
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class FunctionCall(Expr):
    """A built-in function (name as written) or a `udf.name(...)` call."""

    name: str
    args: list[Expr]
    udf: bool = False
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Subquery(Expr):
    """A subquery used as a value.

    kind is "SCALAR" for `(SELECT ...)`, or "EXISTS", "ARRAY", "FIRST", "LAST", "ALL".
    """

    kind: str
    query: Query
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- query clauses


@dataclass
class SelectItem(Node):
    """One entry of a SELECT list, with its optional alias."""

    expr: Expr
    alias: str | None = None
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Select(Node):
    """The SELECT clause: exactly one of `star`, `value` or `items` is used."""

    items: list[SelectItem] = field(default_factory=list)
    value: Expr | None = None
    star: bool = False
    distinct: bool = False
    top: int | Parameter | None = None
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class PathCollection(Node):
    """`root.seg[0]["seg"]`: the container (or an alias) followed by a fixed path."""

    root: str
    path: list[str | int] = field(default_factory=list)
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class SubqueryCollection(Node):
    """`(SELECT ...)` used as a FROM or JOIN source."""

    query: Query
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


Collection = PathCollection | SubqueryCollection


@dataclass
class AliasedSource(Node):
    """`collection [AS alias]`: binds each value of the collection."""

    collection: Collection
    alias: str | None = None
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)

    @property
    def name(self) -> str | None:
        """The name the source binds: the alias, else the last path name, else the root."""
        if self.alias is not None:
            return self.alias
        if isinstance(self.collection, PathCollection):
            names = [p for p in self.collection.path if isinstance(p, str)]
            return names[-1] if names else self.collection.root
        return None


@dataclass
class IteratorSource(Node):
    """`alias IN collection`: binds each element of each array in the collection."""

    alias: str
    collection: Collection
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)

    @property
    def name(self) -> str:
        """The name the source binds."""
        return self.alias


Source = AliasedSource | IteratorSource


@dataclass
class From(Node):
    """FROM source, then any number of JOIN sources (each correlated with the ones before)."""

    source: Source
    joins: list[Source] = field(default_factory=list)
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class OrderItem(Node):
    """One ORDER BY key."""

    expr: Expr
    descending: bool = False
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass
class Query(Node):
    """A whole `SELECT ...` query (also the body of every subquery)."""

    select: Select
    from_: From | None = None
    where: Expr | None = None
    group_by: list[Expr] = field(default_factory=list)
    order_by: list[OrderItem] = field(default_factory=list)
    offset: int | Parameter | None = None
    limit: int | Parameter | None = None
    pos: Pos = field(default=None, compare=False, repr=False, kw_only=True)

    @property
    def container(self) -> str | None:
        """The container name the query reads (`products` in `FROM products p`), if any."""
        if self.from_ is None:
            return None
        collection = self.from_.source.collection
        return collection.root if isinstance(collection, PathCollection) else None

    @property
    def alias(self) -> str | None:
        """The name bound by the FROM source (`p` in `FROM products p`)."""
        return None if self.from_ is None else self.from_.source.name

    @property
    def document_alias(self) -> str | None:
        """The alias bound to whole documents, or None when FROM binds something else.

        `FROM c` and `FROM products p` bind documents; `FROM c.items` or `FROM x IN c.items`
        do not, so a predicate on document fields cannot be added to such a query.
        """
        if self.from_ is None:
            return None
        source = self.from_.source
        if isinstance(source, AliasedSource) and isinstance(source.collection, PathCollection):
            return source.name if not source.collection.path else None
        return None
