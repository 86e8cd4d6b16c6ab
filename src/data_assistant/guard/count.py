"""The COUNT(*) that tells how many rows a guarded query yields."""

from __future__ import annotations

from sqlglot import exp


def count_query(expression: exp.Expression, *, dialect: str) -> str:
    """SQL counting the rows of `expression` (its own LIMIT kept, a needless ORDER BY dropped)."""
    inner = expression.copy()
    # An ORDER BY without a limit changes no count, costs a sort, and T-SQL forbids it here.
    if isinstance(inner, exp.Query) and inner.args.get("order") and not _limited(inner):
        inner.set("order", None)
    counted = exp.select(exp.Count(this=exp.Star()).as_("row_count")).from_(
        exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_q")))
    )
    return counted.sql(dialect=dialect)


def _limited(query: exp.Expression) -> bool:
    return any(query.args.get(key) for key in ("limit", "fetch", "offset")) or bool(
        isinstance(query, exp.Select) and query.args.get("top")
    )
