"""Fenced policies, proven on each real engine: the filter runs before the query's conditions.

Each engine gets a condition that raises an error on a hidden row's value (a cast that fails
only on another tenant's note, an overflow only its length causes). Run over the whole table
it fails, so it would see a hidden row if one reached it; through the pipeline, under the
tenant's row policy, the same query must neither fail nor show anything but the tenant's rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from data_assistant.engines import get
from data_assistant.errors import QueryFailed
from data_assistant.settings import SourcePolicies
from tests.db.tenants import (
    ENGINES,
    FAILS_ON_HIDDEN,
    MEMBER_POLICIES,
    POLICIES,
    SECRET,
    T1,
    assistant,
    notes_url,
    run,
)

SHAPES = {
    "where": "SELECT id FROM notes WHERE {cond} ORDER BY id",
    "count": "SELECT COUNT(*) AS n FROM notes WHERE {cond}",
    "join-condition": "SELECT a.id FROM notes a JOIN notes b ON b.id = a.id AND {cond_b} "
    "ORDER BY a.id",
    "subquery": "SELECT id FROM notes WHERE id IN (SELECT id FROM notes WHERE {cond}) ORDER BY id",
    "having": "SELECT tenant FROM notes GROUP BY tenant, note HAVING {cond} ORDER BY tenant",
    "case": "SELECT SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS n FROM notes",
}
EXPECTED = {
    "where": [{"id": 1}, {"id": 2}],
    "count": [{"n": 2}],
    "join-condition": [{"id": 1}, {"id": 2}],
    "subquery": [{"id": 1}, {"id": 2}],
    "having": [{"tenant": "t1"}, {"tenant": "t1"}],
    "case": [{"n": 2}],
}


@pytest.fixture(scope="module", params=ENGINES)
def engine_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp(request.param)
    return request.param, notes_url(request, request.param, folder)


def _run_directly(url: str, sql: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("policies", [POLICIES, MEMBER_POLICIES], ids=["equality", "membership"])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_condition_that_fails_on_a_hidden_row_never_sees_one(
    engine_url, shape: str, policies: dict
) -> None:
    engine, url = engine_url
    cond = FAILS_ON_HIDDEN[engine]
    sql = SHAPES[shape].format(cond=cond, cond_b=cond.replace("note", "b.note"))
    with pytest.raises(sa.exc.DBAPIError):
        _run_directly(url, sql)  # unfiltered, a hidden row does raise
    with assistant(url, policies=policies) as helper:
        answer = run(helper, sql, T1)
    assert answer.result.rows == EXPECTED[shape]
    assert SECRET not in repr(answer.result.rows)


def test_fencing_is_the_default_and_barrier_false_the_only_way_out() -> None:
    assert SourcePolicies().barrier is True
    assert SourcePolicies(barrier=False).barrier is False


@pytest.mark.parametrize(
    ("engine", "fence"),
    [
        ("postgres", "OFFSET 0) AS notes"),
        ("sqlite", "LIMIT -1 OFFSET 0) AS notes"),
        ("mysql", "LIMIT 18446744073709551615) AS notes"),
        ("mariadb", "LIMIT 18446744073709551615) AS notes"),
        ("duckdb", "OFFSET 0) AS notes"),
        ("tsql", "SELECT TOP 9223372036854775807"),
    ],
)
def test_each_engine_writes_its_own_fence(engine: str, fence: str) -> None:
    from sqlglot import parse_one

    from data_assistant.guard.row_policy import apply_row_policies

    db = get(engine)
    tree = parse_one("SELECT id FROM notes WHERE id = 1", read=db.dialect)
    out, _ = apply_row_policies(
        tree, dialect=db, policies={"notes": "tenant = :claims.t"}, claims={"t": "a"}
    )
    assert fence in out.sql(dialect=db.dialect)


def test_unfenced_a_membership_policy_lets_a_hidden_row_raise_on_postgres(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # Why the fence is the default: without it PostgreSQL joins the membership after
    # scanning notes with the query's own condition, which then meets t2's note.
    url = notes_url(request, "postgres", tmp_path)
    sql = "SELECT id FROM notes WHERE CAST(note AS integer) > 0 ORDER BY id"
    with assistant(url, policies={**MEMBER_POLICIES, "barrier": False}) as helper:
        with pytest.raises(QueryFailed) as caught:
            run(helper, sql, T1)
        # Even then the error text does not carry the hidden value (engines/errors.py).
        assert SECRET not in caught.value.reason
        assert "OFFSET 0" not in caught.value.sql
    with assistant(url, policies=MEMBER_POLICIES) as helper:
        fenced = run(helper, sql, T1)
    assert fenced.result.rows == [{"id": 1}, {"id": 2}] and "OFFSET 0" in fenced.query
