"""Table and CTE resolution under an engine's identifier rules: the one copy of them.

The guard (which tables a query reads) and the row and column policies (which references
to protect) both ask `real_tables`. A reference binds to a CTE only when the engine's own
rule says their names are equal; a name that equals a CTE's only under another case rule
(`WITH "Secrets" AS (...) SELECT * FROM secrets` on PostgreSQL) is taken for the real
table, so the guard checks it and the policies filter it: doubt fails closed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlglot import exp

from data_assistant import engines
from data_assistant.engines import Engine


@dataclass(frozen=True, slots=True)
class TableRef:
    """A reference that reads a real table, with its name parts as the engine resolves them."""

    node: exp.Table
    name: str
    schema: str | None = None
    catalog: str | None = None
    # (catalog, schema, name) without the parts the query left out.
    parts: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        """The name as written, resolved: `schema.name` or `name`."""
        return ".".join(self.parts)


def resolve(table: exp.Table, engine: Engine, *, ctes: bool = True) -> TableRef | None:
    """The real table `table` reads, or None: a CTE, a table function, SQLite's INDEXED BY,
    or a reference whose name is not a plain identifier (the guard refuses those).

    `ctes=False` tells that no WITH is in scope (the guard's walk meets a WITH before
    any table it covers), which spares the search for one.
    """
    target = table.this
    if table.arg_key == "indexed" or not isinstance(target, exp.Identifier):
        return None
    db = _part(table.args.get("db"), engine)
    catalog = _part(table.args.get("catalog"), engine)
    key = engine.key(target)
    if ctes and db is None and catalog is None and binds_to_cte(table, target, key, engine):
        return None
    parts = tuple(p for p in (catalog, db, key) if p is not None)
    return TableRef(node=table, name=key, schema=db, catalog=catalog, parts=parts)


def real_tables(expression: exp.Expr, engine: Engine) -> Iterator[TableRef]:
    """Every reference in `expression` that reads a real table."""
    for table in expression.find_all(exp.Table):
        ref = resolve(table, engine)
        if ref is not None:
            yield ref


def real_table_refs(expression: exp.Expr, *, dialect: str | Engine) -> list[exp.Table]:
    """The nodes of every reference in `expression` that reads a real table."""
    return [ref.node for ref in real_tables(expression, engines.get(dialect))]


def policy_key(name: str) -> tuple[str | None, str]:
    """A configured table name (`orders`, `sales.orders`) as (schema or None, name), folded."""
    db, _, table = name.casefold().rpartition(".")
    return (db or None, table)


def matching_keys(table: exp.Table, keys: Mapping[tuple[str | None, str], str]) -> list:
    """The policy keys a reference may point at. Names are compared without case and a bare
    reference matches a key in any schema: doubt filters more, never less."""
    name, db = table.name.casefold(), table.text("db").casefold()
    return [key for key in keys if key[1] == name and (key[0] is None or not db or key[0] == db)]


def reference_key(table: exp.Table) -> str:
    """The name a reference is known by in its query: its alias, else its table name."""
    return table.alias_or_name.casefold()


def binds_to_cte(table: exp.Table, target: exp.Identifier, key: str, engine: Engine) -> bool:
    """Whether an unqualified reference binds to a CTE in scope.

    Scopes are searched from the innermost out; in the first one holding a CTE of a
    similar name, an exactly equal name binds and a name equal only without case does
    not. A CTE body sees the CTEs before it, and itself when recursive.
    """
    loose = target.name.casefold()
    child: exp.Expr = table
    parent = table.parent
    while parent is not None:
        visible: list[exp.Expr] = []
        if isinstance(parent, exp.With):
            recursive = engine.implicit_recursive_ctes or bool(parent.args.get("recursive"))
            index = child.index or 0
            visible = parent.expressions[: index + 1 if recursive else index]
        elif child.arg_key != "with_":
            with_ = parent.args.get("with_")
            if isinstance(with_, exp.With):
                visible = with_.expressions
        similar = False
        for cte in visible:
            alias = cte.args.get("alias")
            ident = alias.this if isinstance(alias, exp.TableAlias) else None
            if not isinstance(ident, exp.Identifier):
                continue
            if engine.key(ident) == key:
                return True
            similar = similar or ident.name.casefold() == loose
        if similar:
            return False
        child, parent = parent, parent.parent
    return False


def _part(node: object, engine: Engine) -> str | None:
    """A schema or catalog part as the engine resolves it; None when absent or empty
    (T-SQL's `master..t` leaves the schema empty: the default one)."""
    if isinstance(node, exp.Identifier):
        return engine.key(node) if node.name else None
    if isinstance(node, exp.Expr):
        return node.name or None
    return str(node) if node else None
