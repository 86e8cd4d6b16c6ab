"""Every literal a question could have put in a document query travels as a @parameter."""

from __future__ import annotations

from typing import Any

import pytest

from data_assistant.cosmosql import ast, evaluate, parse
from data_assistant.guard.cosmos_guard import check_cosmos_query


def guard(query: str, **options: Any):
    return check_cosmos_query(query, container="tickets", max_items=100, **options)


@pytest.mark.parametrize(
    ("query", "text", "parameters"),
    [
        # inside function calls, the case the README once got wrong
        ('SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, "billing")',
         "SELECT TOP 101 * FROM c WHERE ARRAY_CONTAINS(c.tags, @p0)", {"@p0": "billing"}),
        ("SELECT * FROM c WHERE STARTSWITH(c.subject, 'Refund', true)",
         "SELECT TOP 101 * FROM c WHERE STARTSWITH(c.subject, @p0, true)", {"@p0": "Refund"}),
        ("SELECT * FROM c WHERE RegexMatch(c.s, '^a+$', 'i')",
         "SELECT TOP 101 * FROM c WHERE RegexMatch(c.s, @p0, @p1)", {"@p0": "^a+$", "@p1": "i"}),
        ("SELECT * FROM c WHERE c.at > DateTimeAdd('dd', -7, GetCurrentDateTime())",
         "SELECT TOP 101 * FROM c WHERE c.at > DateTimeAdd(@p0, @p1, GetCurrentDateTime())",
         {"@p0": "dd", "@p1": -7}),
        # IN lists, BETWEEN, LIKE, arithmetic
        ("SELECT * FROM c WHERE c.n IN (1, 2.5, 'x')",
         "SELECT TOP 101 * FROM c WHERE c.n IN (@p0, @p1, @p2)",
         {"@p0": 1, "@p1": 2.5, "@p2": "x"}),
        ("SELECT * FROM c WHERE c.n NOT BETWEEN 1 AND 10",
         "SELECT TOP 101 * FROM c WHERE c.n NOT BETWEEN @p0 AND @p1", {"@p0": 1, "@p1": 10}),
        ("SELECT * FROM c WHERE c.s LIKE '50!%%' ESCAPE '!'",
         'SELECT TOP 101 * FROM c WHERE c.s LIKE @p0 ESCAPE "!"', {"@p0": "50!%%"}),
        ("SELECT * FROM c WHERE c.price * 1.2 > 100",
         "SELECT TOP 101 * FROM c WHERE c.price * @p0 > @p1", {"@p0": 1.2, "@p1": 100}),
        # array and object literals, the SELECT list, conditionals
        ("SELECT * FROM c WHERE ARRAY_CONTAINS(['open', 'new'], c.status)",
         "SELECT TOP 101 * FROM c WHERE ARRAY_CONTAINS([@p0, @p1], c.status)",
         {"@p0": "open", "@p1": "new"}),
        ("SELECT VALUE {'label': 'vip', 'n': c.n + 1} FROM c",
         'SELECT TOP 101 VALUE {"label": @p0, "n": c.n + @p1} FROM c', {"@p0": "vip", "@p1": 1}),
        ("SELECT c.n > 5 ? 'big' : 'small' AS size FROM c",
         "SELECT TOP 101 c.n > @p0 ? @p1 : @p2 AS size FROM c",
         {"@p0": 5, "@p1": "big", "@p2": "small"}),
        ("SELECT VALUE c.name ?? 'unknown' FROM c",
         "SELECT TOP 101 VALUE c.name ?? @p0 FROM c", {"@p0": "unknown"}),
        # subqueries in SELECT, FROM and JOIN, and aggregates over expressions
        ("SELECT VALUE ARRAY(SELECT VALUE t FROM t IN c.tags WHERE t != 'x') FROM c",
         "SELECT TOP 101 VALUE ARRAY(SELECT VALUE t FROM t IN c.tags WHERE t != @p0) FROM c",
         {"@p0": "x"}),
        ("SELECT VALUE s.n FROM (SELECT VALUE c FROM c WHERE c.k = 'a') s",
         "SELECT TOP 101 VALUE s.n FROM (SELECT VALUE c FROM c WHERE c.k = @p0) AS s",
         {"@p0": "a"}),
        ("SELECT c.id FROM c JOIN t IN (SELECT VALUE x FROM x IN c.tags WHERE x = 'a')",
         "SELECT TOP 101 c.id FROM c JOIN t IN (SELECT VALUE x FROM x IN c.tags WHERE x = @p0)",
         {"@p0": "a"}),
        ("SELECT VALUE SUM(c.qty * 2) FROM c", "SELECT VALUE SUM(c.qty * @p0) FROM c", {"@p0": 2}),
        # one name per distinct value, so SELECT and GROUP BY expressions still match
        ("SELECT SUBSTRING(c.at, 0, 4) AS y, COUNT(1) AS n FROM c GROUP BY SUBSTRING(c.at, 0, 4)",
         "SELECT TOP 101 SUBSTRING(c.at, @p0, @p1) AS y, COUNT(1) AS n FROM c "
         "GROUP BY SUBSTRING(c.at, @p0, @p1)", {"@p0": 0, "@p1": 4}),
        ("SELECT * FROM c WHERE c.a = 'x' OR c.b = 'x'",
         "SELECT TOP 101 * FROM c WHERE c.a = @p0 OR c.b = @p0", {"@p0": "x"}),
    ],
)  # fmt: skip
def test_literals_become_parameters_wherever_they_are(
    query: str, text: str, parameters: dict[str, Any]
) -> None:
    guarded = guard(query)
    assert guarded.query == text
    assert guarded.parameters == parameters


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # names and indexes of paths, not values
        ('SELECT VALUE c["order"] FROM c', 'SELECT TOP 101 VALUE c["order"] FROM c'),
        ("SELECT VALUE c.tags[0] FROM c", "SELECT TOP 101 VALUE c.tags[0] FROM c"),
        ("SELECT VALUE t FROM t IN c.items[1].parts",
         "SELECT TOP 101 VALUE t FROM t IN c.items[1].parts"),
        # a constant argument of an aggregate
        ("SELECT VALUE COUNT(1) FROM c", "SELECT VALUE COUNT(1) FROM c"),
        # words, and numbers JSON cannot carry
        ("SELECT * FROM c WHERE c.ok = true AND c.gone = null AND IS_DEFINED(c.x) = false",
         "SELECT TOP 101 * FROM c WHERE c.ok = true AND c.gone = null AND IS_DEFINED(c.x) = false"),
        ("SELECT VALUE [NaN, Infinity, undefined]",
         "SELECT TOP 101 VALUE [NaN, Infinity, undefined]"),
        # counts are capped by the guard, not bound
        ("SELECT TOP 5 * FROM c", "SELECT TOP 5 * FROM c"),
        ("SELECT * FROM c OFFSET 2 LIMIT 3", "SELECT * FROM c OFFSET 2 LIMIT 3"),
    ],
)  # fmt: skip
def test_these_literals_stay_inline_as_the_readme_lists(query: str, text: str) -> None:
    assert guard(query).query == text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT VALUE {'id': c.id, 'big': c.n > 2} FROM c",
        "SELECT c.id, CONCAT(c.id, '-', 'x') AS tag FROM c WHERE ARRAY_CONTAINS(c.tags, 'b')",
        "SELECT SUBSTRING(c.id, 0, 1) AS k, COUNT(1) AS n FROM c GROUP BY SUBSTRING(c.id, 0, 1)",
        "SELECT VALUE ARRAY(SELECT VALUE t FROM t IN c.tags WHERE t IN ('a', 'b')) FROM c",
        "SELECT VALUE c.n * 1.5 - 2 FROM c WHERE c.n BETWEEN 1 AND 3 ORDER BY c.n",
        "SELECT VALUE c.id FROM c WHERE c.id LIKE '_%' AND RegexMatch(c.id, '[0-9]', 'i')",
    ],
)
def test_parameterised_queries_give_the_same_results_as_the_original(query: str) -> None:
    docs = [
        {"id": "1", "n": 1, "tags": ["a", "b"]},
        {"id": "2", "n": 3, "tags": ["b"]},
        {"id": "3", "n": 4, "tags": []},
    ]
    guarded = guard(query)
    assert guarded.parameters, "the query should have bound something"
    assert evaluate(guarded.query, docs, parameters=guarded.parameters) == evaluate(query, docs)


def test_no_string_or_finite_number_literal_is_left_in_the_rendered_tree() -> None:
    query = (
        "SELECT c.id, {'a': [1, 'b', {'c': 2.5}]} AS o, IIF(c.n > 3, 'x', 'y') AS z "
        "FROM c JOIN t IN c.tags WHERE t IN ('p', 'q') AND ST_DISTANCE(c.loc, "
        "{'type': 'Point', 'coordinates': [1.5, 2.5]}) < 3000 AND NOT c.s LIKE 'a%' "
        "AND EXISTS(SELECT VALUE 1 FROM x IN c.arr WHERE x.v = 7)"
    )
    tree = parse(guard(query).query)
    leftover = [
        node.value
        for node in tree.walk()
        if isinstance(node, ast.Literal)
        and type(node.value) in (str, int, float)
        and node.value != 101  # the cap
    ]
    assert leftover == []
