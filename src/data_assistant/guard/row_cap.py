"""The row cap: a query returning at most N rows, written in the engine's own form.

LIMIT where the engine has it, TOP or OFFSET ... FETCH in T-SQL; the author's own smaller
limit is kept, a larger one lowered, and a limit that is not a plain number (a parameter,
PERCENT, WITH TIES) is kept inside a derived table capped outside.
"""

from __future__ import annotations

from sqlglot import exp

from data_assistant.engines import Engine

_LIMIT_FREE_MODIFIERS = ("limit", "offset", "order")
_CAPPED_ALIAS = "_capped"


def cap(query: exp.Expr, engine: Engine, rows: int) -> exp.Expr:
    """Cap `query` at `rows` in place where its own clause can carry it, else wrap it."""
    if isinstance(query, exp.Subquery) and not any(
        query.args.get(key) for key in _LIMIT_FREE_MODIFIERS
    ):
        inner = cap(query.this, engine, rows)
        return query if inner is query.this else inner
    if isinstance(query, exp.Values):
        # A VALUES list is bounded by its own text: keeping the first rows is the cap.
        if len(query.expressions) > rows:
            query.set("expressions", query.expressions[:rows])
        return query

    limit = query.args.get("limit")
    if limit is not None:
        count, plain = _limit_count(limit)
        if count is not None and plain:
            if count > rows:
                limit.set("count" if isinstance(limit, exp.Fetch) else "expression", _n(rows))
            return query
        if not (isinstance(limit, exp.Limit) and _means_no_limit(limit.expression)):
            # A parameter, an expression, PERCENT or WITH TIES: keep it and cap outside.
            return _wrap(query, rows)

    if engine.row_cap == "limit":
        query.set("limit", exp.Limit(expression=_n(rows)))
        return query
    # T-SQL: TOP cannot share a query with OFFSET, nor sit on a set operation.
    has_order = query.args.get("order") is not None
    if query.args.get("offset") is not None or (isinstance(query, exp.SetOperation) and has_order):
        if query.args.get("offset") is None:
            query.set("offset", exp.Offset(expression=_n(0)))
        query.set("limit", exp.Fetch(direction="NEXT", count=_n(rows)))
        return query
    if isinstance(query, exp.Select):
        query.set("limit", exp.Limit(expression=_n(rows)))
        return query
    return _wrap(query, rows)


def _limit_count(limit: exp.Expr) -> tuple[int | None, bool]:
    """The literal row count of a LIMIT, TOP or FETCH (None if not a literal), and whether
    it is plain, i.e. without PERCENT or WITH TIES."""
    options = limit.args.get("limit_options")
    plain = options is None or not (options.args.get("percent") or options.args.get("with_ties"))
    if isinstance(limit, exp.Fetch):
        count = limit.args.get("count")
        if count is None:  # FETCH FIRST ROW ONLY
            return 1, plain
    elif isinstance(limit, exp.Limit):
        count = limit.expression
    else:
        return None, plain
    if isinstance(count, exp.Literal) and not count.is_string and count.this.isdigit():
        return int(count.this), plain
    return None, plain


def _means_no_limit(count: exp.Expr | None) -> bool:
    return isinstance(count, exp.Null) or (isinstance(count, exp.Var) and count.name == "ALL")


def _wrap(query: exp.Expr, cap: int) -> exp.Select:
    """SELECT * FROM (query) AS _capped with the cap, the query's WITH moved outside."""
    # T-SQL allows no WITH inside a derived table, and every dialect accepts it outside.
    with_ = query.args.get("with_")
    if with_ is not None:
        query.set("with_", None)
    derived = exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier(_CAPPED_ALIAS)))
    outer = exp.Select(
        expressions=[exp.Star()],
        from_=exp.From(this=derived),
        limit=exp.Limit(expression=_n(cap)),
    )
    if with_ is not None:
        outer.set("with_", with_)
    return outer


def _n(value: int) -> exp.Expr:
    return exp.Literal.number(value)
