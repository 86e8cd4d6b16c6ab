"""Cosmos value semantics: undefined vs null, typed comparisons, three-valued logic,
the cross-type sort order, and what reaches the result list."""

from __future__ import annotations

import copy
import pickle

import pytest

from data_assistant.cosmosql import UNDEFINED, evaluate
from data_assistant.cosmosql import operators as ops
from data_assistant.cosmosql.ordering import sort_key
from data_assistant.cosmosql.values import canonical, format_number, json_equal

U = UNDEFINED


def value_of(expression: str, doc: dict | None = None) -> object:
    rows = evaluate(f"SELECT VALUE {expression} FROM c", [doc if doc is not None else {}])
    return rows[0] if rows else UNDEFINED


def test_undefined_is_a_falsy_singleton_distinct_from_null():
    assert UNDEFINED is not None
    assert not UNDEFINED
    assert repr(UNDEFINED) == "UNDEFINED"
    assert copy.deepcopy(UNDEFINED) is UNDEFINED
    assert pickle.loads(pickle.dumps(UNDEFINED)) is UNDEFINED
    assert type(UNDEFINED)() is UNDEFINED


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("c.missing", U),
        ("c.nothing", None),
        ("IS_DEFINED(c.nothing)", True),
        ("IS_DEFINED(c.missing)", False),
        ("c.missing = null", U),
        ("c.nothing = null", True),
        ("c.missing.deeper", U),
        ("c.nothing.deeper", U),
        ("c.text.length", U),
        ("c.list[9]", U),
        ("c.list[-1]", U),
        ('c.list["0"]', U),
        ("c.obj[0]", U),
        ("c.list[1]", 20),
        ("c.list[1.0]", 20),
        ('c["obj"]["k"]', "v"),
    ],
)
def test_property_access(expression, expected):
    doc = {"nothing": None, "text": "abc", "list": [10, 20], "obj": {"k": "v"}}
    assert value_of(expression, doc) == expected or value_of(expression, doc) is expected


EQUALITY = [
    (1, 1.0, True),
    (1, 2, False),
    ("a", "a", True),
    (True, True, True),
    (True, 1, U),
    (False, 0, U),
    (None, None, True),
    (None, U, U),
    (U, U, U),
    (1, "1", U),
    ([1, 2], [1, 2], True),
    ([1, 2], [2, 1], False),
    ([True], [1], False),
    ({"a": 1, "b": [1]}, {"b": [1], "a": 1.0}, True),
    ({"a": 1}, {"a": True}, False),
]


@pytest.mark.parametrize(("a", "b", "expected"), EQUALITY)
def test_equality_table(a, b, expected):
    assert ops.equal(a, b) is expected
    assert ops.equal(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b", "less"),
    [
        (1, 2, True),
        (2.5, 2, False),
        ("a", "b", True),
        ("B", "a", True),
        (False, True, True),
        (None, None, False),
        (1, "2", U),
        (None, 0, U),
        ([1], [2], U),
        ({}, {}, U),
        (U, 1, U),
    ],
)
def test_relational_operators_need_one_primitive_type(a, b, less):
    assert ops.less(a, b) is less


def test_not_equal_between_containers_is_undefined():
    assert ops.not_equal([1], [2]) is U
    assert ops.not_equal({"a": 1}, {"a": 2}) is U
    assert ops.not_equal(1, 2) is True
    assert ops.not_equal(1, "x") is U


T, F = True, False


@pytest.mark.parametrize(
    ("a", "b", "and_", "or_"),
    [
        (T, T, T, T),
        (T, F, F, T),
        (T, U, U, T),
        (F, F, F, F),
        (F, U, F, U),
        (U, U, U, U),
        (U, F, F, U),
        (1, T, U, T),
        ("true", F, F, U),
    ],
)
def test_three_valued_logic_tables(a, b, and_, or_):
    assert ops.logical_and(a, b) is and_
    assert ops.logical_or(a, b) is or_


@pytest.mark.parametrize(("a", "expected"), [(T, F), (F, T), (U, U), (None, U), (0, U)])
def test_not(a, expected):
    assert ops.logical_not(a) is expected


def test_only_true_passes_where():
    docs = [
        {"id": 1, "f": True},
        {"id": 2, "f": False},
        {"id": 3, "f": 1},
        {"id": 4, "f": "true"},
        {"id": 5, "f": None},
        {"id": 6},
        {"id": 7, "f": [True]},
    ]
    assert evaluate("SELECT VALUE c.id FROM c WHERE c.f", docs) == [1]
    assert evaluate("SELECT VALUE c.id FROM c WHERE NOT c.f", docs) == [2]
    assert evaluate("SELECT VALUE c.id FROM c WHERE c.f = true", docs) == [1]
    assert evaluate("SELECT VALUE c.id FROM c WHERE c.f != true", docs) == [2]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2", 3),
        ("1 + true", U),
        ('"a" + "b"', U),
        ('"a" || "b"', "ab"),
        ('"a" || 1', U),
        ("null + 1", U),
        ("-c.missing", U),
        ("-(-3)", 3),
        ("+c.text", U),
        ("10 / 4", 2.5),
        ("2 * 3 + 4", 10),
        ("2 * (3 + 4)", 14),
        ("1 + 2 = 3", True),
        ("5 ^ 4 = 1", True),
        ("true ? 1 : 2", 1),
        ("false ? 1 : 2", 2),
        ("null ? 1 : 2", U),
        ("c.missing ?? c.nothing ?? 5", None),
        ("c.missing ?? 5", 5),
        ("NOT true AND false", False),
        ("NOT (true AND false)", True),
        ("true OR false AND false", True),
        ("1 IN (1, 2)", True),
        ("3 IN (1, 2)", False),
        ('"1" IN (1, 2)', U),
        ("c.missing IN (1, 2)", U),
        ("3 NOT IN (1, 2)", True),
        ("c.missing BETWEEN 1 AND 2", U),
        ('5 BETWEEN 1 AND "9"', U),
        ('c.text LIKE "a%"', True),
        ("c.list LIKE 'a%'", U),
    ],
)
def test_operators(expression, expected):
    doc = {"nothing": None, "text": "abc", "list": [10, 20]}
    actual = value_of(expression, doc)
    assert actual == expected and type(actual) is type(expected)


def test_cross_type_sort_order():
    values = [{"k": 1}, [1], "b", "a", 10, -1.5, True, False, None, U]
    ordered = sorted(values, key=sort_key)
    assert ordered == [U, None, False, True, -1.5, 10, "a", "b", [1], {"k": 1}]


def test_order_by_mixed_types_and_desc():
    docs = [{"id": i, "v": v} for i, v in enumerate(["x", 3, None, True, [0], {"a": 1}])]
    docs.append({"id": 6})
    asc = evaluate("SELECT VALUE c.id FROM c ORDER BY c.v", docs)
    assert asc == [6, 2, 3, 1, 0, 4, 5]
    desc = evaluate("SELECT VALUE c.id FROM c ORDER BY c.v DESC", docs)
    assert desc == list(reversed(asc))


def test_order_by_mixed_directions_with_top():
    docs = [{"g": g, "n": n} for g in ("b", "a") for n in (1, 3, 2)]
    rows = evaluate("SELECT TOP 4 c.g, c.n FROM c ORDER BY c.g, c.n DESC", docs)
    assert rows == [
        {"g": "a", "n": 3},
        {"g": "a", "n": 2},
        {"g": "a", "n": 1},
        {"g": "b", "n": 3},
    ]


def test_partial_sort_matches_full_sort():
    docs = [{"id": i, "k": (i * 7919) % 101, "s": str(i % 13)} for i in range(500)]
    full = evaluate("SELECT VALUE c.id FROM c ORDER BY c.k DESC, c.s", docs)
    top = evaluate("SELECT TOP 17 VALUE c.id FROM c ORDER BY c.k DESC, c.s", docs)
    window = evaluate("SELECT VALUE c.id FROM c ORDER BY c.k DESC, c.s OFFSET 40 LIMIT 9", docs)
    assert top == full[:17]
    assert window == full[40:49]


def test_distinct_keeps_types_apart():
    docs = [{"v": 1}, {"v": 1.0}, {"v": True}, {"v": "1"}, {"v": [1]}, {"v": {"a": 1}}, {}]
    rows = evaluate("SELECT DISTINCT VALUE c.v FROM c", docs)
    assert rows == [1, True, "1", [1], {"a": 1}]


def test_group_by_keeps_types_apart():
    docs = [{"v": 1}, {"v": True}, {"v": 1.0}, {"v": None}, {}]
    rows = evaluate("SELECT c.v, COUNT(1) AS n FROM c GROUP BY c.v", docs)
    assert rows == [{"v": 1, "n": 2}, {"v": True, "n": 1}, {"v": None, "n": 1}, {"n": 1}]


def test_aggregates_over_mixed_values():
    docs = [{"v": 1}, {"v": "x"}, {"v": 3}, {}]
    assert evaluate("SELECT VALUE SUM(c.v) FROM c", docs) == []
    assert evaluate("SELECT VALUE MIN(c.v) FROM c", docs) == [1]
    assert evaluate("SELECT VALUE MAX(c.v) FROM c", docs) == ["x"]
    assert evaluate("SELECT VALUE COUNT(c.v) FROM c", docs) == [3]
    assert evaluate("SELECT VALUE MAX(c.v) FROM c", [{"v": [1]}]) == []


def test_json_helpers():
    assert json_equal({"a": [1, {"b": None}]}, {"a": [1.0, {"b": None}]})
    assert not json_equal(True, 1)
    assert canonical(1) == canonical(1.0)
    assert canonical(True) != canonical(1)
    assert canonical({"a": 1, "b": 2}) == canonical({"b": 2, "a": 1})


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (0.1, "0.1"),
        (123456.789, "123456.789"),
        (1e21, "1E+21"),
        (1.5e-7, "1.5E-07"),
        (0.0001, "0.0001"),
        (2**53, "9007199254740992"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
    ],
)
def test_number_text(number, text):
    assert format_number(number) == text


def test_results_never_hold_undefined():
    docs = [{"a": 1}, {"b": 2}]
    assert evaluate("SELECT VALUE c.a FROM c", docs) == [1]
    assert evaluate("SELECT c.a FROM c", docs) == [{"a": 1}, {}]
    assert evaluate("SELECT VALUE [c.a, c.b] FROM c", docs) == [[1], [2]]
    assert evaluate("SELECT VALUE {a: c.a} FROM c", docs) == [{"a": 1}, {}]


def test_documents_are_not_modified():
    docs = [{"id": "1", "tags": ["x"], "n": {"v": 1}}]
    snapshot = copy.deepcopy(docs)
    evaluate(
        "SELECT c.id, t, ARRAY(SELECT VALUE u FROM u IN c.tags) AS a FROM c JOIN t IN c.tags "
        "ORDER BY c.n.v",
        docs,
    )
    assert docs == snapshot


def test_documents_may_be_any_iterable():
    gen = ({"i": i} for i in range(5))
    assert evaluate("SELECT VALUE c.i FROM c WHERE c.i > 2", gen) == [3, 4]


def test_top_without_order_stops_reading_early():
    seen = []

    def docs():
        for i in range(1000):
            seen.append(i)
            yield {"i": i}

    assert evaluate("SELECT TOP 3 VALUE c.i FROM c", docs()) == [0, 1, 2]
    assert len(seen) <= 4
