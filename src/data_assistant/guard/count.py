"""The COUNT(*) that tells how many rows a guarded query yields."""

from __future__ import annotations

from sqlglot import exp


def count_query(expression: exp.Expression, *, dialect: str) -> str:
    """SQL counting the rows of `expression` (its own LIMIT kept, a needless ORDER BY dropped)."""
    inner = expression.copy()
    # An ORDER BY without a limit changes no count, costs a sort, and T-SQL forbids it here.
    # (sqlglot keeps TOP and FETCH under `limit` too.)
    if inner.args.get("order") and not (inner.args.get("limit") or inner.args.get("offset")):
        inner.set("order", None)
    # T-SQL forbids WITH inside a derived table, so the CTEs move to the outer query.
    ctes = inner.args.get("with_")
    inner.set("with_", None)
    counted = exp.select(exp.Count(this=exp.Star()).as_("row_count")).from_(
        exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_q")))
    )
    if ctes is not None:
        counted.set("with_", ctes)
    return counted.sql(dialect=dialect)
