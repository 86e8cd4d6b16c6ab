"""The cost gate: refuse a query the engine's planner expects to be huge, before it runs.

Where the engine estimates (PostgreSQL and DuckDB `EXPLAIN`, MySQL/MariaDB `EXPLAIN` rows),
the plan is asked for inside the question's read-only transaction, just before the query,
and a plan whose largest step exceeds the source's `max_estimated_rows` is refused with a
reason the model can act on. The estimate counts every step of the plan, so a LIMIT above a
huge product does not hide it. Estimates come from the planner's statistics of whole
tables: docs/security.md says what that implies under row policies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from data_assistant.engines.base import Engine
from data_assistant.errors import GuardRejection


def check_cost(
    engine: Engine,
    conn: sa.Connection,
    sql: str,
    params: Mapping[str, Any],
    max_rows: float | None,
) -> float | None:
    """The planner's estimate for `sql` (None where the engine gives none); raises
    GuardRejection when it exceeds `max_rows`. None for `max_rows` turns the gate off.

    A query the planner rejects raises the driver's error here, as the query itself would.
    """
    if not max_rows:
        return None
    rows = engine.estimate_rows(conn, sql, params)
    if rows is not None and rows > max_rows:
        raise GuardRejection(
            f"The query would read about {magnitude(rows)} rows by the database's estimate, "
            f"more than this source allows ({magnitude(max_rows)}); add join conditions or "
            "filters, or compute over fewer rows.",
            sql=sql,
        )
    return rows


def magnitude(rows: float) -> str:
    """`rows` to one significant digit, as `2 x 10^9`: the estimate's order, not its digits."""
    if rows < 1000:
        return str(round(rows))
    exponent = math.floor(math.log10(rows))
    mantissa = round(rows / 10**exponent)
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"10^{exponent}" if mantissa == 1 else f"{mantissa} x 10^{exponent}"
