"""The Cosmos DB query guard: sources, parameters, caps, counts and row filters."""

from __future__ import annotations

from typing import Any

import pytest

from data_assistant.cosmosql import evaluate, parse
from data_assistant.errors import Forbidden, GuardRejection
from data_assistant.guard.cosmos_guard import (
    apply_document_policy,
    check_cosmos_query,
    compile_document_predicate,
)


def guard(query: str, max_items: int = 100, **options: Any):
    return check_cosmos_query(query, container="tickets", max_items=max_items, **options)


@pytest.mark.parametrize(
    ("query", "capped"),
    [
        ("SELECT * FROM c", "SELECT TOP 101 * FROM c"),
        ("SELECT TOP 500 * FROM c", "SELECT TOP 101 * FROM c"),
        ("SELECT TOP 5 * FROM c", "SELECT TOP 5 * FROM c"),
        ("SELECT * FROM c ORDER BY c.at OFFSET 10 LIMIT 1000",
         "SELECT * FROM c ORDER BY c.at OFFSET 10 LIMIT 101"),
        ("SELECT * FROM c OFFSET 0 LIMIT 20", "SELECT * FROM c OFFSET 0 LIMIT 20"),
        ("SELECT DISTINCT VALUE c.status FROM c", "SELECT DISTINCT TOP 101 VALUE c.status FROM c"),
        ("SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status",
         "SELECT TOP 101 c.status, COUNT(1) AS n FROM c GROUP BY c.status"),
        ("SELECT VALUE COUNT(1) FROM c", "SELECT VALUE COUNT(1) FROM c"),
        ("SELECT AVG(c.n) AS mean FROM c", "SELECT AVG(c.n) AS mean FROM c"),
        ("SELECT TOP @n * FROM c", "SELECT TOP 101 * FROM c"),
    ],
)  # fmt: skip
def test_a_cap_is_injected_or_lowered_to_one_more_than_the_limit(query: str, capped: str) -> None:
    assert guard(query, parameters={"@n": 1000}).query == capped


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("SELECT c.id FROM c WHERE c.n > 1 ORDER BY c.at",
         "SELECT VALUE COUNT(1) FROM (SELECT VALUE 1 FROM c WHERE c.n > @p0)"),
        ("SELECT TOP 500 * FROM c", "SELECT VALUE COUNT(1) FROM (SELECT TOP 500 VALUE 1 FROM c)"),
        ("SELECT DISTINCT VALUE c.s FROM c ORDER BY c.s",
         "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.s FROM c)"),
        ("SELECT TOP 100 * FROM c", None),
        ("SELECT VALUE COUNT(1) FROM c", None),
    ],
)  # fmt: skip
def test_a_count_over_the_uncapped_query_comes_when_results_may_be_cut(
    query: str, count: str | None
) -> None:
    assert guard(query).count_query == count


@pytest.mark.parametrize(
    ("query", "text", "parameters"),
    [
        ("SELECT * FROM c WHERE c.status = 'open'",
         "SELECT TOP 101 * FROM c WHERE c.status = @p0", {"@p0": "open"}),
        ("SELECT * FROM c WHERE 3 < c.n AND c.x != 2.5",
         "SELECT TOP 101 * FROM c WHERE @p0 < c.n AND c.x != @p1", {"@p0": 3, "@p1": 2.5}),
        ("SELECT * FROM c WHERE c.s IN ('a', 'b') OR c.n BETWEEN 1 AND 9",
         "SELECT TOP 101 * FROM c WHERE c.s IN (@p0, @p1) OR c.n BETWEEN @p2 AND @p3",
         {"@p0": "a", "@p1": "b", "@p2": 1, "@p3": 9}),
        ("SELECT * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = 'vip')",
         "SELECT TOP 101 * FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = @p0)",
         {"@p0": "vip"}),
        ("SELECT * FROM c WHERE c.flag = true AND c.gone = null",
         "SELECT TOP 101 * FROM c WHERE c.flag = true AND c.gone = null", {}),
        ("SELECT * FROM c WHERE CONTAINS(c.s, 'x')",
         "SELECT TOP 101 * FROM c WHERE CONTAINS(c.s, @p0)", {"@p0": "x"}),
    ],
)  # fmt: skip
def test_literals_in_where_become_parameters(
    query: str, text: str, parameters: dict[str, Any]
) -> None:
    guarded = guard(query)
    assert guarded.query == text
    assert guarded.parameters == parameters


def test_new_parameters_are_named_apart_from_given_ones() -> None:
    guarded = guard("SELECT * FROM c WHERE c.a = @p0 AND c.b = 'y'", parameters={"p0": "given"})
    assert guarded.query == "SELECT TOP 101 * FROM c WHERE c.a = @p0 AND c.b = @p1"
    assert guarded.parameters == {"@p0": "given", "@p1": "y"}


def test_parameterised_queries_give_the_same_results() -> None:
    docs = [{"id": str(i), "n": i, "s": "ab"[i % 2]} for i in range(10)]
    query = "SELECT VALUE c.id FROM c WHERE c.n >= 3 AND c.s IN ('a') ORDER BY c.n DESC"
    guarded = guard(query)
    assert evaluate(guarded.query, docs, parameters=guarded.parameters) == evaluate(query, docs)


def test_parameters_are_listed_as_the_sdk_sends_them() -> None:
    guarded = guard("SELECT * FROM c WHERE c.s = 'a'")
    assert guarded.parameter_list() == [{"name": "@p0", "value": "a"}]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM c",
        "SELECT * FROM root",
        "SELECT * FROM root r WHERE r.id = 'x'",
        "SELECT * FROM tickets",
        "SELECT * FROM tickets t",
        "SELECT VALUE t FROM t IN c.tags",
        "SELECT * FROM c.customer",
        "SELECT c.id, t FROM c JOIN t IN c.tags",
        "SELECT c.id FROM c JOIN (SELECT VALUE t FROM t IN c.tags WHERE t = 'x') x",
        "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.status FROM c)",
        "SELECT * FROM c WHERE EXISTS(SELECT VALUE i FROM i IN c.items WHERE i.qty > 1)",
        "SELECT 1 + 1 AS two",
    ],
)
def test_queries_over_this_container_pass(query: str) -> None:
    guard(query, other_containers=["orders", "tickets"])


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("SELECT * FROM orders o", "reads container 'orders'"),
        ("SELECT * FROM Orders", "reads container 'Orders'"),
        ("SELECT * FROM c JOIN o IN orders.items", "A JOIN must start from an alias in scope"),
        ("SELECT * FROM c WHERE EXISTS(SELECT VALUE o FROM o)", "A subquery must start from"),
        ("SELECT * FROM c JOIN c IN c.children", "The alias 'c' is bound twice"),
        ("SELECT * FROM c WHERE c.a = @missing", "uses @missing but no value was given"),
        ("SELECT TOP @n * FROM c", "@n must be bound to a non-negative integer"),
    ],
)
def test_queries_reaching_outside_the_container_are_rejected(query: str, reason: str) -> None:
    with pytest.raises(GuardRejection, match=reason) as info:
        guard(query, other_containers=["orders"], parameters={"n": "ten"})
    assert info.value.sql == query


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("SELEC * FROM c", "(line 1, column 1)"),
        ("SELECT * FROM c WHERE", "(line 1, column 22)"),
        ("SELECT * FROM c;\nDELETE FROM c", "(line 1, column 16)"),
        ("SELECT *\nFROM c\nWHERE c.a = 'open", "(line 3, column 13)"),
        ("UPDATE c SET c.a = 1", "(line 1, column 1)"),
    ],
)
def test_text_that_is_not_a_query_is_rejected_with_its_position(query: str, where: str) -> None:
    with pytest.raises(GuardRejection) as info:
        guard(query)
    assert info.value.reason.endswith(where)
    assert info.value.extra["line"] == int(where.split()[1].rstrip(","))


# ---------------------------------------------------------------- row filters


@pytest.mark.parametrize(
    ("query", "row_filter", "claims", "text", "bound"),
    [
        ("SELECT * FROM c WHERE c.status = 'open'", "c.tenantId = @claims.tid", {"tid": "t1"},
         "SELECT TOP 101 * FROM c WHERE c.tenantId = @claim0 AND c.status = @p0",
         {"@claim0": "t1", "@p0": "open"}),
        ("SELECT * FROM root r", "c.tenantId = @claims_tid", {"tid": "t1"},
         "SELECT TOP 101 * FROM root AS r WHERE r.tenantId = @claim0", {"@claim0": "t1"}),
        ("SELECT * FROM c WHERE c.a = 1 OR c.b = 2", 'x.region = @claims["region"]',
         {"region": "EU"},
         "SELECT TOP 101 * FROM c WHERE c.region = @claim0 AND (c.a = @p0 OR c.b = @p1)",
         {"@claim0": "EU", "@p0": 1, "@p1": 2}),
        ("SELECT c.id, t FROM c JOIN t IN c.tags", "ARRAY_CONTAINS(@claims.groups, c.team)",
         {"groups": ["a", "b"]},
         "SELECT TOP 101 c.id, t FROM c JOIN t IN c.tags WHERE ARRAY_CONTAINS(@claim0, c.team)",
         {"@claim0": ["a", "b"]}),
        ("SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE d.s FROM d)",
         "c.org.id = @claims.org.id", {"org": {"id": 7}},
         "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE d.s FROM d WHERE d.org.id = @claim0)",
         {"@claim0": 7}),
    ],
)  # fmt: skip
def test_a_row_filter_is_anded_into_where_with_claims_bound(
    query: str, row_filter: str, claims: dict, text: str, bound: dict
) -> None:
    guarded = guard(query, row_filter=row_filter, claims=claims)
    assert guarded.query == text
    assert guarded.parameters == bound


def test_claim_parameters_never_take_a_given_parameter_s_name() -> None:
    guarded = guard(
        "SELECT * FROM c WHERE c.x = @claim0",
        row_filter="c.t = @claims.tid",
        claims={"tid": "t1"},
        parameters={"claim0": "mine"},
    )
    assert guarded.query == "SELECT TOP 101 * FROM c WHERE c.t = @claim1 AND c.x = @claim0"
    assert guarded.parameters == {"@claim0": "mine", "@claim1": "t1"}


def test_a_row_filter_limits_what_the_query_sees() -> None:
    docs = [{"id": "1", "t": "a", "n": 1}, {"id": "2", "t": "b", "n": 2}, {"id": "3", "t": "a"}]
    guarded = guard(
        "SELECT VALUE c.id FROM c WHERE c.n > 0 OR NOT IS_DEFINED(c.n)",
        row_filter="c.t = @claims.tenant",
        claims={"tenant": "a"},
    )
    assert evaluate(guarded.query, docs, parameters=guarded.parameters) == ["1", "3"]


def test_the_count_query_is_filtered_too() -> None:
    guarded = guard("SELECT * FROM c", row_filter="c.t = @claims.t", claims={"t": "a"})
    assert guarded.count_query == (
        "SELECT VALUE COUNT(1) FROM (SELECT VALUE 1 FROM c WHERE c.t = @claim0)"
    )


@pytest.mark.parametrize("claims", [{}, {"tid": None}, {"tid": ""}, {"tid": []}, {"other": 1}])
def test_a_missing_claim_denies(claims: dict) -> None:
    with pytest.raises(Forbidden, match="filtered by the claim 'tid'"):
        guard("SELECT * FROM c", row_filter="c.tenantId = @claims.tid", claims=claims)


@pytest.mark.parametrize("query", ["SELECT VALUE t FROM t IN c.tags", "SELECT * FROM c.customer"])
def test_a_row_filter_needs_the_query_to_read_whole_documents(query: str) -> None:
    with pytest.raises(GuardRejection, match="must read whole documents"):
        guard(query, row_filter="c.t = @claims.t", claims={"t": "a"})


def test_a_query_without_a_container_needs_no_filter() -> None:
    tree, params = apply_document_policy(parse("SELECT 1 AS one"), "c.t = @claims.t", {})
    assert tree.where is None
    assert params == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("c.t = @tid", "may use only @claims.<name> placeholders"),
        ("c.t = @claims", "may use only @claims.<name> placeholders"),
        ("c.t = d.t", "must name one document alias"),
        ("c.t = ", "cannot parse the row filter"),
        ("c.t = 1) OR (1 = 1", "cannot parse the row filter"),
    ],
)
def test_a_row_filter_that_cannot_be_used_is_a_config_error(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        compile_document_predicate(text)
