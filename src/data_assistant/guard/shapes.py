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

    def link_by(condition: exp.Expr) -> None:
        for conjunct in condition.flatten() if isinstance(condition, exp.And) else (condition,):
            left, right = conjunct.this, conjunct.args.get("expression")
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                # `a.x = b.y` and its like, the usual join condition, read directly.
                pair = {index.get(left.table.casefold()), index.get(right.table.casefold())}
                if None not in pair:
                    if len(pair) > 1:
                        link(pair)  # type: ignore[arg-type]
                    continue
            referenced, bare = _columns(conjunct, index)
            if bare > 1 or (bare and referenced):
                link(set(range(len(sources))))  # a bare column could link anything
            elif len(referenced) > 1:
                link(referenced)

    counted = [i for i, source in enumerate(sources) if not _one_row(source)]

    def groups() -> set[int]:
        return {find(i) for i in counted}

    for position, join in enumerate(joins, start=1):
        if join.args.get("using") or join.args.get("method") or _is_lateral(join.this):
            # USING, NATURAL and LATERAL link a source to those before it.
            link(set(range(position + 1)))
        elif isinstance(join.this, exp.Subquery):
            linked = _columns(join.this, index)[0] - {position}
            if linked:
                link(linked | {position})
        on = join.args.get("on")
        if on is not None:
            link_by(on)
    # Most queries are linked by their ON conditions: their WHERE is not walked.
    where = select.args.get("where")
    if len(groups()) > MAX_UNLINKED and where is not None:
        link_by(where.this)
    found = groups()
    if len(found) > MAX_UNLINKED:
        shown = ", ".join(n for n in names if n)
        raise GuardRejection(
            f"The query multiplies {len(found)} unjoined groups of tables ({shown}), which "
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


_NAMED_SOURCES = (exp.Table, exp.Subquery, exp.Unnest, exp.Lateral)


def _source_name(source: exp.Expr) -> str:
    if isinstance(source, exp.Table):
        # alias_or_name, read directly: this runs for every source of every join.
        alias = source.args.get("alias")
        name = alias.this if alias is not None and alias.this is not None else source.this
        return name.name.casefold() if isinstance(name, exp.Identifier) else ""
    if isinstance(source, _NAMED_SOURCES):
        return source.alias_or_name.casefold()
    return ""


def _is_lateral(source: exp.Expr) -> bool:
    return isinstance(source, exp.Lateral) or (
        isinstance(source, exp.Subquery) and bool(source.args.get("lateral"))
    )


def _columns(node: exp.Expr, index: dict[str, int]) -> tuple[set[int], int]:
    """The sources a node's columns name, and how many columns name none."""
    named: set[int] = set()
    bare = 0
    for column in node.find_all(exp.Column):
        table = column.table
        if not table:
            bare += 1
        elif (found := index.get(table.casefold())) is not None:
            named.add(found)
    return named, bare


def _one_row(source: exp.Expr) -> bool:
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


def _branches(node: exp.Expr) -> list[exp.Expr]:
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
