"""Whole queries over small fixture containers, modelled on the Cosmos DB documentation's
examples (SELECT, FROM, JOIN, WHERE, ORDER BY, GROUP BY, subqueries, parameters).

Each case: dataset name, query, expected result, and whether order matters (only with
ORDER BY, or a single row, is the order defined).
"""

from __future__ import annotations

from typing import Any

import pytest

from data_assistant.cosmosql import evaluate

P1 = {
    "id": "p1",
    "name": "Trail backpack",
    "category": "bags",
    "price": 49.99,
    "tags": ["outdoor", "hiking"],
    "stock": {"warehouse": "Seattle", "quantity": 12},
    "onSale": True,
    "rating": 4.5,
    "sizes": [{"size": "S", "qty": 3}, {"size": "L", "qty": 9}],
    "released": "2023-03-15T09:30:00.0000000Z",
}
P2 = {
    "id": "p2",
    "name": "City tote",
    "category": "bags",
    "price": 25,
    "tags": ["urban"],
    "stock": {"warehouse": "Redmond", "quantity": 0},
    "onSale": False,
    "rating": None,
    "released": "2022-11-01T00:00:00Z",
}


def case(
    case_id: str,
    dataset: str,
    query: str,
    expected: list[Any],
    *,
    ordered: bool = True,
    params: dict[str, Any] | None = None,
) -> Any:
    return pytest.param(dataset, query, expected, ordered, params, id=case_id)


SELECT_CASES = [
    case("star-by-id", "products", 'SELECT * FROM p WHERE p.id = "p2"', [P2]),
    case(
        "fields",
        "products",
        'SELECT p.id, p.price FROM products p WHERE p.category = "socks"',
        [{"id": "p5", "price": 9.5}],
    ),
    case(
        "alias-as",
        "products",
        'SELECT p.name AS title FROM products p WHERE p.id = "p1"',
        [{"title": "Trail backpack"}],
    ),
    case(
        "alias-without-as",
        "products",
        'SELECT p.name title FROM products p WHERE p.id = "p1"',
        [{"title": "Trail backpack"}],
    ),
    case(
        "nested-property-name",
        "products",
        'SELECT p.stock.warehouse FROM products p WHERE p.id = "p4"',
        [{"warehouse": "Portland"}],
    ),
    case(
        "missing-field-dropped",
        "products",
        'SELECT p.id, p.rating FROM products p WHERE p.category = "coats"',
        [{"id": "p3"}, {"id": "p4"}],
        ordered=False,
    ),
    case(
        "null-field-kept",
        "products",
        'SELECT p.id, p.rating FROM p WHERE p.id = "p2"',
        [{"id": "p2", "rating": None}],
    ),
    case(
        "generated-names",
        "products",
        'SELECT p.id, p.price * 2, UPPER(p.name) FROM p WHERE p.id = "p5"',
        [{"id": "p5", "$1": 19.0, "$2": "HIKING SOCKS"}],
    ),
    case(
        "object-with-alias",
        "products",
        'SELECT {"n": p.name, "w": p.stock.warehouse} AS info FROM p WHERE p.id = "p2"',
        [{"info": {"n": "City tote", "w": "Redmond"}}],
    ),
    case(
        "object-without-alias",
        "products",
        'SELECT {"n": p.name} FROM p WHERE p.id = "p2"',
        [{"$1": {"n": "City tote"}}],
    ),
    case(
        "two-unnamed-objects",
        "products",
        'SELECT {"n": p.name}, {"c": p.category} FROM p WHERE p.id = "p5"',
        [{"$1": {"n": "Hiking socks"}, "$2": {"c": "socks"}}],
    ),
    case(
        "value-scalar",
        "products",
        'SELECT VALUE p.name FROM p WHERE p.category = "bags"',
        ["Trail backpack", "City tote"],
        ordered=False,
    ),
    case(
        "value-drops-undefined",
        "products",
        "SELECT VALUE p.rating FROM p",
        [4.5, None, 3.8],
        ordered=False,
    ),
    case(
        "value-object-bare-keys",
        "products",
        'SELECT VALUE {id: p.id, sale: p.onSale} FROM p WHERE p.category = "coats"',
        [{"id": "p3", "sale": True}, {"id": "p4"}],
        ordered=False,
    ),
    case(
        "array-construction",
        "products",
        'SELECT [p.stock.warehouse, p.stock.quantity] AS loc FROM p WHERE p.id = "p1"',
        [{"loc": ["Seattle", 12]}],
    ),
    case(
        "bracket-access",
        "products",
        'SELECT p["stock"]["warehouse"] AS w FROM p WHERE p.id = "p3"',
        [{"w": "Seattle"}],
    ),
    case(
        "bracket-name-is-output-name",
        "products",
        'SELECT p["category"] FROM p WHERE p.id = "p3"',
        [{"category": "coats"}],
    ),
    case(
        "array-index",
        "products",
        'SELECT p.tags[1] AS second FROM p WHERE p.id = "p3"',
        [{"second": "rain"}],
    ),
    case(
        "array-index-out-of-range",
        "products",
        'SELECT p.id, p.tags[5] AS t FROM p WHERE p.id = "p2"',
        [{"id": "p2"}],
    ),
    case("no-from-literals", "empty", 'SELECT "a" AS x, 1 + 2 AS y', [{"x": "a", "y": 3}]),
    case(
        "no-from-value-array",
        "empty",
        'SELECT VALUE [1, "two", null, true]',
        [[1, "two", None, True]],
    ),
    case("value-undefined-is-nothing", "empty", "SELECT VALUE undefined", []),
    case("select-undefined-is-empty-object", "empty", "SELECT undefined", [{}]),
    case(
        "object-drops-undefined-member",
        "empty",
        "SELECT {a: undefined, b: 1} AS o",
        [{"o": {"b": 1}}],
    ),
    case(
        "array-drops-undefined-element",
        "empty",
        "SELECT VALUE [1, undefined, 2]",
        [[1, 2]],
    ),
    case(
        "special-character-keys",
        "products",
        'SELECT VALUE {"Product\'s name": p.name, "a|b": 1} FROM p WHERE p.id = "p5"',
        [{"Product's name": "Hiking socks", "a|b": 1}],
    ),
]

FROM_CASES = [
    case(
        "alias-with-as",
        "products",
        "SELECT VALUE x.id FROM products AS x WHERE x.price < 10",
        ["p5"],
    ),
    case(
        "root-alias",
        "products",
        "SELECT VALUE r.id FROM ROOT r WHERE r.onSale",
        ["p1", "p3"],
        ordered=False,
    ),
    case(
        "container-name-as-alias",
        "products",
        "SELECT VALUE products.id FROM products WHERE products.price > 200",
        ["p4"],
    ),
    case(
        "subpath-source",
        "products",
        "SELECT * FROM p.stock s WHERE s.quantity > 10",
        [{"warehouse": "Seattle", "quantity": 12}, {"warehouse": "Redmond", "quantity": 40}],
        ordered=False,
    ),
    case(
        "subpath-skips-missing",
        "products",
        "SELECT VALUE s FROM p.sizes s",
        [[{"size": "S", "qty": 3}, {"size": "L", "qty": 9}], [{"size": "M", "qty": 2}]],
        ordered=False,
    ),
    case(
        "subpath-scalar",
        "products",
        "SELECT * FROM p.stock.warehouse",
        ["Seattle", "Redmond", "Seattle", "Portland", "Redmond"],
        ordered=False,
    ),
    case(
        "in-iteration",
        "products",
        "SELECT VALUE t FROM t IN p.tags",
        ["outdoor", "hiking", "urban", "outdoor", "rain", "hiking", "hiking"],
        ordered=False,
    ),
    case(
        "in-iteration-filter",
        "products",
        "SELECT s.size FROM s IN p.sizes WHERE s.qty > 2",
        [{"size": "S"}, {"size": "L"}],
        ordered=False,
    ),
    case(
        "index-path-source",
        "households",
        "SELECT VALUE m.name FROM h.members[0] m",
        ["Ada", "Lena"],
        ordered=False,
    ),
    case(
        "join-members",
        "households",
        "SELECT h.id, m.name FROM h JOIN m IN h.members",
        [{"id": "h1", "name": "Ada"}, {"id": "h1", "name": "Chidi"}, {"id": "h2", "name": "Lena"}],
        ordered=False,
    ),
    case(
        "join-two-levels",
        "households",
        "SELECT h.id, m.name AS member, pet.name AS pet "
        "FROM h JOIN m IN h.members JOIN pet IN m.pets",
        [
            {"id": "h1", "member": "Ada", "pet": "Miso"},
            {"id": "h2", "member": "Lena", "pet": "Rex"},
            {"id": "h2", "member": "Lena", "pet": "Bubbles"},
        ],
        ordered=False,
    ),
    case(
        "join-filter-innermost",
        "households",
        "SELECT h.id, m.name AS member, pet.name AS pet "
        'FROM h JOIN m IN h.members JOIN pet IN m.pets WHERE pet.kind = "dog"',
        [{"id": "h2", "member": "Lena", "pet": "Rex"}],
    ),
    case(
        "join-empty-array-drops-item",
        "households",
        "SELECT VALUE h.id FROM h JOIN m IN h.members",
        ["h1", "h1", "h2"],
        ordered=False,
    ),
    case(
        "join-without-in-binds-once",
        "households",
        "SELECT VALUE h.id FROM h JOIN h.address",
        ["h1", "h2", "h3"],
        ordered=False,
    ),
    case("join-missing-path", "households", "SELECT VALUE h.id FROM h JOIN h.garage", []),
    case(
        "join-tag-filter",
        "products",
        'SELECT p.id, t AS tag FROM p JOIN t IN p.tags WHERE t = "hiking"',
        [
            {"id": "p1", "tag": "hiking"},
            {"id": "p3", "tag": "hiking"},
            {"id": "p5", "tag": "hiking"},
        ],
        ordered=False,
    ),
    case(
        "join-cross-product",
        "products",
        'SELECT VALUE [a, b] FROM p JOIN a IN p.tags JOIN b IN p.tags WHERE p.id = "p1"',
        [
            ["outdoor", "outdoor"],
            ["outdoor", "hiking"],
            ["hiking", "outdoor"],
            ["hiking", "hiking"],
        ],
        ordered=False,
    ),
]

WHERE_CASES = [
    case("eq-number", "products", "SELECT VALUE p.id FROM p WHERE p.price = 25", ["p2"]),
    case("int-equals-float", "products", "SELECT VALUE p.id FROM p WHERE p.price = 25.0", ["p2"]),
    case(
        "not-equal",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.category != "bags"',
        ["p3", "p4", "p5"],
        ordered=False,
    ),
    case(
        "not-equal-skips-null-and-missing",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.rating != 4.5",
        ["p5"],
    ),
    case(
        "range",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.price >= 25 AND p.price < 121",
        ["p1", "p2", "p3"],
        ordered=False,
    ),
    case(
        "string-range",
        "products",
        'SELECT VALUE p.name FROM p WHERE p.name >= "R"',
        ["Trail backpack", "Rain jacket", "Wool coat"],
        ordered=False,
    ),
    case(
        "cross-type-comparison-excluded",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.price > "100"',
        [],
    ),
    case(
        "boolean-property",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.onSale",
        ["p1", "p3"],
        ordered=False,
    ),
    case(
        "not-boolean",
        "products",
        "SELECT VALUE p.id FROM p WHERE NOT p.onSale",
        ["p2", "p5"],
        ordered=False,
    ),
    case(
        "or-with-undefined",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.onSale OR p.discontinued",
        ["p1", "p3", "p4"],
        ordered=False,
    ),
    case(
        "and-with-undefined",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.discontinued AND p.price > 0",
        ["p4"],
    ),
    case(
        "number-is-not-true",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.stock.quantity",
        [],
    ),
    case(
        "is-defined",
        "products",
        "SELECT VALUE p.id FROM p WHERE IS_DEFINED(p.rating)",
        ["p1", "p2", "p5"],
        ordered=False,
    ),
    case(
        "not-is-defined",
        "products",
        "SELECT VALUE p.id FROM p WHERE NOT IS_DEFINED(p.sizes)",
        ["p2", "p4", "p5"],
        ordered=False,
    ),
    case("is-null", "products", "SELECT VALUE p.id FROM p WHERE IS_NULL(p.rating)", ["p2"]),
    case("equals-null", "products", "SELECT VALUE p.id FROM p WHERE p.rating = null", ["p2"]),
    case(
        "in-list",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.category IN ("socks", "coats")',
        ["p3", "p4", "p5"],
        ordered=False,
    ),
    case(
        "not-in-list",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.category NOT IN ("socks", "coats")',
        ["p1", "p2"],
        ordered=False,
    ),
    case(
        "in-numbers",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.stock.quantity IN (0, 4, 7)",
        ["p2", "p3", "p4"],
        ordered=False,
    ),
    case(
        "between-inclusive",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.price BETWEEN 25 AND 120.5",
        ["p1", "p2", "p3"],
        ordered=False,
    ),
    case(
        "not-between",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.price NOT BETWEEN 25 AND 120.5",
        ["p4", "p5"],
        ordered=False,
    ),
    case(
        "between-strings",
        "products",
        'SELECT VALUE p.category FROM p WHERE p.category BETWEEN "b" AND "c"',
        ["bags", "bags"],
    ),
    case(
        "between-in-select",
        "products",
        'SELECT (p.price BETWEEN 0 AND 30) AS cheap FROM p WHERE p.category = "bags"',
        [{"cheap": False}, {"cheap": True}],
        ordered=False,
    ),
    case("like-prefix", "products", 'SELECT VALUE p.id FROM p WHERE p.name LIKE "Rain%"', ["p3"]),
    case("like-substring", "products", 'SELECT VALUE p.id FROM p WHERE p.name LIKE "%co%"', ["p4"]),
    case(
        "like-underscore",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.id LIKE "p_"',
        ["p1", "p2", "p3", "p4", "p5"],
        ordered=False,
    ),
    case(
        "like-range",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.id LIKE "p[1-3]"',
        ["p1", "p2", "p3"],
        ordered=False,
    ),
    case(
        "like-negated-range",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.id LIKE "p[^1-3]"',
        ["p4", "p5"],
        ordered=False,
    ),
    case(
        "like-escape",
        "empty",
        'SELECT VALUE ["50% off" LIKE "50!%%" ESCAPE "!", "500 off" LIKE "50!%%" ESCAPE "!"]',
        [[True, False]],
    ),
    case(
        "like-bracketed-wildcard",
        "empty",
        'SELECT VALUE ["a_b" LIKE "a[_]b", "axb" LIKE "a[_]b", "]" LIKE "]"]',
        [[True, False, True]],
    ),
    case(
        "not-like",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.name NOT LIKE "%s"',
        ["p1", "p2", "p3", "p4"],
        ordered=False,
    ),
    case(
        "arithmetic-filter",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.price * 2 > 200",
        ["p3", "p4"],
        ordered=False,
    ),
    case(
        "modulo",
        "products",
        "SELECT VALUE p.stock.quantity % 5 FROM p",
        [2, 0, 4, 2, 0],
        ordered=False,
    ),
    case(
        "string-concat-operator",
        "products",
        'SELECT VALUE p.category || "/" || p.id FROM p WHERE p.price < 30',
        ["bags/p2", "socks/p5"],
        ordered=False,
    ),
    case("concat-needs-strings", "products", "SELECT VALUE p.id || p.price FROM p", []),
    case(
        "ternary",
        "products",
        'SELECT p.id, p.price > 100 ? "premium" : "standard" AS tier FROM p',
        [
            {"id": "p1", "tier": "standard"},
            {"id": "p2", "tier": "standard"},
            {"id": "p3", "tier": "premium"},
            {"id": "p4", "tier": "premium"},
            {"id": "p5", "tier": "standard"},
        ],
        ordered=False,
    ),
    case(
        "ternary-undefined-condition",
        "products",
        'SELECT p.id, p.onSale ? "sale" : "regular" AS label FROM p',
        [
            {"id": "p1", "label": "sale"},
            {"id": "p2", "label": "regular"},
            {"id": "p3", "label": "sale"},
            {"id": "p4"},
            {"id": "p5", "label": "regular"},
        ],
        ordered=False,
    ),
    case(
        "nested-ternary",
        "products",
        'SELECT VALUE p.price < 20 ? "low" : p.price < 100 ? "mid" : "high" FROM p ORDER BY p.id',
        ["mid", "mid", "high", "high", "low"],
    ),
    case(
        "coalesce",
        "products",
        "SELECT p.id, p.rating ?? 0 AS rating FROM p",
        [
            {"id": "p1", "rating": 4.5},
            {"id": "p2", "rating": None},
            {"id": "p3", "rating": 0},
            {"id": "p4", "rating": 0},
            {"id": "p5", "rating": 3.8},
        ],
        ordered=False,
    ),
    case(
        "coalesce-chain",
        "products",
        'SELECT VALUE p.discount ?? p.rating ?? "none" FROM p',
        [4.5, None, "none", "none", 3.8],
        ordered=False,
    ),
    case(
        "bitwise",
        "products",
        "SELECT VALUE [p.stock.quantity & 3, p.stock.quantity | 1, p.stock.quantity ^ 5] "
        'FROM p WHERE p.id = "p1"',
        [[0, 13, 9]],
    ),
    case("unary-minus", "products", "SELECT VALUE p.id FROM p WHERE -p.price < -200", ["p4"]),
    case(
        "parameters",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.category = @cat AND p.price <= @max",
        ["p2"],
        params={"@cat": "bags", "@max": 30},
    ),
    case(
        "parameter-array",
        "products",
        "SELECT VALUE p.id FROM p WHERE ARRAY_CONTAINS(@ids, p.id)",
        ["p1", "p5"],
        ordered=False,
        params={"@ids": ["p1", "p5"]},
    ),
    case(
        "parameter-top",
        "products",
        "SELECT TOP @n VALUE p.id FROM p ORDER BY p.price",
        ["p5", "p2"],
        params={"@n": 2},
    ),
    case(
        "parameter-name-without-at",
        "products",
        "SELECT VALUE p.id FROM p WHERE p.category = @cat",
        ["p5"],
        params={"cat": "socks"},
    ),
    case(
        "parameter-offset-limit",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.id OFFSET @skip LIMIT @take",
        ["p3", "p4"],
        params={"@skip": 2, "@take": 2},
    ),
]

ORDER_CASES = [
    case(
        "ascending",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.price",
        ["p5", "p2", "p1", "p3", "p4"],
    ),
    case(
        "descending",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.price DESC",
        ["p4", "p3", "p1", "p2", "p5"],
    ),
    case(
        "strings",
        "products",
        "SELECT VALUE p.name FROM p ORDER BY p.name",
        ["City tote", "Hiking socks", "Rain jacket", "Trail backpack", "Wool coat"],
    ),
    case(
        "two-keys",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.category ASC, p.price DESC",
        ["p1", "p2", "p4", "p3", "p5"],
    ),
    case(
        "mixed-types-ascending",
        "mixed",
        "SELECT VALUE c.id FROM c ORDER BY c.v",
        ["d", "c", "f", "e", "i", "b", "a", "g", "h"],
    ),
    case(
        "mixed-types-descending",
        "mixed",
        "SELECT VALUE c.id FROM c ORDER BY c.v DESC",
        ["h", "g", "a", "b", "i", "e", "f", "c", "d"],
    ),
    case(
        "top",
        "products",
        "SELECT TOP 2 VALUE p.id FROM p ORDER BY p.price DESC",
        ["p4", "p3"],
    ),
    case(
        "offset-limit",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.price OFFSET 1 LIMIT 2",
        ["p2", "p1"],
    ),
    case(
        "offset-past-end",
        "products",
        "SELECT VALUE p.id FROM p ORDER BY p.price OFFSET 10 LIMIT 2",
        [],
    ),
    case("limit-zero", "products", "SELECT VALUE p.id FROM p OFFSET 0 LIMIT 0", []),
    case(
        "expression-key",
        "products",
        "SELECT TOP 3 VALUE p.id FROM p ORDER BY LENGTH(p.name) DESC",
        ["p1", "p5", "p3"],
    ),
    case(
        "join-key",
        "households",
        "SELECT VALUE m.name FROM h JOIN m IN h.members ORDER BY m.age",
        ["Chidi", "Ada", "Lena"],
    ),
    case(
        "number-desc",
        "households",
        "SELECT VALUE h.id FROM h ORDER BY h.created DESC",
        ["h3", "h1", "h2"],
    ),
    case(
        "undefined-first",
        "households",
        "SELECT h.id, h.surname FROM h ORDER BY h.surname",
        [{"id": "h2"}, {"id": "h1", "surname": "Okafor"}, {"id": "h3", "surname": "Silva"}],
    ),
    case(
        "distinct-value",
        "products",
        "SELECT DISTINCT VALUE p.category FROM p",
        ["bags", "coats", "socks"],
        ordered=False,
    ),
    case(
        "distinct-value-ordered",
        "products",
        "SELECT DISTINCT VALUE p.category FROM p ORDER BY p.category DESC",
        ["socks", "coats", "bags"],
    ),
    case(
        "distinct-object",
        "products",
        "SELECT DISTINCT p.stock.warehouse FROM p",
        [{"warehouse": "Seattle"}, {"warehouse": "Redmond"}, {"warehouse": "Portland"}],
        ordered=False,
    ),
    case(
        "distinct-with-missing",
        "products",
        "SELECT DISTINCT p.onSale FROM p",
        [{"onSale": True}, {"onSale": False}, {}],
        ordered=False,
    ),
    case(
        "distinct-join",
        "products",
        "SELECT DISTINCT VALUE t FROM t IN p.tags",
        ["outdoor", "hiking", "urban", "rain"],
        ordered=False,
    ),
    case(
        "distinct-top",
        "products",
        "SELECT DISTINCT TOP 2 VALUE p.category FROM p ORDER BY p.category",
        ["bags", "coats"],
    ),
]

AGGREGATE_CASES = [
    case("count-all", "products", "SELECT VALUE COUNT(1) FROM p", [5]),
    case("count-defined-values", "products", "SELECT VALUE COUNT(p.rating) FROM p", [3]),
    case(
        "count-no-rows",
        "products",
        "SELECT VALUE COUNT(1) FROM p WHERE p.price > 1000",
        [0],
    ),
    case("sum", "products", "SELECT VALUE SUM(p.stock.quantity) FROM p", [63]),
    case(
        "avg",
        "products",
        'SELECT VALUE AVG(p.price) FROM p WHERE p.category = "coats"',
        [165.25],
    ),
    case(
        "avg-skips-undefined",
        "products",
        'SELECT VALUE AVG(p.rating) FROM p WHERE p.id != "p2"',
        [4.15],
    ),
    case("avg-with-null-is-undefined", "products", "SELECT VALUE AVG(p.rating) FROM p", []),
    case(
        "min-max",
        "products",
        "SELECT MIN(p.price) AS lo, MAX(p.price) AS hi FROM p",
        [{"lo": 9.5, "hi": 210}],
    ),
    case("min-string", "products", "SELECT VALUE MIN(p.name) FROM p", ["City tote"]),
    case(
        "max-no-rows",
        "products",
        "SELECT VALUE MAX(p.price) FROM p WHERE p.price > 1000",
        [],
    ),
    case(
        "sum-no-rows",
        "products",
        "SELECT VALUE SUM(p.price) FROM p WHERE p.price > 1000",
        [0],
    ),
    case(
        "aggregates-object-no-rows",
        "products",
        "SELECT COUNT(1) AS n, AVG(p.price) AS avg FROM p WHERE p.price > 1000",
        [{"n": 0}],
    ),
    case(
        "group-by-count",
        "products",
        "SELECT p.category, COUNT(1) AS n FROM p GROUP BY p.category",
        [
            {"category": "bags", "n": 2},
            {"category": "coats", "n": 2},
            {"category": "socks", "n": 1},
        ],
        ordered=False,
    ),
    case(
        "group-by-sum",
        "products",
        "SELECT p.stock.warehouse AS w, SUM(p.stock.quantity) AS qty "
        "FROM p GROUP BY p.stock.warehouse",
        [{"w": "Seattle", "qty": 16}, {"w": "Redmond", "qty": 40}, {"w": "Portland", "qty": 7}],
        ordered=False,
    ),
    case(
        "group-by-undefined-key",
        "products",
        "SELECT p.onSale AS sale, COUNT(1) AS n FROM p GROUP BY p.onSale",
        [{"sale": True, "n": 2}, {"sale": False, "n": 2}, {"n": 1}],
        ordered=False,
    ),
    case(
        "group-by-value",
        "products",
        "SELECT VALUE COUNT(1) FROM p GROUP BY p.category",
        [2, 2, 1],
        ordered=False,
    ),
    case(
        "group-by-two-keys",
        "products",
        "SELECT p.category, p.onSale, COUNT(1) AS n FROM p GROUP BY p.category, p.onSale",
        [
            {"category": "bags", "onSale": True, "n": 1},
            {"category": "bags", "onSale": False, "n": 1},
            {"category": "coats", "onSale": True, "n": 1},
            {"category": "coats", "n": 1},
            {"category": "socks", "onSale": False, "n": 1},
        ],
        ordered=False,
    ),
    case(
        "group-by-after-join",
        "households",
        "SELECT h.id, COUNT(1) AS members FROM h JOIN m IN h.members GROUP BY h.id",
        [{"id": "h1", "members": 2}, {"id": "h2", "members": 1}],
        ordered=False,
    ),
    case(
        "count-double-join",
        "households",
        "SELECT VALUE COUNT(1) FROM h JOIN m IN h.members JOIN pet IN m.pets",
        [3],
    ),
    case("count-without-from", "empty", "SELECT VALUE COUNT(1)", [1]),
    case(
        "group-by-with-where",
        "products",
        'SELECT p.category, AVG(p.price) AS avg FROM p WHERE p.category != "socks" '
        "GROUP BY p.category",
        [{"category": "bags", "avg": 37.495}, {"category": "coats", "avg": 165.25}],
        ordered=False,
    ),
]

SUBQUERY_CASES = [
    case(
        "exists-in-where",
        "households",
        "SELECT VALUE h.id FROM h "
        "WHERE EXISTS(SELECT VALUE m FROM m IN h.members WHERE m.age < 18)",
        ["h1"],
    ),
    case(
        "exists-in-select",
        "households",
        "SELECT h.id, EXISTS(SELECT VALUE pet FROM m IN h.members JOIN pet IN m.pets "
        'WHERE pet.kind = "fish") AS hasFish FROM h',
        [
            {"id": "h1", "hasFish": False},
            {"id": "h2", "hasFish": True},
            {"id": "h3", "hasFish": False},
        ],
        ordered=False,
    ),
    case(
        "array-subquery",
        "households",
        "SELECT h.id, ARRAY(SELECT VALUE m.name FROM m IN h.members) AS names FROM h",
        [
            {"id": "h1", "names": ["Ada", "Chidi"]},
            {"id": "h2", "names": ["Lena"]},
            {"id": "h3", "names": []},
        ],
        ordered=False,
    ),
    case(
        "scalar-subquery-count",
        "households",
        "SELECT h.id, (SELECT VALUE COUNT(1) FROM m IN h.members) AS size FROM h",
        [{"id": "h1", "size": 2}, {"id": "h2", "size": 1}, {"id": "h3", "size": 0}],
        ordered=False,
    ),
    case(
        "scalar-subquery-in-where",
        "households",
        "SELECT VALUE h.id FROM h WHERE (SELECT VALUE MAX(m.age) FROM m IN h.members) > 40",
        ["h2"],
    ),
    case(
        "scalar-subquery-object",
        "households",
        "SELECT h.id, (SELECT COUNT(1) AS n, MIN(m.age) AS youngest FROM m IN h.members) AS stats "
        'FROM h WHERE h.id = "h1"',
        [{"id": "h1", "stats": {"n": 2, "youngest": 8}}],
    ),
    case(
        "scalar-subquery-without-from",
        "households",
        'SELECT (SELECT VALUE h.surname ?? "unknown") AS surname FROM h',
        [{"surname": "Okafor"}, {"surname": "unknown"}, {"surname": "Silva"}],
        ordered=False,
    ),
    case(
        "scalar-subquery-member-access",
        "households",
        'SELECT h.id, (SELECT h.surname WHERE STARTSWITH(h.surname, "S")).surname FROM h',
        [{"id": "h1"}, {"id": "h2"}, {"id": "h3", "surname": "Silva"}],
        ordered=False,
    ),
    case(
        "join-filtered-subquery",
        "households",
        "SELECT h.id, a.name FROM h JOIN (SELECT VALUE m FROM m IN h.members WHERE m.age > 30) a",
        [{"id": "h1", "name": "Ada"}, {"id": "h2", "name": "Lena"}],
        ordered=False,
    ),
    case(
        "join-in-subquery-array",
        "households",
        'SELECT VALUE x FROM h JOIN x IN (SELECT VALUE [1, 2]) WHERE h.id = "h3"',
        [1, 2],
        ordered=False,
    ),
    case(
        "exists-of-undefined-value",
        "households",
        "SELECT h.id, EXISTS(SELECT VALUE h.surname) AS named FROM h",
        [{"id": "h1", "named": True}, {"id": "h2", "named": False}, {"id": "h3", "named": True}],
        ordered=False,
    ),
    case(
        "array-subquery-distinct",
        "households",
        "SELECT VALUE ARRAY(SELECT DISTINCT VALUE pet.kind FROM m IN h.members "
        "JOIN pet IN m.pets) FROM h",
        [["cat"], ["dog", "fish"], []],
        ordered=False,
    ),
    case(
        "subquery-order-top",
        "households",
        "SELECT h.id, (SELECT TOP 1 VALUE m.name FROM m IN h.members ORDER BY m.age DESC) "
        "AS eldest FROM h",
        [{"id": "h1", "eldest": "Ada"}, {"id": "h2", "eldest": "Lena"}, {"id": "h3"}],
        ordered=False,
    ),
    case(
        "join-subquery-object-once",
        "households",
        "SELECT h.id, s.n FROM h JOIN (SELECT COUNT(1) AS n FROM m IN h.members) s WHERE s.n >= 1",
        [{"id": "h1", "n": 2}, {"id": "h2", "n": 1}],
        ordered=False,
    ),
]

FUNCTION_CASES = [
    case(
        "concat-fields",
        "products",
        'SELECT VALUE CONCAT(p.id, ":", LOWER(p.category)) FROM p WHERE p.price > 200',
        ["p4:coats"],
    ),
    case(
        "contains-ignore-case",
        "products",
        'SELECT VALUE p.id FROM p WHERE CONTAINS(p.name, "COAT", true)',
        ["p4"],
    ),
    case(
        "startswith-ignore-case",
        "products",
        'SELECT VALUE p.id FROM p WHERE STARTSWITH(p.name, "h", true)',
        ["p5"],
    ),
    case(
        "array-contains",
        "products",
        'SELECT VALUE p.id FROM p WHERE ARRAY_CONTAINS(p.tags, "hiking")',
        ["p1", "p3", "p5"],
        ordered=False,
    ),
    case(
        "array-contains-partial",
        "products",
        'SELECT VALUE p.id FROM p WHERE ARRAY_CONTAINS(p.sizes, {size: "M"}, true)',
        ["p3"],
    ),
    case(
        "array-length",
        "products",
        "SELECT p.id, ARRAY_LENGTH(p.tags) AS n FROM p ORDER BY p.id",
        [
            {"id": "p1", "n": 2},
            {"id": "p2", "n": 1},
            {"id": "p3", "n": 3},
            {"id": "p4", "n": 0},
            {"id": "p5", "n": 1},
        ],
    ),
    case(
        "iif",
        "products",
        'SELECT VALUE IIF(p.onSale, "sale", "full price") FROM p ORDER BY p.id',
        ["sale", "full price", "sale", "full price", "full price"],
    ),
    case(
        "round",
        "products",
        "SELECT VALUE ROUND(p.price) FROM p ORDER BY p.id",
        [50, 25, 121, 210, 10],
    ),
    case(
        "is-number",
        "products",
        "SELECT VALUE IS_NUMBER(p.rating) FROM p ORDER BY p.id",
        [True, False, False, False, True],
    ),
    case(
        "tostring",
        "products",
        "SELECT VALUE ToString(p.price) FROM p ORDER BY p.id",
        ["49.99", "25", "120.5", "210", "9.5"],
    ),
    case(
        "setunion",
        "products",
        'SELECT VALUE SetUnion(p.tags, ["new", "urban"]) FROM p WHERE p.id = "p2"',
        [["urban", "new"]],
    ),
    case(
        "objecttoarray",
        "products",
        'SELECT VALUE ObjectToArray(p.stock) FROM p WHERE p.id = "p4"',
        [[{"k": "warehouse", "v": "Portland"}, {"k": "quantity", "v": 7}]],
    ),
    case(
        "datetimepart-on-field",
        "products",
        'SELECT VALUE DateTimePart("mm", p.released) FROM p WHERE IS_DEFINED(p.released) '
        "ORDER BY p.id",
        [3, 11],
    ),
    case(
        "datetime-filter",
        "products",
        'SELECT VALUE p.id FROM p WHERE p.released > "2023-01-01T00:00:00Z"',
        ["p1"],
    ),
    case(
        "lowercase-function-names",
        "products",
        'SELECT VALUE upper(substring(p.name, 0, 4)) FROM p WHERE p.id = "p1"',
        ["TRAI"],
    ),
]


@pytest.mark.parametrize(
    ("dataset_name", "query", "expected", "ordered", "params"),
    SELECT_CASES + FROM_CASES + WHERE_CASES + ORDER_CASES + AGGREGATE_CASES + SUBQUERY_CASES
    + FUNCTION_CASES,
)  # fmt: skip
def test_query(dataset, check_result, dataset_name, query, expected, ordered, params):
    result = evaluate(query, dataset(dataset_name), parameters=params)
    check_result(result, expected, ordered)


def test_case_count():
    """The table keeps at least 100 documented-style cases."""
    total = (
        len(SELECT_CASES)
        + len(FROM_CASES)
        + len(WHERE_CASES)
        + len(ORDER_CASES)
        + len(AGGREGATE_CASES)
        + len(SUBQUERY_CASES)
        + len(FUNCTION_CASES)
    )
    assert total >= 100
