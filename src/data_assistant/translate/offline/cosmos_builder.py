"""Cosmos DB building: an `Intent` over a container model becomes one NoSQL query.

The documents are always `c`. A nested object is a path on its document
(`c.customer.country`); an array's elements are bound by `JOIN i IN c.items` when the
question is about them (counted, grouped, listed), and reached by `EXISTS(SELECT VALUE i
FROM i IN c.items WHERE ...)` or `ARRAY_CONTAINS(c.tags, "billing")` when they only filter
documents. A negated condition on elements means no element matches (`tickets without the
escalated tag`). Groups are ranked by wrapping the GROUP BY query, since Cosmos DB does not
sort one. Missing properties are undefined, so "is empty" tests IS_DEFINED as well as null.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from datetime import date

from data_assistant.cosmosql import ast, to_text
from data_assistant.cosmosql.tokens import is_reserved
from data_assistant.translate.offline.containers import ContainerModel
from data_assistant.translate.offline.explain import explain
from data_assistant.translate.offline.intent import (
    ColumnRef,
    Filter,
    GroupKey,
    Intent,
    Measure,
    Related,
)
from data_assistant.translate.offline.reader import Reader
from data_assistant.translate.offline.resolve import refuse

_OPS = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_POSITIVE = {"ne": "eq", "not_in": "in"}
_GRAIN_LENGTH = {"year": 4, "month": 7, "day": 10}
_ALIAS_RE = re.compile(r"[^A-Za-z0-9_]+")


@dataclass
class _Scope:
    """Names bound in one query: the documents and the arrays joined so far."""

    bound: dict[str, str]  # table key -> alias (the documents and array elements)
    used: set[str]  # aliases taken anywhere in the query, subqueries included
    joins: list[ast.IteratorSource] = field(default_factory=list)

    def child(self) -> _Scope:
        return _Scope(dict(self.bound), self.used)


class CosmosBuilder:
    """Builds one Cosmos DB query for an intent over one container model."""

    def __init__(self, model: ContainerModel) -> None:
        self.model = model
        self.nodes = model.nodes

    # -- the query ----------------------------------------------------------------------
    def build(self, intent: Intent) -> str:
        """The query text of an intent (normalized first: see `normalize`)."""
        return to_text(self.query(self.normalize(intent)))

    def query(self, intent: Intent) -> ast.Query:
        """The syntax tree of a normalized intent."""
        scope = _Scope({self.model.root: "c"}, {"c"})
        base = self.base(intent)
        self._bind(base, scope)
        if intent.kind == "aggregate":
            assert intent.measure is not None
            return self._aggregate(intent, base, scope)
        return self._rows(intent, base, scope)

    def base(self, intent: Intent) -> str:
        """The table whose rows the query runs over: the measure's, else the subject."""
        return intent.measure.table if intent.measure is not None else intent.subject

    def normalize(self, intent: Intent) -> Intent:
        """The intent as the query will answer it (and the explanation tells it).

        A negated condition on the elements of another array means no element matches:
        `tickets without the escalated tag` is read as tags != "escalated" on some element.
        Conditions on rows of the same document are plain conditions. Nested records
        shared by documents (with an id) are counted once. Several values for the elements
        of a list are refused: all of them, or any?
        """
        if intent.self_link is not None:  # documents have no links between them
            raise refuse("link documents to other documents of the container")
        if intent.having is not None:  # no HAVING in the container's query language
            raise refuse("keep only the groups whose total compares with a number")
        main = set(self._arrays(self.base(intent)))
        filters: list[Filter] = []
        related: list[Related] = []
        for f in intent.filters:
            outside = [a for a in self._arrays(f.column.table) if a not in main]
            if outside and f.op in _POSITIVE:
                related.append(Related("none", outside[0], filters=(_positive(f),)))
            else:
                filters.append(f)
        for rel in intent.related:
            table = rel.measure.table if rel.measure is not None else rel.table
            if all(a in main for a in self._arrays(table)):
                # Rows of the same document: `customers with urgent tickets` are the
                # customers of urgent tickets, since each document holds its customer.
                if rel.kind != "some":
                    what = self.model.path(intent.subject)
                    raise refuse(f"relate {what} to {self.model.path(table)}: each document "
                                 "holds both")  # fmt: skip
                filters += rel.filters
                continue
            negated = [f for f in rel.filters if f.op in _POSITIVE]
            if not negated:
                related.append(rel)
            elif rel.kind == "some" and len(negated) == len(rel.filters):
                related.append(replace(rel, kind="none", filters=tuple(map(_positive, negated))))
            else:
                raise refuse(f"combine a negated condition with others on {rel.table}")
        for f in [*filters, *(f for rel in related for f in rel.filters)]:
            in_list = any(a not in main for a in self._arrays(f.column.table))
            if in_list and f.op in {"in", "not_in"} and len(f.values) > 1:
                # On a list, `tagged new and wireless` may mean both tags, or either.
                what = self.model.path(f.column.table, f.column.column)
                raise refuse(f"tell whether {what} must hold all of these values or any")
        measure = self._shared(intent.measure) if intent.measure is not None else None
        extra = tuple(self._shared(m) for m in intent.extra)
        if measure is not None and any(m.table != measure.table for m in extra):
            raise refuse("compute aggregates over different lists in one query")
        return replace(
            intent, measure=measure, extra=extra, filters=tuple(filters), related=tuple(related)
        )

    # -- rows -----------------------------------------------------------------------------
    def _rows(self, intent: Intent, base: str, scope: _Scope) -> ast.Query:
        for ref in intent.select:
            what = f"show {self.model.path(ref.table, ref.column)} beside values of other rows"
            self._check_in_scope(ref.table, scope, what)
        if intent.order is not None and intent.order.column is not None:
            self._check_in_scope(intent.order.column.table, scope, "sort by a value of a list")
        node = self.nodes[base]
        # A nested object is repeated in every document that holds it: list it once.
        distinct = intent.kind == "distinct" or node.kind == "object"
        select = ast.Select(distinct=distinct, top=intent.limit)
        if len(intent.select) == 1 and distinct:
            select.value = self._column(intent.select[0], scope)
        elif intent.select:
            select.items = self._items(intent.select, scope)
        elif node.kind == "root":
            select.star = True
        else:
            select.value = self._table_expr(base, scope)
        query = ast.Query(select, self._from(scope), self._where(intent, scope))
        if intent.order is not None:
            if intent.order.column is None:
                raise refuse("tell what to sort by")
            key = self._column(intent.order.column, scope)
            query.order_by = [ast.OrderItem(key, intent.order.desc)]
        return query

    def _items(self, refs: tuple[ColumnRef, ...], scope: _Scope) -> list[ast.SelectItem]:
        names = [self._name(ref) for ref in refs]
        items = []
        for ref, name in zip(refs, names, strict=True):
            expr = self._column(ref, scope)
            implicit = isinstance(expr, ast.PropertyAccess) and expr.name == name
            clash = names.count(name) > 1
            if clash:
                name = _alias(f"{self.nodes[ref.table].prop or ''}_{name}")
            items.append(ast.SelectItem(expr, None if implicit and not clash else name))
        return items

    # -- aggregates -----------------------------------------------------------------------
    def _aggregate(self, intent: Intent, base: str, scope: _Scope) -> ast.Query:
        measure = intent.measure
        assert measure is not None
        for key in intent.group_by:
            self._group_scope(key, measure, scope)
        where = self._where(intent, scope)
        if intent.extra and any(m.func == "count" and m.terms for m in (measure, *intent.extra)):
            raise refuse("count distinct values beside other aggregates")
        if measure.func == "count" and measure.terms:
            return self._count_distinct(intent, measure, scope, where)
        value = self._measure(measure, scope)
        if not intent.group_by:
            if intent.extra:  # `the lowest, highest and average cost`: one object of them
                shown = self._measures(intent, value, scope, set())
                return ast.Query(ast.Select(items=shown), self._from(scope), where)
            return ast.Query(ast.Select(value=value), self._from(scope), where)
        items: list[ast.SelectItem] = []
        grouped: list[ast.Expr] = []
        taken: set[str | None] = set()
        for key in intent.group_by:
            shown, keys = self._group_key(key, scope)
            for item in shown:  # `customer.name` and `items[].name` both show as a name
                item.alias = _unique(item.alias or "value", taken)
                taken.add(item.alias)
            items += shown
            grouped += keys
        measures = self._measures(intent, value, scope, taken)
        alias = measures[0].alias
        items += measures
        inner = ast.Query(ast.Select(items=items), self._from(scope), where, grouped)
        if intent.order is None and intent.limit is None:
            return inner
        if intent.extra:
            raise refuse("rank groups shown with several aggregates")
        return self._ranked(intent, inner, alias or "value", scope)

    def _measures(
        self, intent: Intent, value: ast.Expr, scope: _Scope, taken: set[str | None]
    ) -> list[ast.SelectItem]:
        """The measure and any more aggregates, each under its own readable name."""
        assert intent.measure is not None
        items = []
        for measure in (intent.measure, *intent.extra):
            alias = _unique(self._measure_alias(measure), taken)
            taken.add(alias)
            expr = value if measure is intent.measure else self._measure(measure, scope)
            items.append(ast.SelectItem(expr, alias))
        return items

    def _ranked(self, intent: Intent, inner: ast.Query, alias: str, scope: _Scope) -> ast.Query:
        """Cosmos DB does not sort a GROUP BY query: sort its results in an outer query."""
        wrap = _fresh("g", scope.used)
        names = [item.alias for item in inner.select.items]
        order = intent.order
        key = alias
        if order is not None and order.column is not None:
            wanted = self._name(order.column)
            if wanted not in names:
                raise refuse("sort groups by a value that is not shown")
            key = wanted
        shown = [n for n in names if n is not None and not (intent.rank_only and n == alias)]
        items = [ast.SelectItem(_prop(ast.Identifier(wrap), n)) for n in shown or names if n]
        source = ast.AliasedSource(ast.SubqueryCollection(inner), wrap)
        query = ast.Query(ast.Select(items=items, top=intent.limit), ast.From(source))
        desc = order.desc if order is not None else True
        query.order_by = [ast.OrderItem(_prop(ast.Identifier(wrap), key), desc)]
        return query

    def _group_scope(self, key: GroupKey, measure: Measure, scope: _Scope) -> None:
        """Join the arrays a group key needs; refuse groups that would count rows twice."""
        table = key.entity or (key.column.table if key.column is not None else None)
        assert table is not None
        extra = [a for a in self._arrays(table) if a not in scope.bound]
        if not extra:
            return
        # Elements of another list multiply the rows: only a minimum, a maximum, or a
        # count over lists of plain values (which hold each value once) stay right.
        sets = all(self.nodes[a].scalar for a in extra) and not measure.terms
        if measure.func not in {"min", "max"} and not (measure.func == "count" and sets):
            what = self.model.path(measure.table)
            raise refuse(f"group {what} by {self.model.path(table)} without counting twice")
        self._bind(table, scope)

    def _group_key(
        self, key: GroupKey, scope: _Scope
    ) -> tuple[list[ast.SelectItem], list[ast.Expr]]:
        """What a group key shows and what it groups by."""
        if key.column is not None and key.grain is not None:
            if "string" not in self.model.types.get((key.column.table, key.column.column), ()):
                raise refuse(f"group {self.model.path(key.column.table, key.column.column)} "
                             f"by {key.grain}: it is not an ISO date text")  # fmt: skip
            expr = self._column(key.column, scope)
            length = ast.Literal(_GRAIN_LENGTH[key.grain])
            bucket = ast.FunctionCall("LEFT", [expr, length])
            return [ast.SelectItem(bucket, key.grain)], [_copy(bucket)]
        if key.column is not None:
            expr = self._column(key.column, scope)
            return [ast.SelectItem(expr, self._name(key.column))], [_copy(expr)]
        assert key.entity is not None
        info = self.model.index.tables[key.entity]
        node = self.nodes[key.entity]
        if node.scalar:
            ref = ColumnRef(key.entity, next(iter(info.columns)))
            expr = self._column(ref, scope)
            return [ast.SelectItem(expr, self._name(ref))], [_copy(expr)]
        if not info.label:
            raise refuse(f"tell which property names each {self.model.path(key.entity)}")
        shown = [ColumnRef(key.entity, c) for c in info.label]
        # Two customers may share a name: group by the id too when there is one.
        keys = [ColumnRef(key.entity, "id")] if "id" in info.columns else []
        keys += shown
        items = [ast.SelectItem(self._column(r, scope), self._name(r)) for r in shown]
        return items, [self._column(r, scope) for r in keys]

    def _shared(self, measure: Measure) -> Measure:
        """A nested object with an id is a copy of a shared record (the customer of each
        ticket): count its distinct ids, and do not add up its values."""
        objects = {t.table for t in measure.terms} | {measure.table}
        objects = {t for t in objects if self.nodes[t].kind == "object"}
        shared = {t for t in objects if "id" in self.model.index.tables[t].columns}
        if measure.table in objects - shared and not measure.terms:
            # A part of each document (an address): what would one count?
            raise refuse(f"tell what to count of {self.model.path(measure.table)}")
        if not shared:
            return measure
        table = self.model.path(next(iter(shared)))
        if measure.func in {"sum", "avg"}:
            raise refuse(f"add up values of {table}, which repeat in every document that has it")
        if measure.func == "count" and not measure.terms:
            return replace(measure, terms=(ColumnRef(measure.table, "id"),), distinct=True)
        return measure

    def _count_distinct(
        self, intent: Intent, measure: Measure, scope: _Scope, where: ast.Expr | None
    ) -> ast.Query:
        """COUNT(DISTINCT x) is written as a count over SELECT DISTINCT VALUE x."""
        if intent.group_by:
            raise refuse("count distinct values within each group")
        if len(measure.terms) != 1:
            raise refuse("count distinct combinations of values")
        value = self._column(measure.terms[0], scope)
        inner = ast.Query(ast.Select(value=value, distinct=True), self._from(scope), where)
        source = ast.AliasedSource(ast.SubqueryCollection(inner))
        count = ast.FunctionCall("COUNT", [ast.Literal(1)])
        return ast.Query(ast.Select(value=count), ast.From(source))

    def _measure(self, measure: Measure, scope: _Scope) -> ast.Expr:
        """COUNT(1), SUM(i.quantity), AVG(c.satisfaction), ..."""
        if not measure.terms:
            return ast.FunctionCall("COUNT", [ast.Literal(1)])
        value: ast.Expr = self._column(measure.terms[0], scope)
        for term in measure.terms[1:]:
            value = ast.Binary("*", value, self._column(term, scope))
        if measure.discount is not None:
            off = ast.Binary("-", ast.Literal(1), self._column(measure.discount, scope))
            value = ast.Binary("*", value, off)
        return ast.FunctionCall(measure.func.upper(), [value])

    def _measure_alias(self, measure: Measure) -> str:
        if measure.label in {"revenue", "sold", "count"}:
            return {"sold": "units_sold"}.get(measure.label, measure.label)
        return _alias(measure.label.replace(".", " "))

    # -- conditions -----------------------------------------------------------------------
    def _where(self, intent: Intent, scope: _Scope) -> ast.Expr | None:
        """Conditions on bound rows as they are; on other arrays' elements, EXISTS."""
        parts: list[ast.Expr] = []
        outside: dict[str, list[Filter]] = {}
        for f in intent.filters:
            first = self._first_unbound(f.column.table, scope)
            if first is None:
                parts.append(self.condition(f, scope))
            else:
                outside.setdefault(first, []).append(f)
        for array, filters in outside.items():
            each = [f for f in filters if f.joined == "all"]
            if each and len(each) != len(filters):
                raise refuse(f"combine 'both' with other conditions on {self.model.path(array)}")
            # `both red and black variants`: an element of each, not one element of both
            groups = [[f] for f in each] or [filters]
            parts += [self._exists(array, group, scope) for group in groups]
        for rel in intent.related:
            parts.append(self._related(rel, scope))
        return _and(parts)

    def _related(self, rel: Related, scope: _Scope) -> ast.Expr:
        table = rel.measure.table if rel.measure is not None else rel.table
        first = self._first_unbound(table, scope)
        if first is None:
            raise refuse(f"compare {self.model.path(rel.table)} with its own rows")
        if rel.kind == "having":
            assert rel.measure is not None and rel.op is not None and rel.value is not None
            sub, inner = self._subquery(first, [rel.measure.table], rel.filters, scope)
            sub.select.value = self._measure(rel.measure, inner)
            return ast.Binary(_OPS[rel.op], ast.Subquery("SCALAR", sub), ast.Literal(rel.value))
        exists = self._exists(first, list(rel.filters), scope)
        return ast.Unary("NOT", exists) if rel.kind == "none" else exists

    def _exists(self, array: str, filters: list[Filter], scope: _Scope) -> ast.Expr:
        """Whether some element of `array` (and the arrays below it) meets every filter."""
        node = self.nodes[array]
        plain = node.scalar and all(f.column.table == array for f in filters)
        if plain and len(filters) > 1 and all(f.op in {"eq", "in"} for f in filters):
            # One plain value cannot equal two others: `vip tickets tagged billing` holds
            # each tag in some element of its own.
            parts = [self._exists(array, [f], scope) for f in filters]
            result = _and(parts)
            assert result is not None
            return result
        if plain and len(filters) == 1 and filters[0].op == "eq":
            values = self._table_expr(node.parent, scope)  # type: ignore[arg-type]
            assert values is not None and node.prop is not None
            literal = ast.Literal(filters[0].values[0])
            return ast.FunctionCall("ARRAY_CONTAINS", [_prop(values, node.prop), literal])
        sub, _ = self._subquery(array, [f.column.table for f in filters], tuple(filters), scope)
        return ast.Subquery("EXISTS", sub)

    def _subquery(
        self, array: str, tables: list[str], filters: tuple[Filter, ...], scope: _Scope
    ) -> tuple[ast.Query, _Scope]:
        """SELECT VALUE x FROM x IN <array> [JOIN ...] WHERE <filters>, correlated; and
        the subquery's scope."""
        inner = scope.child()
        alias = self._iterate(array, inner)
        first = inner.joins.pop()
        for table in tables:
            self._bind(table, inner)
        parts = []
        for f in filters:
            if self._first_unbound(f.column.table, inner) is not None:
                self._bind(f.column.table, inner)
            parts.append(self.condition(f, inner))
        source = ast.From(first, list(inner.joins))
        query = ast.Query(ast.Select(value=ast.Identifier(alias)), source, _and(parts))
        return query, inner

    def condition(self, f: Filter, scope: _Scope) -> ast.Expr:
        """One filter as a boolean expression on bound rows."""
        col = self._column(f.column, scope)
        if f.op in _OPS:
            return ast.Binary(_OPS[f.op], col, _literal(f.values[0]))
        if f.op in {"in", "not_in"}:
            return ast.In(col, [_literal(v) for v in f.values], negated=f.op == "not_in")
        if f.op == "between":
            return ast.Between(col, _literal(f.values[0]), _literal(f.values[1]))
        if f.op in {"null", "zero"}:
            # Missing (undefined) as well as null; "zero" also 0, as in SQL's COALESCE.
            parts: list[ast.Expr] = [
                ast.Unary("NOT", _call("IS_DEFINED", col)),
                _call("IS_NULL", _copy(col)),
            ]
            if f.op == "zero":
                parts.append(ast.Binary("=", _copy(col), ast.Literal(0)))
            return _or(parts)
        if f.op == "not_null":
            return ast.Binary(
                "AND", _call("IS_DEFINED", col), ast.Unary("NOT", _call("IS_NULL", _copy(col)))
            )
        if f.op in {"true", "false"}:
            return ast.Binary("=", col, self._bool(f.column, f.op == "true"))
        if f.op in _PATTERN_FUNCTIONS:  # `true`: in any case, as the SQL side reads them
            args = [col, _literal(str(f.values[0])), ast.Literal(True)]
            return ast.FunctionCall(_PATTERN_FUNCTIONS[f.op], args)
        if f.op == "range":
            return self._range(f, col)
        raise refuse(f"write the condition '{f.op}'")

    def _range(self, f: Filter, col: ast.Expr) -> ast.Expr:
        """Dates are ISO 8601 text in documents: they compare as strings."""
        rng = f.date_range
        assert rng is not None
        if "string" not in self.model.types.get((f.column.table, f.column.column), ()):
            path = self.model.path(f.column.table, f.column.column)
            raise refuse(f"compare {path} with dates: it is not an ISO date text")
        parts: list[ast.Expr] = []
        if rng.start is not None:
            parts.append(ast.Binary(">=", col, ast.Literal(rng.start.isoformat())))
        if rng.end is not None:
            parts.append(ast.Binary("<", _copy(col), ast.Literal(rng.end.isoformat())))
        result = _and(parts)
        assert result is not None
        return result

    def _bool(self, ref: ColumnRef, value: bool) -> ast.Expr:
        if "boolean" in self.model.types.get((ref.table, ref.column), ()):
            return ast.Literal(value)
        samples = {s.lower(): s for s in self.model.index.column(ref).column.samples}
        for pair in (("true", "false"), ("yes", "no"), ("y", "n"), ("1", "0")):
            if samples and set(samples) <= set(pair):
                word = pair[0 if value else 1]
                return ast.Literal(samples.get(word, word))
        raise refuse(f"tell how {self.model.path(ref.table, ref.column)} writes yes and no")

    # -- names and scopes -----------------------------------------------------------------
    def _arrays(self, table: str) -> list[str]:
        """The arrays on the way from the document to `table`, outermost first."""
        out = []
        key: str | None = table
        while key is not None:
            node = self.nodes[key]
            if node.kind == "array":
                out.append(key)
            key = node.parent
        return out[::-1]

    def _first_unbound(self, table: str, scope: _Scope) -> str | None:
        return next((a for a in self._arrays(table) if a not in scope.bound), None)

    def _check_in_scope(self, table: str, scope: _Scope, what: str) -> None:
        if self._first_unbound(table, scope) is not None:
            raise refuse(what)

    def _bind(self, table: str, scope: _Scope) -> None:
        """JOIN every array on the way to `table` that is not bound yet."""
        for array in self._arrays(table):
            if array not in scope.bound:
                self._iterate(array, scope)

    def _iterate(self, array: str, scope: _Scope) -> str:
        node = self.nodes[array]
        assert node.parent is not None and node.prop is not None
        root, path = self._path(node.parent, scope)
        alias = _fresh(node.prop, scope.used)
        collection = ast.PathCollection(root, [*path, node.prop])
        scope.joins.append(ast.IteratorSource(alias, collection))
        scope.bound[array] = alias
        return alias

    def _path(self, table: str, scope: _Scope) -> tuple[str, list[str | int]]:
        """The bound alias a table hangs from, and the properties down to it."""
        props: list[str | int] = []
        key = table
        while key not in scope.bound:
            node = self.nodes[key]
            if node.kind != "object" or node.parent is None or node.prop is None:
                raise refuse(f"reach {self.model.path(table)} from the documents")
            props.append(node.prop)
            key = node.parent
        return scope.bound[key], props[::-1]

    def _table_expr(self, table: str, scope: _Scope) -> ast.Expr:
        root, props = self._path(table, scope)
        expr: ast.Expr = ast.Identifier(root)
        for prop in props:
            expr = _prop(expr, str(prop))
        return expr

    def _column(self, ref: ColumnRef, scope: _Scope) -> ast.Expr:
        base = self._table_expr(ref.table, scope)
        prop = self.model.props.get((ref.table, ref.column))
        return base if prop is None else _prop(base, prop)

    def _name(self, ref: ColumnRef) -> str:
        """An output name for a column: its property, or the array's element name."""
        return _alias(ref.column)

    def _from(self, scope: _Scope) -> ast.From:
        return ast.From(ast.AliasedSource(ast.PathCollection("c")), list(scope.joins))


def _positive(f: Filter) -> Filter:
    return replace(f, op=_POSITIVE[f.op])


def _prop(target: ast.Expr, name: str) -> ast.Expr:
    return ast.PropertyAccess(target, name)


def _call(name: str, arg: ast.Expr) -> ast.Expr:
    return ast.FunctionCall(name, [arg])


def _copy(expr: ast.Expr) -> ast.Expr:
    """Expressions are mutable trees: each place gets its own."""
    return copy.deepcopy(expr)


_PATTERN_FUNCTIONS = {"starts": "STARTSWITH", "ends": "ENDSWITH", "contains": "CONTAINS"}


def _literal(value: object) -> ast.Expr:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ast.Literal(value)


def _and(parts: list[ast.Expr]) -> ast.Expr | None:
    """`a AND b AND c`, flat: a date range's two bounds read as two more conjuncts."""
    flat: list[ast.Expr] = []
    for part in parts:
        flat += _conjuncts(part)
    result: ast.Expr | None = None
    for part in flat:
        result = part if result is None else ast.Binary("AND", result, part)
    return result


def _conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    if isinstance(expr, ast.Binary) and expr.op == "AND":
        return [*_conjuncts(expr.left), *_conjuncts(expr.right)]
    return [expr]


def _or(parts: list[ast.Expr]) -> ast.Expr:
    result = parts[0]
    for part in parts[1:]:
        result = ast.Binary("OR", result, part)
    return result


def _alias(text: str) -> str:
    """A plain, unreserved output name: `avg satisfaction` -> `avg_satisfaction`."""
    name = _ALIAS_RE.sub("_", text.strip()).strip("_") or "value"
    if name[0].isdigit():
        name = "_" + name
    return name + "_" if is_reserved(name) else name


def _unique(name: str, taken: set[str | None]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    return candidate


def _fresh(hint: str, used: set[str]) -> str:
    """A new one-letter alias from the hint's letters (`i` for items), else x, y, z, x2..."""
    letters = [ch for ch in hint.lower() if "a" <= ch <= "z"]
    for name in [*dict.fromkeys(letters), "x", "y", "z"]:
        if name not in used and not is_reserved(name):
            used.add(name)
            return name
    n = 2
    while f"x{n}" in used:
        n += 1
    used.add(f"x{n}")
    return f"x{n}"


def check_order(reader: Reader, question: str, today: date, intent: Intent) -> None:
    """Refuse a stated direction (`newest first`) that the intent does not sort by: the
    reader keeps a direction only with a sort key, and an unsorted answer would be wrong."""
    if intent.order is not None:
        return
    for item in reader.tagger.tag(question, today):
        if item.mkind == "dir":
            raise refuse(f"tell what to sort by for '{item.text}'")


# -- explanations -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Shown(ColumnRef):
    """A column reference that prints as its property path (`customer.country`)."""

    text: str = ""

    def __str__(self) -> str:
        return self.text


def explain_cosmos(
    model: ContainerModel, intent: Intent, today: date | None = None, reference: str = "today"
) -> str:
    """The one-line explanation, with tables and columns named by their property paths."""

    def col(ref: ColumnRef) -> ColumnRef:
        return _Shown(ref.table, ref.column, model.path(ref.table, ref.column))

    def fil(f: Filter) -> Filter:
        return replace(f, column=col(f.column))

    def meas(m: Measure | None) -> Measure | None:
        if m is None:
            return None
        off = col(m.discount) if m.discount is not None else None
        terms = tuple(map(col, m.terms))
        return replace(m, table=model.path(m.table), terms=terms, discount=off)

    def key(k: GroupKey) -> GroupKey:
        column = col(k.column) if k.column is not None else None
        return replace(k, column=column, entity=model.path(k.entity) if k.entity else None)

    def rel(r: Related) -> Related:
        filters = tuple(map(fil, r.filters))
        return replace(r, table=model.path(r.table), measure=meas(r.measure), filters=filters)

    order = intent.order
    if order is not None and order.column is not None:
        order = replace(order, column=col(order.column))
    shown = replace(
        intent,
        subject=model.path(intent.subject),
        measure=meas(intent.measure),
        extra=tuple(m for m in map(meas, intent.extra) if m is not None),
        select=tuple(map(col, intent.select)),
        group_by=tuple(map(key, intent.group_by)),
        filters=tuple(map(fil, intent.filters)),
        related=tuple(map(rel, intent.related)),
        order=order,
    )
    return explain(shown, today, reference)
