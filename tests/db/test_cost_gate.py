"""The cost gate, on the real engines that estimate: a plan above the limit never runs.

PostgreSQL and DuckDB EXPLAIN and MariaDB's EXPLAIN rows are read inside the question's
read-only transaction, before the query; above the source's `max_estimated_rows` the query is
refused with a reason the model can act on, and the model is asked again with it.
"""

from __future__ import annotations

import time

import pytest

from data_assistant.engines.cost import magnitude
from data_assistant.errors import GuardRejection
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.conftest import demo_url_for
from tests.db.helpers import ask, client_for, settings_with
from tests.llm_stub import ChatStub

ESTIMATING = ("postgres", "mariadb", "duckdb")
# About 6e11 combinations, minutes of work on any engine (as in test_timeouts.py).
HEAVY = (
    "SELECT COUNT(*) AS n FROM order_items a CROSS JOIN order_items b CROSS JOIN products p "
    "WHERE (a.id + b.id * 3 + p.id) % 7 = 3"
)
SERIES = {
    "postgres": "SELECT COUNT(*) AS n FROM generate_series(1, 1000000000000) AS g",
    "duckdb": "SELECT COUNT(*) AS n FROM range(1000000000000)",
    "mariadb": "SELECT COUNT(*) AS n FROM order_items a, order_items b, order_items c "
    "WHERE a.id + b.id + c.id > 0",
}


@pytest.fixture(params=ESTIMATING)
def demo(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param, demo_url_for(request, request.param)


def _source(url: str, **settings: object) -> SqlSource:
    return SqlSource("demo", SourceSettings(url=url, timeout_s=30, **settings))


@pytest.mark.parametrize("sql", ["heavy", "series"])
def test_a_huge_plan_is_refused_before_it_runs(demo: tuple[str, str], sql: str) -> None:
    engine, url = demo
    source = _source(url)
    try:
        started = time.monotonic()
        with pytest.raises(GuardRejection, match=r"would read about .* rows") as caught:
            source.execute(HEAVY if sql == "heavy" else SERIES[engine], max_rows=10)
        assert time.monotonic() - started < 5, "refused from the plan, not after running"
        assert "add join conditions or filters" in caught.value.reason
        # The same transaction was rolled back; the pool serves the next question.
        assert source.execute("SELECT COUNT(*) AS n FROM regions", max_rows=1).rows == [[5]]
    finally:
        source.close()


def test_an_ordinary_analytic_query_passes_the_gate(demo: tuple[str, str]) -> None:
    _, url = demo
    source = _source(url)
    try:
        result = source.execute(
            "SELECT r.name, COUNT(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id "
            "JOIN regions r ON r.id = c.region_id GROUP BY r.name ORDER BY r.name",
            max_rows=10,
        )
        assert len(result.rows) == 5
    finally:
        source.close()


def test_the_limit_is_the_sources_setting(demo: tuple[str, str]) -> None:
    _, url = demo
    tight = _source(url, max_estimated_rows=10)
    try:
        with pytest.raises(GuardRejection, match=r"allows \(10\)"):
            tight.execute("SELECT id FROM orders", max_rows=5)
    finally:
        tight.close()


def test_the_model_is_told_why_and_asked_again(request: pytest.FixtureRequest, llm: ChatStub):
    url = demo_url_for(request, "postgres")
    settings = settings_with(llm, demo={"url": url})
    with client_for(settings) as client:
        llm.sql(HEAVY, "SELECT COUNT(*) AS n FROM order_items")
        result = ask(client, "demo", "how many line combinations are there?")
    assert result["status"] == 200
    correction = llm.requests[1]["body"]["messages"][-1]["content"]
    assert "would read about" in correction and "join conditions" in correction


@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        (7, "7"),
        (950, "950"),
        (1_000, "10^3"),
        (1.5e9, "2 x 10^9"),
        (6.4e11, "6 x 10^11"),
        (9.6e11, "10^12"),
        (1e12, "10^12"),
    ],
)
def test_estimates_are_shown_by_their_order(rows: float, shown: str) -> None:
    assert magnitude(rows) == shown
