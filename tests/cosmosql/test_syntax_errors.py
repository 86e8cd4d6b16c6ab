"""Syntax and query errors carry a reason and the 1-based line and column they point at."""

from __future__ import annotations

import pytest

from data_assistant.cosmosql import CosmosQueryError, CosmosSyntaxError, evaluate, parse
from data_assistant.errors import RequestError


def error(query: str, line: int, column: int, fragment: str) -> object:
    return pytest.param(query, line, column, fragment, id=fragment)


SYNTAX_ERRORS = [
    error("SELECT * FROM c WHERE c.order = 1", 1, 25, "'order' is a reserved word"),
    error("SELECT c.value FROM c", 1, 10, "use brackets instead"),
    error("SELECT * FROM c WHERE", 1, 22, "expected an expression"),
    error("SELECT c.id,\nFROM c", 2, 1, "near 'FROM'"),
    error("SELECT *\nFROM c\nWHERE c.a = 'abc", 3, 13, "never closed"),
    error("SELECT TOP -1 * FROM c", 1, 12, "TOP takes a non-negative integer"),
    error("SELECT * FROM c ORDER c.x", 1, 23, "expected BY after ORDER"),
    error("SELECT * FROM c LIMIT 5", 1, 17, "LIMIT needs OFFSET"),
    error("SELECT * FROM c OFFSET 5", 1, 25, "expected LIMIT"),
    error("SELECT (1 + 2 FROM c", 1, 15, "to close the parenthesis"),
    error("SELECT [1, 2 FROM c", 1, 14, "to close the array"),
    error("SELECT {a 1} FROM c", 1, 11, "after the property name"),
    error("SELECT * FROM c WHERE c.a = #", 1, 29, "unexpected character '#'"),
    error("SELECT * FROM c WHERE c.x LIKE 'a' ESCAPE 'ab'", 1, 43, "one character"),
    error("SELECT EXISTS(1) FROM c", 1, 8, "EXISTS takes a subquery"),
    error("SELECT * FROM c WHERE c.a IN 1", 1, 30, "expected '(' after IN"),
    error("SELECT * FROM c JOIN IN c.tags", 1, 22, "cannot be used as a container name"),
    error("SELECT * FROM c AS select", 1, 20, "reserved word"),
    error("SELECT * FROM c.tags[x] t", 1, 22, "FROM path index"),
    error("SELECT * FROM c.tags['x' + 1] t", 1, 26, "to close the index"),
    error("UPDATE c SET c.x = 1", 1, 1, "expected SELECT"),
    error("SELECT * FROM c; DROP c", 1, 16, "unexpected character ';'"),
    error("SELECT * FROM c DROP c", 1, 22, "unexpected text after the end"),
    error("SELECT c.a.b. FROM c", 1, 15, "cannot follow '.'"),
    error("SELECT c.a.'x' FROM c", 1, 12, "property name after '.'"),
    error("SELECT * FROM c /* open comment", 1, 17, "comment"),
    error("SELECT '\\q' FROM c", 1, 9, "invalid escape"),
    error("SELECT 12abc FROM c", 1, 8, "invalid number"),
    error("SELECT @ FROM c", 1, 8, "parameter name"),
    error("SELECT * FROM c ORDER BY RANK FullTextScore(c.t, 'x')", 1, 26, "ORDER BY RANK"),
    error("SELECT c.x ? 1 FROM c", 1, 16, "expected ':'"),
]


@pytest.mark.parametrize(("query", "line", "column", "fragment"), SYNTAX_ERRORS)
def test_syntax_error_position(query, line, column, fragment):
    with pytest.raises(CosmosSyntaxError) as info:
        parse(query)
    exc = info.value
    assert (exc.line, exc.column) == (line, column), str(exc)
    assert fragment in str(exc)
    assert f"line {line}, column {column}" in str(exc)


def test_syntax_error_is_a_request_error():
    with pytest.raises(RequestError) as info:
        parse("SELECT FROM")
    assert info.value.status == 400
    assert info.value.extra["line"] == 1


QUERY_ERRORS = [
    error("SELECT x.id FROM c", 1, 8, "'x' is not defined"),
    error("SELECT * FROM c JOIN t IN c.tags", 1, 1, "SELECT * needs exactly one"),
    error("SELECT *", 1, 1, "SELECT * needs exactly one"),
    error("SELECT * FROM c WHERE COUNT(1) > 1", 1, 23, "only allowed in SELECT"),
    error("SELECT c.id FROM c JOIN t IN x.tags", 1, 30, "JOIN must start from an alias"),
    error("SELECT VALUE LOWR(c.name) FROM c", 1, 14, "did you mean LOWER"),
    error("SELECT VALUE c.id FROM c WHERE c.a = @missing", 1, 38, "no value was given"),
    error("SELECT TOP @n * FROM c", 1, 12, "no value was given for the parameter @n"),
    error("SELECT c.a, COUNT(1) FROM c GROUP BY COUNT(1)", 1, 38, "only allowed in SELECT"),
    error("SELECT * FROM c GROUP BY c.a", 1, 1, "GROUP BY"),
]


@pytest.mark.parametrize(("query", "line", "column", "fragment"), QUERY_ERRORS)
def test_query_error_position(query, line, column, fragment):
    with pytest.raises(CosmosQueryError) as info:
        evaluate(query, [{"id": 1}])
    exc = info.value
    assert not isinstance(exc, CosmosSyntaxError)
    assert (exc.line, exc.column) == (line, column), str(exc)
    assert fragment in str(exc)


@pytest.mark.parametrize("value", [-1, 1.5, "3", None])
def test_top_parameter_must_be_a_count(value):
    with pytest.raises(CosmosQueryError, match="non-negative integer"):
        evaluate("SELECT TOP @n * FROM c", [], parameters={"@n": value})


@pytest.mark.parametrize(
    "query",
    [
        "select * from c where c.a = 1 order by c.b desc",
        "SELECT c.first, c.last, c.all, c.True, c.Null FROM c",
        "SELECT LEFT(c.a, 1), RIGHT(c.a, 2) FROM c",
        "SELECT * FROM c -- a comment\nWHERE c.a = 1",
        "SELECT * FROM c /* inline */ WHERE c.a <> 1",
        "SELECT VALUE {'single': 'quotes', \"double\": \"quotes\"}",
        "SELECT VALUE '\\u00e9\\n\\t\\\\'",
        "SELECT VALUE .5 + 1. + 1e3 + 2E-2",
        "SELECT * FROM root r WHERE r['order'] = 1",
        "SELECT * FROM c WHERE c.a NOT IN () ",
    ],
)
def test_accepted_syntax(query):
    parse(query)


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    with pytest.raises(CosmosSyntaxError, match="nests more than"):
        parse("SELECT VALUE " + "(" * 60 + "1" + ")" * 60)
    with pytest.raises(CosmosSyntaxError, match="nests more than"):
        parse("SELECT * FROM " + "(SELECT * FROM " * 60 + "c" + ")" * 60)


def test_long_generated_or_chain_runs():
    query = "SELECT VALUE c.id FROM c WHERE " + " OR ".join(f"c.id = {i}" for i in range(2000))
    docs = [{"id": i} for i in range(0, 3000, 500)]
    assert evaluate(query, docs) == [0, 500, 1000, 1500]


def test_overlong_expression_is_a_query_error():
    with pytest.raises(CosmosQueryError, match="levels deep"):
        evaluate("SELECT VALUE " + " + ".join(["1"] * 3000), [])
