"""Run a query over JSON documents: FROM/JOIN rows, WHERE, GROUP BY, SELECT, ORDER BY...

The query is compiled once (`CompiledQuery`), then `run` streams the documents through
the clauses. Rows are dicts mapping each alias to its value. ORDER BY with TOP or
OFFSET/LIMIT keeps only the needed prefix with a heap instead of sorting everything.
Every row made spends from the active time budget (`cosmosql.budget`), and the rows held
at once (groups, DISTINCT values, sorted rows, results) are bounded by `cosmosql.limits`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import ast
from .budget import Budget, current
from .compiler import (
    AGG_KEY,
    Env,
    Fn,
    Scope,
    SubqueryRunner,
    compile_expr,
    contains_aggregate,
    path_getter,
)
from .errors import CosmosQueryError
from .limits import MAX_ARRAY_LENGTH, MAX_ROWS_HELD
from .ordering import order_rows
from .parser import parse
from .values import UNDEFINED, canonical


def _error(message: str, node: ast.Node | None) -> CosmosQueryError:
    line, column = node.pos if node is not None and node.pos else (None, None)
    return CosmosQueryError(message, line=line, column=column)


def normalize_parameters(parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameter names with their leading '@' ("name" and "@name" both accepted).

    Tuples become lists so a Python caller's (1, 2) behaves as the JSON array [1, 2].
    """
    if not parameters:
        return {}
    return {(k if k.startswith("@") else "@" + k): _as_json(v) for k, v in parameters.items()}


def _as_json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    return value


@dataclass
class _Source:
    """One FROM/JOIN source, ready to produce values for a row."""

    name: str
    iterate: bool  # `x IN coll`: bind each element of each array value
    from_documents: bool  # the first source of a query reading the container
    values: Callable[[Env], Iterable[Any]] | None = None  # for correlated sources
    path: Callable[[Any], Any] | None = None  # for container sources
    runner: CompiledQuery | None = None  # a subquery source reading the container


class CompiledQuery:
    """A query compiled to closures; `run(documents)` evaluates it."""

    def __init__(
        self,
        query: ast.Query,
        parameters: Mapping[str, Any] | None = None,
        *,
        outer: frozenset[str] = frozenset(),
        reads_documents: bool = True,
    ) -> None:
        self.query = query
        self.parameters = normalize_parameters(parameters)
        self.sources: list[_Source] = []
        aliases = set(outer)
        if query.from_ is not None:
            sources = [query.from_.source, *query.from_.joins]
            for i, src in enumerate(sources):
                plan = self._source(src, i, frozenset(aliases), reads_documents and i == 0)
                self.sources.append(plan)
                aliases.add(plan.name)
        self.aliases = frozenset(aliases)
        scope = self._scope(None)
        self.where = compile_expr(query.where, scope) if query.where is not None else None
        self._compile_projection(query)
        self.top = self._count(query.select.top, query.select)
        self.offset = self._count(query.offset, query) or 0
        self.limit = self._count(query.limit, query)

    # ------------------------------------------------------------ compilation

    def _scope(self, aggregates: list[Any] | None) -> Scope:
        return Scope(self.aliases, self.parameters, self._subquery, aggregates)

    def _subquery(self, query: ast.Query, scope: Scope) -> SubqueryRunner:
        compiled = CompiledQuery(query, self.parameters, outer=scope.aliases, reads_documents=False)
        return compiled.run_correlated

    def _count(self, value: int | ast.Parameter | None, node: ast.Node) -> int | None:
        if value is None:
            return None
        if isinstance(value, ast.Parameter):
            if value.name not in self.parameters:
                raise _error(f"no value was given for the parameter {value.name}", value)
            number = self.parameters[value.name]
            if type(number) is float and number.is_integer():
                number = int(number)
            if type(number) is not int or number < 0:
                raise _error(f"{value.name} must be a non-negative integer", value)
            return number
        if value < 0:
            raise _error("TOP, OFFSET and LIMIT take non-negative integers", node)
        return value

    def _source(
        self, src: ast.Source, index: int, scope: frozenset[str], reads_documents: bool
    ) -> _Source:
        iterate = isinstance(src, ast.IteratorSource)
        name = src.name or f"${index}"
        coll = src.collection
        if isinstance(coll, ast.SubqueryCollection):
            if reads_documents:
                inner = CompiledQuery(coll.query, self.parameters)
                return _Source(name, iterate, True, runner=inner)
            sub = CompiledQuery(coll.query, self.parameters, outer=scope, reads_documents=False)
            return _Source(name, iterate, False, values=sub.run_correlated)
        get = path_getter(coll.path)
        if coll.root in scope:
            root = coll.root

            def values(env: Env) -> Iterable[Any]:
                v = get(env.get(root, UNDEFINED))
                return () if v is UNDEFINED else (v,)

            return _Source(name, iterate, False, values=values)
        if not reads_documents:
            where = "JOIN" if index else "a subquery's FROM"
            known = ", ".join(sorted(a for a in scope if not a.startswith("$"))) or "none"
            raise _error(
                f"{where} must start from an alias in scope, not {coll.root!r} "
                f"(names in scope: {known})",
                coll,
            )
        return _Source(name, iterate, True, path=get if coll.path else None)

    def _compile_projection(self, query: ast.Query) -> None:
        select = query.select
        exprs: list[ast.Expr] = (
            [select.value] if select.value is not None else [item.expr for item in select.items]
        )
        self.aggregated = bool(query.group_by) or any(contains_aggregate(e) for e in exprs)
        plain = self._scope(None)
        self.group_by = [compile_expr(e, plain) for e in query.group_by]
        self.aggregates: list[Any] = []
        scope = self._scope(self.aggregates) if self.aggregated else plain
        if select.star:
            if self.aggregated:
                raise _error("SELECT * cannot be used with GROUP BY", select)
            if len(self.sources) != 1:
                raise _error(
                    "SELECT * needs exactly one FROM source; with JOIN (or no FROM) "
                    "list the values instead, e.g. SELECT c.id, t.name",
                    select,
                )
            name = self.sources[0].name
            self.project: Fn = lambda env: env[name]
        elif select.value is not None:
            self.project = compile_expr(select.value, scope)
        else:
            self.project = self._select_list(select.items, scope)
        self.order_keys = [compile_expr(o.expr, scope) for o in query.order_by]
        self.order_desc = [o.descending for o in query.order_by]

    @staticmethod
    def _select_list(items: list[ast.SelectItem], scope: Scope) -> Fn:
        fields: list[tuple[str, Fn]] = []
        generated = 0
        for item in items:
            name = item.alias or _implicit_name(item.expr)
            if name is None:
                generated += 1
                name = f"${generated}"
            fields.append((name, compile_expr(item.expr, scope)))

        def project(env: Env) -> dict[str, Any]:
            out = {}
            for key, fn in fields:
                v = fn(env)
                if v is not UNDEFINED:
                    out[key] = v
            return out

        return project

    # ------------------------------------------------------------ execution

    def run(self, documents: Iterable[Any]) -> list[Any]:
        """Evaluate the query over the documents of one container."""
        return self._execute(documents, None)

    def run_correlated(self, env: Env) -> list[Any]:
        """Evaluate a subquery for one row of the enclosing query."""
        return self._execute((), env)

    def _rows(self, documents: Iterable[Any], outer: Env | None, spend: Spend) -> Iterator[Env]:
        if not self.sources:
            return iter([dict(outer) if outer else {}])
        rows = self._first_rows(documents, outer, spend)
        for src in self.sources[1:]:
            rows = _join(rows, src, spend)
        return rows

    def _first_rows(
        self, documents: Iterable[Any], outer: Env | None, spend: Spend
    ) -> Iterator[Env]:
        src = self.sources[0]
        name, iterate = src.name, src.iterate
        if src.runner is not None:
            values: Iterable[Any] = src.runner.run(documents)
        elif src.from_documents:
            values = documents
            if src.path is not None:
                get = src.path
                values = (get(doc) for doc in documents)
        else:
            assert src.values is not None
            values = src.values(outer or {})
        base = outer or {}
        for v in values:
            spend()
            if v is UNDEFINED:
                continue
            if iterate:
                if type(v) is list:
                    for item in v:
                        spend()
                        yield {**base, name: item}
            elif base:
                yield {**base, name: v}
            else:
                yield {name: v}

    def _execute(self, documents: Iterable[Any], outer: Env | None) -> list[Any]:
        budget = current()
        spend: Spend = budget.spend if budget is not None else _free
        rows: Iterable[Env] = self._rows(documents, outer, spend)
        if self.where is not None:
            where = self.where
            rows = (env for env in rows if where(env) is True)
        if self.aggregated:
            rows = self._groups(rows, outer)
        distinct = self.query.select.distinct
        if self.order_keys:
            prefix = None
            if not distinct:
                take = [n for n in (self.limit, self.top) if n is not None]
                if take:
                    prefix = self.offset + min(take)
            if prefix is None or prefix > MAX_ROWS_HELD:
                rows = _held(rows, MAX_ROWS_HELD, "to sort them")
            rows = order_rows(rows, self.order_keys, self.order_desc, prefix)
        project = self.project
        values: Iterable[Any] = (v for v in map(project, rows) if v is not UNDEFINED)
        if distinct:
            values = _distinct(values)
        if self.offset or self.limit is not None:
            stop = None if self.limit is None else self.offset + self.limit
            values = itertools.islice(values, self.offset, stop)
        if self.top is not None:
            values = itertools.islice(values, self.top)
        if outer is None:
            return list(_held(values, MAX_ROWS_HELD, "as results"))
        # A subquery's results are an array value (ARRAY(...), IN, EXISTS...).
        return list(_held(values, MAX_ARRAY_LENGTH, "in one subquery's results"))

    def _groups(self, rows: Iterable[Env], outer: Env | None) -> list[Env]:
        keys = self.group_by
        classes = [cls for cls, _ in self.aggregates]
        args = [arg for _, arg in self.aggregates]
        key_of = _group_key(keys)
        groups: dict[Any, tuple[Env, list[Any], list[Callable[[Any], None]]]] = {}
        for env in rows:
            key = key_of(env)
            entry = groups.get(key)
            if entry is None:
                if len(groups) == MAX_ROWS_HELD:
                    raise _too_many(MAX_ROWS_HELD, "as GROUP BY groups")
                accs = [cls() for cls in classes]
                entry = groups[key] = (env, accs, [acc.add for acc in accs])
            for add, arg in zip(entry[2], args, strict=True):
                add(arg(env))
        if not groups and not keys:
            # Aggregates without GROUP BY always give one row, even over no input.
            accs = [cls() for cls in classes]
            groups[()] = (dict(outer) if outer else {}, accs, [])
        return [
            {**env, AGG_KEY: [acc.result() for acc in accs]} for env, accs, _ in groups.values()
        ]


Spend = Callable[[], None]


def _free() -> None:
    """Spend nothing: no budget is active."""


def _too_many(limit: int, what: str) -> CosmosQueryError:
    return CosmosQueryError(
        f"The query holds more than {limit:,} rows at once {what}; filter or group it further."
    )


def _held(values: Iterable[Any], limit: int, what: str) -> Iterator[Any]:
    """The values, refusing to go past `limit` of them."""
    for n, value in enumerate(values, start=1):
        if n > limit:
            raise _too_many(limit, what)
        yield value


def _group_key(keys: list[Fn]) -> Fn:
    """A hashable key for a row's GROUP BY values."""
    if not keys:
        return lambda env: ()
    if len(keys) == 1:
        (only,) = keys
        return lambda env: canonical(only(env))
    return lambda env: tuple(canonical(k(env)) for k in keys)


def _join(rows: Iterable[Env], src: _Source, spend: Spend) -> Iterator[Env]:
    name, iterate = src.name, src.iterate
    assert src.values is not None
    values_of = src.values
    for env in rows:
        for v in values_of(env):
            spend()
            if v is UNDEFINED:
                continue
            if iterate:
                if type(v) is list:
                    for item in v:
                        spend()
                        yield {**env, name: item}
            else:
                yield {**env, name: v}


def _distinct(values: Iterable[Any]) -> Iterator[Any]:
    seen: set[Any] = set()
    for v in values:
        key = canonical(v)
        if key not in seen:
            if len(seen) == MAX_ROWS_HELD:
                raise _too_many(MAX_ROWS_HELD, "for DISTINCT")
            seen.add(key)
            yield v


def _implicit_name(expr: ast.Expr) -> str | None:
    """The output name of an unaliased SELECT item: its last property name, if any."""
    if isinstance(expr, ast.PropertyAccess):
        return expr.name
    if isinstance(expr, ast.Identifier):
        return expr.name
    if isinstance(expr, ast.IndexAccess):
        index = expr.index
        if isinstance(index, ast.Literal) and type(index.value) is str:
            return index.value
    return None


def compile_query(
    query: str | ast.Query, parameters: Mapping[str, Any] | None = None
) -> CompiledQuery:
    """Parse (if needed) and compile a query for repeated runs."""
    tree = parse(query) if isinstance(query, str) else query
    try:
        return CompiledQuery(tree, parameters)
    except RecursionError:
        raise CosmosQueryError("the query is too long or too deeply nested to run") from None


def evaluate(
    query: str | ast.Query,
    documents: Iterable[dict[str, Any]],
    *,
    parameters: Mapping[str, Any] | None = None,
    timeout_s: float | None = None,
) -> list[Any]:
    """Run a Cosmos DB for NoSQL query over JSON documents and return the result list;
    with `timeout_s`, raise CosmosTimeout when it runs longer."""
    if timeout_s is None:
        return compile_query(query, parameters).run(documents)
    with Budget(timeout_s).active():
        return compile_query(query, parameters).run(documents)
