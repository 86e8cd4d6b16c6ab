"""SQL building: an `Intent` becomes a sqlglot tree, rendered in the request's dialect.

Joins follow foreign keys. Filters on tables reached from the base table through a
one-to-many step go into EXISTS subqueries, so rows are never counted twice; a grouping
that fans out is only allowed for counts (of distinct keys), minimum and maximum.
"""

from __future__ import annotations

import dataclasses

from sqlglot import exp

from data_assistant import engines
from data_assistant.translate.offline.explain import describe_filter
from data_assistant.translate.offline.intent import (
    ColumnRef,
    Filter,
    GroupKey,
    Intent,
    Measure,
    Related,
    SelfLink,
)
from data_assistant.translate.offline.joins import Edge
from data_assistant.translate.offline.lexicon import SQL_RESERVED
from data_assistant.translate.offline.resolve import refuse
from data_assistant.translate.offline.schema_index import SchemaIndex, is_safe_identifier

# A negated condition and its positive form.
_POSITIVE = {"ne": "eq", "not_in": "in"}
_OPS = {"eq": exp.EQ, "ne": exp.NEQ, "gt": exp.GT, "ge": exp.GTE, "lt": exp.LT, "le": exp.LTE}
_GRAIN_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


def _like(col: exp.Expr, op: str, letters: str) -> exp.Expr:
    """`LOWER(col) LIKE 'mc%'`: the letters in any case, on every engine."""
    if any(ch in letters for ch in "%_\\"):
        raise refuse(f"match the letters '{letters}', which hold a wildcard")
    low = letters.lower()
    pattern = {"starts": f"{low}%", "ends": f"%{low}", "contains": f"%{low}%"}[op]
    return exp.Like(this=exp.Lower(this=col), expression=exp.Literal.string(pattern))


def ident(name: str) -> exp.Identifier:
    """An identifier, quoted when it is not a plain lower-case word or is reserved."""
    quoted = not is_safe_identifier(name) or name.lower() in SQL_RESERVED
    return exp.Identifier(this=name, quoted=quoted)


class SqlBuilder:
    """Builds one SELECT for an intent over one schema."""

    def __init__(self, index: SchemaIndex, dialect: str) -> None:
        self.index = index
        self.dialect = dialect
        # How the query reads the intent where the intent's own words would mislead.
        self.notes: list[str] = []
        # The count of a parent's rows when parents without rows are groups too.
        self.counted: exp.Expr | None = None

    # -- names --------------------------------------------------------------------------
    def table(self, key: str) -> exp.Table:
        table = self.index.tables[key].table
        db = ident(table.schema) if table.schema else None
        return exp.Table(this=ident(table.name), db=db)

    def col(self, ref: ColumnRef) -> exp.Column:
        return exp.Column(
            this=ident(ref.column), table=ident(self.index.tables[ref.table].table.name)
        )

    def _on(self, edge: Edge) -> exp.Expr:
        pairs = [
            exp.EQ(
                this=self.col(ColumnRef(edge.dst, d)), expression=self.col(ColumnRef(edge.src, s))
            )
            for s, d in zip(edge.src_columns, edge.dst_columns, strict=True)
        ]
        return exp.and_(*pairs) if len(pairs) > 1 else pairs[0]

    # -- the query ----------------------------------------------------------------------
    def build(self, intent: Intent) -> str:
        """The SQL text of the intent in this builder's dialect."""
        return self.select(intent).sql(dialect=self.dialect)

    def select(self, intent: Intent) -> exp.Select:
        """The sqlglot tree of the intent."""
        self._check_text_dates(intent)
        base = intent.measure.table if intent.measure is not None else intent.subject
        intent = dataclasses.replace(
            intent,
            group_by=tuple(self._by_foreign_key(base, k) for k in intent.group_by),
            filters=tuple(self._key_by_foreign_key(base, f) for f in intent.filters),
        )
        group_tables = set()
        for key in intent.group_by:
            group_tables.add(key.entity or key.column.table)  # type: ignore[union-attr]
        if intent.order is not None and intent.order.column is not None:
            group_tables.add(intent.order.column.table)
        group_tables.update(t.table for t in intent.select)
        joined, fan_out = self._joins(base, group_tables)
        if self._every_group(intent, joined):
            # `how many members does each club have`: clubs without members count 0, so the
            # clubs are the rows and the members are joined to them.
            edge = joined[0]
            query = exp.select().from_(self.table(edge.dst))
            query = query.join(self.table(base), on=self._on(edge), join_type="left")
            self.counted = exp.Count(this=self.col(ColumnRef(base, edge.src_columns[0])))
        elif self._every_group_linked(intent, joined):
            # `how many products does each store sell`, through store_product: stores
            # selling none count 0; each product once, however often the pair is listed
            link, edge = joined[1].src, joined[1]
            query = exp.select().from_(self.table(edge.dst))
            query = query.join(self.table(link), on=self._on(edge), join_type="left")
            counted = self.col(ColumnRef(link, joined[0].dst_columns[0]))
            self.counted = exp.Count(this=exp.Distinct(expressions=[counted]))
        else:
            query = exp.select().from_(self.table(base))
            for edge in joined:
                query = query.join(self.table(edge.dst), on=self._on(edge))
        in_main = {base} | {e.dst for e in joined}
        self._where(query, base, in_main, intent.filters, intent.related)
        if intent.self_link is not None:
            query.where(self._self_condition(intent.self_link), copy=False)
        if intent.kind == "aggregate":
            assert intent.measure is not None
            self._aggregate(query, intent, fan_out)
        else:
            columns = intent.select or self.shown(base, intent.wide)
            query = query.select(*(self.col(c) for c in columns))
            if intent.kind == "distinct":
                query = query.distinct()
        if intent.order is not None:
            if intent.order.column is not None:
                order_key: exp.Expr = self.col(intent.order.column)
            elif intent.rank_only:
                assert intent.measure is not None
                order_key = self.counted or self.measure_expr(intent.measure, distinct_key=fan_out)
            else:
                order_key = exp.column(ident(self._alias(intent.measure)))
            query = query.order_by(exp.Ordered(this=order_key, desc=intent.order.desc))
        if intent.limit is not None:
            query = query.limit(intent.limit)
        return query

    def _check_text_dates(self, intent: Intent) -> None:
        """Dates kept as text that does not sort by date are shown, never compared, sorted,
        bucketed or taken the lowest or highest of."""
        used = [m.terms[0] for m in (intent.measure, *intent.extra) if m is not None
                and m.func in {"min", "max"} and m.terms]  # fmt: skip
        used += [f.column for f in intent.filters if f.op in {"range", "gt", "ge", "lt", "le"}]
        used += [f.column for r in intent.related for f in r.filters if f.op == "range"]
        used += [k.column for k in intent.group_by if k.grain is not None and k.column]
        if intent.order is not None and intent.order.column is not None:
            used.append(intent.order.column)
        for ref in used:
            if self.index.text_date(ref):
                raise refuse(f"compare dates of {ref.table}.{ref.column}: they are text that "
                             "does not sort by date")  # fmt: skip

    @staticmethod
    def _every_group(intent: Intent, joined: list[Edge]) -> bool:
        """Whether the intent counts the rows of each parent, with nothing else to filter or
        compute: then a parent with no rows is a group too (count 0)."""
        m = intent.measure
        return (
            intent.kind == "aggregate"
            and m is not None
            and m.func == "count"
            and not m.terms
            and not intent.extra
            and not intent.filters
            and not intent.related
            and intent.having is None
            and len(intent.group_by) == 1
            and intent.group_by[0].entity is not None
            and len(joined) == 1
            and joined[0].to_parent
            and joined[0].dst == intent.group_by[0].entity
            and len(joined[0].src_columns) == 1
        )

    def _every_group_linked(self, intent: Intent, joined: list[Edge]) -> bool:
        """Like `_every_group`, with the rows counted reached through a link table."""
        if len(joined) != 2 or not self._every_group(intent, joined[1:]):
            return False
        first, second = joined
        return (
            not first.to_parent
            and first.dst == second.src
            and self.index.tables[first.dst].links_rows
            and len(first.dst_columns) == 1
        )

    def _by_foreign_key(self, base: str, key: GroupKey) -> GroupKey:
        """Grouping by a parent with no naming column shows its key: the base's own foreign
        key holds it, and joining would drop rows whose parent is missing."""
        if key.entity is None or key.entity == base or key.shown:
            return key
        if self.index.tables[key.entity].label:
            return key
        fk = self._foreign_key(base, key.entity)
        return key if fk is None else GroupKey(column=fk)

    def _key_by_foreign_key(self, base: str, f: Filter) -> Filter:
        """`customers of store 1`: the customers' own store_id, no join to stores."""
        table = f.column.table
        if table == base or self.index.tables[table].pk != (f.column.column,):
            return f
        fk = self._foreign_key(base, table)
        return f if fk is None else dataclasses.replace(f, column=fk)

    def _foreign_key(self, base: str, parent: str) -> ColumnRef | None:
        """The column of `base` that holds `parent`'s one-column key, if one join links them."""
        path = self.index.graph.path(base, parent)
        if path is None or len(path) != 1 or not path[0].to_parent:
            return None
        edge = path[0]
        if len(edge.src_columns) != 1 or tuple(edge.dst_columns) != self.index.tables[parent].pk:
            return None
        return ColumnRef(base, edge.src_columns[0])

    def shown(self, table: str, wide: bool = False) -> tuple[ColumnRef, ...]:
        """What a list of rows shows: the columns that name them (`which dorms ...` → their
        names), or every column when none does or when asked (`wide`)."""
        info = self.index.tables[table]
        names = (not wide and info.label) or tuple(c.name for c in info.table.columns)
        return tuple(ColumnRef(table, c) for c in names)

    def _joins(self, base: str, targets: set[str]) -> tuple[list[Edge], bool]:
        """Joins from `base` to every table to show or group by; and whether any fans out."""
        edges = self.index.graph.join_tree(base, targets - {base})
        if edges is None:
            raise refuse(f"find one clear way to join {', '.join(sorted(targets))} to {base}")
        return edges, any(not e.to_parent for e in edges)

    def _aggregate(self, query: exp.Select, intent: Intent, fan_out: bool) -> None:
        measure = intent.measure
        assert measure is not None
        if fan_out and measure.func in {"sum", "avg"}:
            raise refuse("add up values across a one-to-many join without counting rows twice")
        expr = self.counted or self.measure_expr(measure, distinct_key=fan_out)
        shown: list[exp.Expr] = []
        grouped: list[exp.Expr] = []
        for key in intent.group_by:
            if key.entity is not None:
                info = self.index.tables[key.entity]
                if not info.pk:
                    raise refuse(f"group by {key.entity}, which has no primary key")
                if not info.label and info.links_rows:
                    # `which policy is held by most customers` is not a (customer, policy) pair
                    raise refuse(f"tell what to show of {key.entity}, whose rows link other rows")
                label = key.shown or info.label or info.pk
                shown += [self.col(ColumnRef(key.entity, c)) for c in label]
                grouped += [
                    self.col(ColumnRef(key.entity, c)) for c in dict.fromkeys(info.pk + label)
                ]
            elif key.grain is not None:
                assert key.column is not None
                fmt = exp.Literal.string(_GRAIN_FORMATS[key.grain])
                bucket = exp.TimeToStr(this=self.col(key.column), format=fmt)
                shown.append(exp.alias_(bucket, ident(key.grain)))
                grouped.append(bucket.copy())
            else:
                assert key.column is not None
                shown.append(self.col(key.column))
                grouped.append(self.col(key.column))
        if intent.rank_only and shown:
            query.select(*shown, copy=False)
        else:
            query.select(*shown, exp.alias_(expr, ident(self._alias(measure))), copy=False)
        for more in intent.extra:
            if fan_out and more.func in {"sum", "avg"}:
                raise refuse("add up values across a one-to-many join without counting rows twice")
            value = self.measure_expr(more, distinct_key=fan_out)
            query.select(exp.alias_(value, ident(self._alias(more))), copy=False)
        if grouped:
            query.group_by(*grouped, copy=False)
        if intent.having is not None:
            op, number = intent.having
            query.having(_OPS[op](this=expr.copy(), expression=_number(number)), copy=False)

    def measure_expr(self, measure: Measure, distinct_key: bool = False) -> exp.Expr:
        """COUNT(*), COUNT(DISTINCT x), SUM(a * b), AVG(x), ..."""
        if not measure.terms:
            if not distinct_key:
                return exp.Count(this=exp.Star())
            pk = self.index.tables[measure.table].pk
            if len(pk) != 1:
                raise refuse(f"count {measure.table} across a one-to-many join")
            return exp.Count(
                this=exp.Distinct(expressions=[self.col(ColumnRef(measure.table, pk[0]))])
            )
        value: exp.Expr = self.col(measure.terms[0])
        for term in measure.terms[1:]:
            value = exp.Mul(this=value, expression=self.col(term))
        if measure.discount is not None:
            off = exp.Sub(this=exp.Literal.number(1), expression=self.col(measure.discount))
            value = exp.Mul(this=value, expression=exp.Paren(this=off))
        if measure.func == "count":
            return exp.Count(this=exp.Distinct(expressions=[value]))
        func = {"sum": exp.Sum, "avg": exp.Avg, "min": exp.Min, "max": exp.Max}[measure.func]
        return func(this=value)

    def _alias(self, measure: Measure | None) -> str:
        if measure is None:
            return "value"
        if measure.label in {"revenue", "sold", "count"}:
            return {"sold": "units_sold"}.get(measure.label, measure.label)
        return "_".join(w for w in measure.label.lower().replace(".", " ").split())

    # -- conditions ---------------------------------------------------------------------
    def _where(
        self,
        query: exp.Select,
        base: str,
        in_main: set[str],
        filters: tuple[Filter, ...],
        related: tuple[Related, ...],
    ) -> None:
        """Plain conditions for joined tables; EXISTS / IN subqueries for the others."""
        groups: dict[Edge, list[Filter]] = {}
        kinds: dict[Edge, Related] = {}
        for f in filters:
            if f.column.table not in in_main:
                first = self._reach(query, base, f.column.table, in_main)
                if first is not None:
                    groups.setdefault(first, []).append(f)
                    continue
            if f.joined == "all":
                raise refuse(f"match both values on one {f.column.table} row: it holds one "
                             f"{f.column.column}")  # fmt: skip
            query.where(self.condition(f), copy=False)
        for rel in related:
            first = self._reach(query, base, rel.table, in_main)
            if first is None:
                raise refuse(f"link {rel.table} to {base} as a list of related rows")
            if first in kinds:
                raise refuse(f"apply two conditions on {rel.table} at once")
            kinds[first] = rel
            groups.setdefault(first, [])
        for edge, fs in groups.items():
            kind = kinds.get(edge)
            every = [*fs, *(kind.filters if kind is not None else ())]
            if any(f.op == "in" and f.joined == "and" for f in every):
                # `customers who ordered Buds and Phone X`: both, or either? Not guessed.
                col = next(f.column for f in every if f.op == "in")
                raise refuse(f"tell whether {col.table} rows must hold all of these values "
                             "or any (say 'both' or 'either')")  # fmt: skip
            each = [f for f in every if f.joined == "all"]
            if not each:
                query.where(self._subquery(edge, fs, kind), copy=False)
                continue
            if len(each) != len(every) or (kind is not None and kind.kind != "some"):
                raise refuse(f"combine 'both' with other conditions on {edge.dst}")
            for f in each:  # `both X and Y`: a related row with X, and one with Y
                query.where(self._subquery(edge, [f], None), copy=False)

    def _reach(self, query: exp.Select, base: str, table: str, in_main: set[str]) -> Edge | None:
        """Join the parents on the way to `table`; return the first one-to-many edge, if any."""
        first, prefix = self._split(base, table, in_main)
        for edge in prefix:
            query.join(self.table(edge.dst), on=self._on(edge), copy=False)
            in_main.add(edge.dst)
        return first

    def _split(self, base: str, table: str, in_main: set[str]) -> tuple[Edge | None, list[Edge]]:
        """The first one-to-many edge on the path to `table`, and the parent joins before it."""
        path = self.index.graph.path(base, table)
        if path is None:
            raise refuse(f"find one clear way to join {table} to {base}")
        prefix: list[Edge] = []
        for edge in path:
            if not edge.to_parent:
                return edge, prefix
            if edge.dst not in in_main:
                prefix.append(edge)
        return None, prefix

    def _subquery(self, first: Edge, filters: list[Filter], rel: Related | None) -> exp.Expr:
        targets = {f.column.table for f in filters}
        if rel is not None:
            targets.add(rel.table)
            targets |= {f.column.table for f in rel.filters}
        inner = self.index.graph.join_tree(first.dst, targets - {first.dst})
        if inner is None:
            raise refuse(f"find one clear way to join {', '.join(sorted(targets))}")
        inner = [e for e in inner if e.dst != first.src]
        if rel is not None and rel.kind == "having":
            return self._having(first, inner, filters, rel)
        none = rel is not None and rel.kind == "none"
        negated = [f for f in filters if f.op in _POSITIVE]
        if negated:
            # "dorms that don't have a TV lounge": no related row has it — not "a related row
            # that is something else", which nearly every row has.
            if len(negated) != len(filters) or rel is not None:
                raise refuse(f"combine a negated condition with others on {first.dst}")
            filters = [dataclasses.replace(f, op=_POSITIVE[f.op]) for f in filters]
            none = True
            wanted = " and ".join(describe_filter(f) for f in filters)
            self.notes.append(f"read as: no {first.dst} row has {wanted}")
        sub = exp.select(exp.Literal.number(1)).from_(self.table(first.dst))
        for edge in inner:
            sub = sub.join(self.table(edge.dst), on=self._on(edge))
        sub = sub.where(self._on(first))
        for f in [*filters, *(rel.filters if rel else ())]:
            sub = sub.where(self.condition(f))
        exists = exp.Exists(this=sub)
        return exp.Not(this=exists) if none else exists

    def _self_condition(self, link: SelfLink) -> exp.Expr:
        """`outer IN (SELECT inner FROM t AS linked WHERE ...)`: the table again, aliased."""
        alias = "linked"
        name = self.index.tables[link.inner.table].table.name

        def aliased(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Column) and node.table == name:
                return exp.Column(this=node.this.copy(), table=ident(alias))
            return node

        sub = exp.select(aliased(self.col(link.inner)))
        sub = sub.from_(exp.alias_(self.table(link.inner.table), alias, table=True))
        for f in link.filters:
            sub = sub.where(self.condition(f).transform(aliased))
        return exp.In(this=self.col(link.outer), query=exp.Subquery(this=sub))

    def _any_case(self, f: Filter) -> bool:
        info = self.index.column(f.column)
        return (
            f.op in {"eq", "ne", "in", "not_in"}
            and info.kind == "text"
            and not info.column.samples
            and all(isinstance(v, str) for v in f.values)
        )

    def _having(
        self, first: Edge, inner: list[Edge], filters: list[Filter], rel: Related
    ) -> exp.Expr:
        assert rel.measure is not None and rel.op is not None and rel.value is not None
        if len(first.src_columns) != 1:
            raise refuse("compare totals over a composite key")
        link = self.col(ColumnRef(first.dst, first.dst_columns[0]))
        root = rel.measure.table
        filters = [*filters, *rel.filters]
        edges = self.index.graph.join_tree(root, {first.dst} | {f.column.table for f in filters})
        if edges is None:
            raise refuse(f"find one clear way to join {rel.table}")
        if any(not e.to_parent for e in edges):
            raise refuse("add up values across a one-to-many join without counting rows twice")
        sub = exp.select(link).from_(self.table(root))
        for edge in edges:
            sub = sub.join(self.table(edge.dst), on=self._on(edge))
        for f in filters:
            sub = sub.where(self.condition(f))
        measure = self.measure_expr(rel.measure)
        cmp = _OPS[rel.op](this=measure, expression=_number(rel.value))
        sub = sub.group_by(link.copy()).having(cmp)
        outer = self.col(ColumnRef(first.src, first.src_columns[0]))
        return exp.In(this=outer, query=sub.subquery())

    def condition(self, f: Filter) -> exp.Expr:
        """One filter as a boolean expression."""
        col: exp.Expr = self.col(f.column)
        if self._any_case(f):
            # `actors named Allen` where the data says ALLEN: a name whose spelling the
            # samples do not show is compared in any case.
            col = exp.Lower(this=col)
            f = dataclasses.replace(f, values=tuple(str(v).lower() for v in f.values))
        if f.op in _OPS:
            return _OPS[f.op](this=col, expression=_literal(f.values[0]))
        if f.op in {"above_avg", "below_avg", "is_max", "is_min"}:
            # `above the average`, `the most docks`: against the column over all rows of its
            # table
            func = {"above_avg": exp.Avg, "below_avg": exp.Avg, "is_max": exp.Max}.get(
                f.op, exp.Min
            )
            whole = exp.select(func(this=self.col(f.column))).from_(self.table(f.column.table))
            side = {"above_avg": exp.GT, "below_avg": exp.LT}.get(f.op, exp.EQ)
            return side(this=col, expression=exp.Subquery(this=whole))
        if f.op in {"in", "not_in"}:
            cond = exp.In(this=col, expressions=[_literal(v) for v in f.values])
            return exp.Not(this=cond) if f.op == "not_in" else cond
        if f.op in {"starts", "ends", "contains"}:
            return _like(col, f.op, str(f.values[0]))
        if f.op == "between":
            return exp.Between(this=col, low=_literal(f.values[0]), high=_literal(f.values[1]))
        if f.op == "null":
            return exp.Is(this=col, expression=exp.Null())
        if f.op == "not_null":
            return exp.Not(this=exp.Is(this=col, expression=exp.Null()))
        if f.op == "zero":
            zero = exp.Literal.number(0)
            return exp.EQ(this=exp.Coalesce(this=col, expressions=[zero]), expression=zero.copy())
        if f.op in {"true", "false"}:
            return exp.EQ(this=col, expression=self._bool(f.column, f.op == "true"))
        if f.op == "range" and self.index.column(f.column).kind == "number":
            return self._year_range(f, col)
        if f.op == "range":
            rng = f.date_range
            assert rng is not None
            parts: list[exp.Expr] = []
            if rng.start is not None:
                parts.append(
                    exp.GTE(this=col, expression=exp.Literal.string(rng.start.isoformat()))
                )
            if rng.end is not None:
                parts.append(
                    exp.LT(this=col.copy(), expression=exp.Literal.string(rng.end.isoformat()))
                )
            return exp.and_(*parts)
        raise refuse(f"write the condition '{f.op}'")

    def _year_range(self, f: Filter, col: exp.Expr) -> exp.Expr:
        """A date range on a year column: whole years only (`in 2007`, `before 1850`)."""
        rng = f.date_range
        assert rng is not None
        ends = [d for d in (rng.start, rng.end) if d is not None]
        if any((d.month, d.day) != (1, 1) for d in ends):
            raise refuse(f"compare {f.column.table}.{f.column.column}, a year, with '{rng.text}'")
        parts: list[exp.Expr] = []
        if rng.start is not None:
            parts.append(exp.GTE(this=col, expression=exp.Literal.number(rng.start.year)))
        if rng.end is not None:
            parts.append(exp.LT(this=col.copy(), expression=exp.Literal.number(rng.end.year)))
        return exp.and_(*parts)

    def _bool(self, ref: ColumnRef, value: bool) -> exp.Expr:
        column = self.index.column(ref).column
        samples = {s.lower(): s for s in column.samples}
        for pair in (("1", "0"), ("true", "false"), ("t", "f"), ("y", "n"), ("yes", "no")):
            if samples and set(samples) <= set(pair) and (pair[0] in samples or pair[1] in samples):
                word = pair[0 if value else 1]
                return exp.Literal.string(samples.get(word, word))
        if "BOOL" in (column.type or "").upper() and _native_booleans(self.dialect):
            return exp.true() if value else exp.false()
        return exp.Literal.number(1 if value else 0)


def _literal(value: object) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Literal.number(int(value))
    if isinstance(value, int | float):
        return _number(value)
    return exp.Literal.string(str(value))


def _number(value: float | int) -> exp.Expr:
    if value < 0:
        return exp.Neg(this=exp.Literal.number(-value))
    return exp.Literal.number(value)


def _native_booleans(dialect: str) -> bool:
    """Whether the engine of `dialect` has TRUE and FALSE values (an unknown one: no)."""
    try:
        return engines.get(dialect).native_booleans
    except ValueError:
        return False
