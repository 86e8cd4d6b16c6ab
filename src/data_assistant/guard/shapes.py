"""Query shapes that do unbounded work: unjoined products of many tables, endless recursion.

Both are refused with a reason a model can act on, before the database spends its timeout
on them. A product is counted per SELECT: its FROM and JOIN sources are linked by any
condition (ON, USING, WHERE, a correlated subquery) that names two of them, and three or
more groups left unlinked are refused. Sources known to hold one row (an aggregate without
GROUP BY, a LIMIT 1, a one-row VALUES) multiply nothing and are not counted. A condition
naming a column without its table could link anything, and is taken to link everything:
the cost gate and the timeout stand behind this check.
"""

from __future__ import annotations

from sqlglot import exp

from data_assistant.engines import Engine
from data_assistant.errors import GuardRejection
from data_assistant.guard.names import binds_to_cte

MAX_UNLINKED = 2


def check_products(select: exp.Select, sql: str) -> None:
    """Refuse a SELECT multiplying three or more unlinked groups of its sources."""
    from_ = select.args.get("from_")
    joins = select.args.get("joins") or []
    if from_ is None or len(joins) < MAX_UNLINKED:
        return
    sources = [from_.this, *(join.this for join in joins)]
    names = [_source_name(source) for source in sources]
    parent = list(range(len(sources)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(indices: set[int]) -> None:
        first, *rest = sorted(indices)
        for other in rest:
            parent[find(other)] = find(first)

    index = {name: i for i, name in enumerate(names) if name}
    conditions: list[exp.Expression] = []
    where = select.args.get("where")
    if where is not None:
        conditions.append(where.this)
    for position, join in enumerate(joins, start=1):
        if join.args.get("using") or join.args.get("method") or _is_lateral(join.this):
            # USING, NATURAL and LATERAL link a source to those before it.
            link(set(range(position + 1)))
        if join.args.get("on") is not None:
            conditions.append(join.args["on"])
        linked = _referenced(join.this, index) - {position}
        if linked:
            link(linked | {position})
    for condition in conditions:
        for conjunct in condition.flatten() if isinstance(condition, exp.And) else (condition,):
            referenced = _referenced(conjunct, index)
            if _has_bare_column(conjunct, len(referenced)):
                link(set(range(len(sources))))
            elif len(referenced) > 1:
                link(referenced)
    groups = {find(i) for i, source in enumerate(sources) if not _one_row(source)}
    if len(groups) > MAX_UNLINKED:
        shown = ", ".join(n for n in names if n)
        raise GuardRejection(
            f"The query multiplies {len(groups)} unjoined groups of tables ({shown}), which "
            "returns the product of their rows; join them with ON conditions on related "
            "columns.",
            sql=sql,
        )


def check_recursion(with_: exp.With, engine: Engine, sql: str) -> None:
    """Refuse a recursive CTE whose recursive part has nothing that could end it."""
    if not (with_.args.get("recursive") or engine.implicit_recursive_ctes):
        return
    for cte in with_.expressions:
        body = cte.this
        if not isinstance(body, exp.SetOperation) or body.args.get("limit") is not None:
            continue
        for branch in _branches(body):
            if not isinstance(branch, exp.Select) or not _reads_itself(branch, cte, engine):
                continue
            stops = (
                branch.args.get("where") is not None
                or branch.args.get("having") is not None
                or branch.args.get("limit") is not None
                or bool(branch.args.get("joins"))
            )
            if not stops:
                raise GuardRejection(
                    f"The recursive CTE '{cte.alias}' never stops: its recursive part has no "
                    "condition; add a WHERE clause that ends it (such as WHERE n < 100).",
                    sql=sql,
                )


def _source_name(source: exp.Expression) -> str:
    if isinstance(source, exp.Table | exp.Subquery | exp.Unnest | exp.Lateral):
        return source.alias_or_name.casefold()
    return ""


def _is_lateral(source: exp.Expression) -> bool:
    return isinstance(source, exp.Lateral) or (
        isinstance(source, exp.Subquery) and bool(source.args.get("lateral"))
    )


def _referenced(node: exp.Expression, index: dict[str, int]) -> set[int]:
    return {
        index[column.table.casefold()]
        for column in node.find_all(exp.Column)
        if column.table and column.table.casefold() in index
    }


def _has_bare_column(node: exp.Expression, qualified: int) -> bool:
    bare = sum(1 for column in node.find_all(exp.Column) if not column.table)
    return bare > 1 or (bare == 1 and qualified >= 1)


def _one_row(source: exp.Expression) -> bool:
    query = source.this if isinstance(source, exp.Subquery) else source
    if isinstance(query, exp.Values):
        return len(query.expressions) <= 1
    if not isinstance(query, exp.Select):
        return False
    limit = query.args.get("limit")
    count = limit.expression if isinstance(limit, exp.Limit) else None
    if isinstance(count, exp.Literal) and count.this == "1":
        return True
    if query.args.get("from_") is None:
        return True
    grouped = query.args.get("group") is not None
    return not grouped and all(isinstance(e.unalias(), exp.AggFunc) for e in query.expressions)


def _branches(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.SetOperation):
        return [*_branches(node.this), *_branches(node.expression)]
    if isinstance(node, exp.Subquery):
        return _branches(node.this)
    return [node]


def _reads_itself(branch: exp.Select, cte: exp.CTE, engine: Engine) -> bool:
    alias = cte.args.get("alias")
    ident = alias.this if isinstance(alias, exp.TableAlias) else None
    if not isinstance(ident, exp.Identifier):
        return False
    key = engine.key(ident)
    for table in branch.find_all(exp.Table):
        target = table.this
        if (
            isinstance(target, exp.Identifier)
            and not table.args.get("db")
            and engine.key(target) == key
            and binds_to_cte(table, target, key, engine)
        ):
            return True
    return False
