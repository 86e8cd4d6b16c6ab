"""Hostile query shapes are a clear 400 with a one-sentence reason, never a crash.

Every limit lives in `cosmosql.limits`; these are the shapes an attacker (or a runaway
model) would send, each through the parser and the document guard.
"""

from __future__ import annotations

import pytest

from data_assistant.cosmosql import CosmosSyntaxError, evaluate, limits, parse
from data_assistant.errors import GuardRejection
from data_assistant.guard.cosmos_guard import check_cosmos_query

N = limits.MAX_NESTING + 5


def _joins(n: int) -> str:
    return "SELECT VALUE 1 FROM c" + "".join(f" JOIN x{i} IN c.arr" for i in range(n))


HOSTILE = [
    ("a 3,000-term + chain", "SELECT VALUE " + " + ".join(["c.a"] * 3000) + " FROM c", "deep"),
    ("a 3,000-term || chain", "SELECT VALUE " + " || ".join(["c.s"] * 3000) + " FROM c", "deep"),
    ("a 3,000-term ?? chain", "SELECT VALUE " + " ?? ".join(["c.a"] * 3000) + " FROM c", "nests"),
    ("deep parentheses", "SELECT VALUE " + "(" * 5000 + "1" + ")" * 5000, "nests"),
    ("deep subqueries", "SELECT * FROM " + "(SELECT * FROM " * N + "c" + ")" * N, "nests"),
    ("deep scalar subqueries", "SELECT VALUE " + "(SELECT VALUE " * N + "1" + ")" * N, "nests"),
    ("deep EXISTS", "SELECT VALUE " + "EXISTS(SELECT VALUE " * N + "1" + ")" * N, "nests"),
    ("a NOT chain", "SELECT VALUE " + "NOT " * 3000 + "true", "nests"),
    ("a unary minus chain", "SELECT VALUE " + "- " * 3000 + "1", "nests"),
    ("a bitwise-not chain", "SELECT VALUE " + "~" * 3000 + "1", "nests"),
    ("deep arrays", "SELECT VALUE " + "[" * 3000 + "]" * 3000, "nests"),
    ("deep objects", "SELECT VALUE " + '{"a": ' * 3000 + "1" + "}" * 3000, "nests"),
    ("deep calls", "SELECT VALUE " + "ABS(" * 3000 + "1" + ")" * 3000, "nests"),
    ("a property chain", "SELECT VALUE c" + ".a" * 3000 + " FROM c", "deep"),
    ("an index chain", "SELECT VALUE c" + "[0]" * 3000 + " FROM c", "deep"),
    ("a conditional chain", "SELECT VALUE " + "true ? 1 : " * 3000 + "0", "nests"),
    ("a huge IN list", "SELECT * FROM c WHERE c.n IN (" + ", ".join(map(str, range(5000))) + ")",
     "IN list"),
    ("too many JOINs", _joins(limits.MAX_JOINS + 1), "JOINs"),
    ("a very long query", "SELECT * FROM c WHERE c.s = '" + "x" * limits.MAX_QUERY_LENGTH + "'",
     "characters long"),
    ("too many terms", "SELECT VALUE [" + ", ".join(["1"] * (limits.MAX_NODES + 1)) + "]",
     "terms"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "query", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_shape_is_a_syntax_error_with_a_reason(label: str, query: str, reason: str):
    with pytest.raises(CosmosSyntaxError) as caught:
        parse(query)
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


@pytest.mark.parametrize(("label", "query", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_guard_rejects_a_hostile_shape(label: str, query: str, reason: str):
    with pytest.raises(GuardRejection) as caught:
        check_cosmos_query(query, container="c", max_items=10)
    assert reason in caught.value.reason
    assert caught.value.status == 400


@pytest.mark.parametrize(
    "query",
    [
        # What real questions produce stays well inside the limits.
        "SELECT * FROM c WHERE " + " OR ".join(f"c.id = '{i}'" for i in range(2000)),
        "SELECT * FROM c WHERE " + " AND ".join(f"c.n{i} > {i}" for i in range(500)),
        "SELECT * FROM c WHERE c.id IN (" + ", ".join(f"'{i}'" for i in range(2000)) + ")",
        _joins(limits.MAX_JOINS),
        "SELECT VALUE " + " + ".join(["c.a"] * 90) + " FROM c",
        "SELECT VALUE " + "(" * 30 + "1" + ")" * 30,
    ],
)
def test_long_but_ordinary_queries_pass_the_guard(query: str):
    guarded = check_cosmos_query(query, container="c", max_items=10)
    assert parse(guarded.query) is not None


def test_a_long_or_chain_nests_only_logarithmically_and_keeps_its_meaning():
    query = "SELECT VALUE c.id FROM c WHERE " + " OR ".join(f"c.id = {i}" for i in range(2000))
    tree = parse(query)
    depth, stack = 0, [(tree.where, 1)]
    while stack:
        node, d = stack.pop()
        depth = max(depth, d)
        stack.extend((child, d + 1) for child in node.children())
    assert depth < 20
    docs = [{"id": i} for i in range(0, 3000, 500)]
    assert evaluate(query, docs) == [0, 500, 1000, 1500]
    guarded = check_cosmos_query(query, container="c", max_items=10)
    assert evaluate(guarded.query, docs, parameters=guarded.parameters) == [0, 500, 1000, 1500]
