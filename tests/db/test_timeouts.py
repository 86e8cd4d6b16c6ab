"""Timeouts, proven on every engine: a heavy query stops within the source's limit plus a
second, the HTTP request gets 504, and the next request on the same pool is answered.

The elapsed-time assertion is a bound, not a benchmark. The cost gate would refuse the
heavy query before it runs (tests/db/test_cost_gate.py): these tests turn it off to reach
the timeout behind it, the last line for what no estimate sees.
"""

from __future__ import annotations

import time

import pytest

from data_assistant.errors import QueryTimeout
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.helpers import ask, client_for, settings_with
from tests.llm_stub import ChatStub

TIMEOUT_S = 1.0
# About 6e11 row combinations, minutes of work on any engine: a condition on all three
# tables at once is no join key, and column statistics cannot prove it false (DuckDB
# answers `a.quantity + b.quantity < 0` at once from them).
HEAVY = (
    "SELECT COUNT(*) AS n FROM order_items a CROSS JOIN order_items b CROSS JOIN products p "
    "WHERE (a.id + b.id * 3 + p.id) % 7 = 3"
)


def test_a_heavy_query_is_stopped_within_the_timeout(demo_url: str):
    settings = SourceSettings(
        url=demo_url, timeout_s=TIMEOUT_S, pool_size=1, max_estimated_rows=None
    )
    source = SqlSource("demo", settings)
    try:
        source.ping()  # connected already: only the query is timed
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="1 s limit"):
            source.execute(HEAVY, max_rows=10)
        elapsed = time.monotonic() - started
        assert elapsed < TIMEOUT_S + 1, f"stopped after {elapsed:.2f} s"
        assert source.execute("SELECT COUNT(*) FROM regions", max_rows=1).rows == [[5]]
    finally:
        source.close()


def test_the_request_gets_504_and_the_next_one_on_the_pool_is_answered(
    demo_url: str, llm: ChatStub
):
    demo = {"url": demo_url, "timeout_s": TIMEOUT_S, "pool_size": 1, "max_estimated_rows": None}
    settings = settings_with(llm, demo=demo)
    with client_for(settings) as client:
        llm.sql(HEAVY)
        result = ask(client, "demo", "how many combinations of lines are there?")
        assert result["status"] == 504
        assert result["body"]["title"] == "Query timed out"
        assert "1 s limit" in result["body"]["detail"]
        assert len(llm.requests) == 1, "a timeout is not sent back to the model"

        llm.sql("SELECT COUNT(*) AS n FROM regions")
        result = ask(client, "demo", "how many regions are there?")
        assert result["status"] == 200
        assert result["body"]["results"] == [{"n": 5}]
