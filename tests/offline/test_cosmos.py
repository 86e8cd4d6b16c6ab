"""The offline translator on a document container: questions against hand-written Cosmos
DB queries, run on a small container of products with nested objects and arrays."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data_assistant.cosmosql import evaluate, parse, to_text
from data_assistant.errors import Refusal
from data_assistant.evaluation import (
    EvalCase,
    EvalFileError,
    documents_match,
    is_ordered_query,
    json_values_match,
    load_cases,
    run_eval,
)
from data_assistant.evaluation.documents_target import DocumentsTarget
from data_assistant.evaluation.sqlite_target import snapshot
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.schema.documents import infer_container_schema
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.base import Translation, TranslationRequest
from data_assistant.translate.offline import OfflineTranslator
from data_assistant.translate.offline.containers import container_model
from tests.offline.conftest import SHOP_SQL

TODAY = date(2025, 6, 30)
SUPPLIERS = {
    1: {"id": 1, "name": "Nordic Sound", "country": "Sweden"},
    2: {"id": 2, "name": "Berlin Tech", "country": "Germany"},
    3: {"id": 3, "name": "Pacific Devices", "country": "Japan"},
    4: {"id": 4, "name": "Maple Gear", "country": "Canada"},
}


def _p(
    n: int,
    name: str,
    category: str,
    price: float,
    stock: bool,
    released: str,
    supplier: int,
    tags: list[str],
    variants: list[tuple[str, str, int]],
    reviews: list[tuple[int, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One product; `reviews` None leaves the property out (undefined, not empty)."""
    doc: dict[str, Any] = {
        "id": f"p{n:02d}", "name": name, "category": category, "price": price,
        "inStock": stock, "releasedAt": released, "supplier": SUPPLIERS[supplier],
        "tags": tags, "variants": [{"sku": s, "color": c, "stock": q} for s, c, q in variants],
    }  # fmt: skip
    if reviews is not None:
        doc["reviews"] = [{"rating": r, "author": a} for r, a in reviews]
    doc.update(extra)
    return doc


DOCS = [
    _p(1, "Aria Buds", "Audio", 49, True, "2023-03-10T09:00:00Z", 1, ["wireless", "sale"],
       [("A1-B", "black", 10), ("A1-W", "white", 0)], [(5, "ann"), (4, "bo")], notes="bestseller"),
    _p(2, "Aria Max", "Audio", 299, True, "2024-05-02T10:30:00Z", 1, ["wireless", "new"],
       [("A2-B", "black", 3)], [(3, "cy")]),
    _p(3, "Boom Box", "Audio", 129, False, "2022-11-20T08:00:00Z", 2, ["sale"],
       [("B1-R", "red", 0), ("B1-B", "black", 2)], [], notes=None),
    _p(4, "Studio Monitor", "Audio", 399, True, "2024-09-15T12:00:00Z", 2, [],
       [("SM-B", "black", 5)]),
    _p(5, "AirBook 13", "Laptops", 999, True, "2023-01-10T09:00:00Z", 3, ["new"],
       [("AB-S", "silver", 4), ("AB-G", "gray", 6)], [(5, "ann"), (5, "dee"), (4, "eli")]),
    _p(6, "ProBook 16", "Laptops", 1899, True, "2024-02-01T09:00:00Z", 3, [],
       [("PB-S", "silver", 2)], [(4, "bo")]),
    _p(7, "Edu Book", "Laptops", 499, False, "2022-08-30T09:00:00Z", 4, ["refurbished", "sale"],
       [("EB-B", "black", 0)], [(2, "cy"), (3, "fay")]),
    _p(8, "Travel Book", "Laptops", 1299, True, "2025-03-05T09:00:00Z", 2, ["new"],
       [("TB-S", "silver", 7), ("TB-B", "black", 1), ("TB-R", "red", 2)], notes="limited"),
    _p(9, "Phone X", "Phones", 799, True, "2024-09-01T09:00:00Z", 3, ["new", "wireless"],
       [("PX-B", "black", 12), ("PX-W", "white", 4)], [(4, "ann")]),
    _p(10, "Phone Mini", "Phones", 599, True, "2023-06-12T09:00:00Z", 3, ["sale"],
       [("PM-R", "red", 3)], [(5, "gus"), (2, "hal")]),
    _p(11, "Phone Lite", "Phones", 299, False, "2022-04-18T09:00:00Z", 4, ["refurbished"],
       [("PL-B", "black", 0)], []),
    _p(12, "Phone Pro", "Phones", 1099, True, "2025-01-20T09:00:00Z", 2, ["new"],
       [("PP-S", "silver", 8), ("PP-G", "gray", 5)], [(5, "ann"), (4, "gus")]),
    _p(13, "USB Cable", "Accessories", 9, True, "2022-01-05T09:00:00Z", 4, ["sale"],
       [("UC-W", "white", 100)], [(4, "bo"), (3, "hal"), (5, "cy")]),
    _p(14, "Laptop Stand", "Accessories", 39, True, "2023-09-09T09:00:00Z", 1, [],
       [("LS-S", "silver", 20)], [(4, "dee")]),
    _p(15, "Phone Case", "Accessories", 19, True, "2024-01-15T09:00:00Z", 4, ["sale", "new"],
       [("PC-B", "black", 50), ("PC-R", "red", 30), ("PC-W", "white", 0)], [(3, "eli")]),
    _p(16, "Wireless Mouse", "Accessories", 29, False, "2023-11-11T09:00:00Z", 2, ["wireless"],
       [("WM-B", "black", 0)], [(2, "fay"), (1, "gus")], notes=None),
    _p(17, "Keyboard", "Accessories", 59, True, "2024-07-07T09:00:00Z", 1,
       ["wireless", "refurbished"], [("KB-B", "black", 9)]),
    _p(18, "Webcam", "Accessories", 79, True, "2025-02-14T09:00:00Z", 3, ["new"],
       [("WC-B", "black", 11)], [(5, "hal")]),
    _p(19, "Soundbar", "Audio", 249, True, "2025-05-30T09:00:00Z", 4, ["new", "wireless"],
       [("SB-B", "black", 4)], [(4, "ann"), (4, "bo")]),
    _p(20, "Charger", "Accessories", 25, False, "2023-04-04T09:00:00Z", 3, [],
       [("CH-W", "white", 0)], []),
]  # fmt: skip

CASES = [
    # filters: known values, numbers, booleans, dates, negation, missing properties
    ("how many products are there", "SELECT VALUE COUNT(1) FROM c"),
    ("products in the Audio category", "SELECT * FROM c WHERE c.category = 'Audio'"),
    ("products priced over 500", "SELECT * FROM c WHERE c.price > 500"),
    ("products under $50", "SELECT * FROM c WHERE c.price < 50"),
    ("products that are in stock", "SELECT * FROM c WHERE c.inStock"),
    (
        "Audio products not in stock",
        "SELECT * FROM c WHERE c.category = 'Audio' AND NOT c.inStock",
    ),
    (
        "products released in 2024",
        "SELECT * FROM c WHERE c.releasedAt BETWEEN '2024-01-01' AND '2024-12-31T23:59:59Z'",
    ),
    (
        "products released in the last 6 months",
        "SELECT * FROM c WHERE c.releasedAt >= '2024-12-30'",
    ),
    ("products without notes", "SELECT * FROM c WHERE NOT IS_STRING(c.notes)"),
    # nested objects
    ("products from suppliers in Germany", "SELECT * FROM c WHERE c.supplier.country = 'Germany'"),
    ("products from Nordic Sound", "SELECT * FROM c WHERE c.supplier.name = 'Nordic Sound'"),
    ("distinct supplier countries", "SELECT DISTINCT VALUE c.supplier.country FROM c"),
    ("how many suppliers", "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.supplier FROM c)"),
    (
        "suppliers in Japan",
        "SELECT VALUE {'id': 3, 'name': 'Pacific Devices', 'country': 'Japan'} FROM c "
        "WHERE c.id = 'p05'",
    ),
    # counts, sums, averages, extremes, groups
    ("products per category", "SELECT c.category, COUNT(1) AS n FROM c GROUP BY c.category"),
    ("average price by category", "SELECT c.category, AVG(c.price) FROM c GROUP BY c.category"),
    (
        "products in stock per category",
        "SELECT c.category, COUNT(1) AS n FROM c WHERE c.inStock = true GROUP BY c.category",
    ),
    (
        "average price per supplier country",
        "SELECT c.supplier.country, AVG(c.price) AS p FROM c GROUP BY c.supplier.country",
    ),
    (
        "number of products per supplier",
        "SELECT c.supplier.name, COUNT(1) AS n FROM c GROUP BY c.supplier.name",
    ),
    (
        "products per year",
        "SELECT SUBSTRING(c.releasedAt, 0, 4) AS y, COUNT(1) AS n FROM c "
        "GROUP BY SUBSTRING(c.releasedAt, 0, 4)",
    ),
    (
        "number of products released each month in 2024",
        "SELECT SUBSTRING(c.releasedAt, 0, 7) AS m, COUNT(1) AS n FROM c "
        "WHERE STARTSWITH(c.releasedAt, '2024') GROUP BY SUBSTRING(c.releasedAt, 0, 7)",
    ),
    # ranking
    ("3 most expensive products", "SELECT TOP 3 * FROM c ORDER BY c.price DESC"),
    ("the cheapest product", "SELECT TOP 1 * FROM c ORDER BY c.price ASC"),
    ("the 2 newest products", "SELECT TOP 2 * FROM c ORDER BY c.releasedAt DESC"),
    (
        "top 2 categories by number of products",
        "SELECT TOP 2 g.category FROM (SELECT c.category, COUNT(1) AS n FROM c "
        "GROUP BY c.category) g ORDER BY g.n DESC",
    ),
    (
        "top 2 categories by number of products, with the counts",
        "SELECT TOP 2 g.category, g.n FROM (SELECT c.category, COUNT(1) AS n FROM c "
        "GROUP BY c.category) g ORDER BY g.n DESC",
    ),
    # arrays of plain values
    ("products tagged wireless", "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'wireless')"),
    (
        "how many products are tagged refurbished",
        "SELECT VALUE COUNT(1) FROM c JOIN t IN c.tags WHERE t = 'refurbished'",
    ),
    (
        "wireless products tagged new",
        "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'new') "
        "AND ARRAY_CONTAINS(c.tags, 'wireless')",
    ),
    (
        "products tagged both new and wireless",
        "SELECT * FROM c WHERE ARRAY_CONTAINS(c.tags, 'new') "
        "AND ARRAY_CONTAINS(c.tags, 'wireless')",
    ),
    (
        "Audio products with both red and black variants",
        "SELECT * FROM c WHERE c.category = 'Audio' AND EXISTS(SELECT VALUE v FROM v IN c.variants"
        " WHERE v.color = 'red') AND EXISTS(SELECT VALUE v FROM v IN c.variants"
        " WHERE v.color = 'black')",
    ),
    (
        "products without the refurbished tag",
        "SELECT * FROM c WHERE NOT ARRAY_CONTAINS(c.tags, 'refurbished')",
    ),
    # arrays of objects
    (
        "products with red variants",
        "SELECT DISTINCT VALUE c FROM c JOIN v IN c.variants WHERE v.color = 'red'",
    ),
    (
        "products with no red variants",
        "SELECT * FROM c WHERE ARRAY_LENGTH(ARRAY(SELECT VALUE v FROM v IN c.variants "
        "WHERE v.color = 'red')) = 0",
    ),
    ("products with more than 2 variants", "SELECT * FROM c WHERE ARRAY_LENGTH(c.variants) > 2"),
    ("products whose name contains BOOK", "SELECT * FROM c WHERE CONTAINS(LOWER(c.name), 'book')"),
    (
        "products with no reviews",
        "SELECT * FROM c WHERE NOT IS_DEFINED(c.reviews) OR ARRAY_LENGTH(c.reviews) = 0",
    ),
    (
        "count of variants per color",
        "SELECT x.color, COUNT(1) AS n FROM c JOIN x IN c.variants GROUP BY x.color",
    ),
    ("total stock of variants", "SELECT VALUE SUM(x.stock) FROM c JOIN x IN c.variants"),
    ("maximum variant stock", "SELECT VALUE MAX(x.stock) FROM c JOIN x IN c.variants"),
    ("list the colors", "SELECT DISTINCT VALUE x.color FROM c JOIN x IN c.variants"),
    (
        "total stock per supplier",
        "SELECT c.supplier.name, SUM(x.stock) AS s FROM c JOIN x IN c.variants "
        "GROUP BY c.supplier.name",
    ),
    ("average rating of reviews", "SELECT VALUE AVG(r.rating) FROM c JOIN r IN c.reviews"),
    # several aggregates: one object of them, or one per group
    (
        "the average, minimum and maximum price of products",
        "SELECT AVG(c.price) AS a, MIN(c.price) AS lo, MAX(c.price) AS hi FROM c",
    ),
    (
        "minimum and maximum price of Audio products",
        "SELECT MIN(c.price) AS lo, MAX(c.price) AS hi FROM c WHERE c.category = 'Audio'",
    ),
    (
        "average and maximum price per category",
        "SELECT c.category, AVG(c.price) AS a, MAX(c.price) AS hi FROM c GROUP BY c.category",
    ),
    ("how many reviews", "SELECT VALUE SUM(ARRAY_LENGTH(c.reviews)) FROM c"),
    (
        "reviews from ann",
        "SELECT r.rating, r.author FROM c JOIN r IN c.reviews WHERE r.author = 'ann'",
    ),
    (
        "average rating per product category",
        "SELECT c.category, AVG(r.rating) AS a FROM c JOIN r IN c.reviews GROUP BY c.category",
    ),
]

REFUSALS = [
    "median price",
    "delete the discontinued products",
    # a total per tag or per variant colour would count a product once per element
    "average price of products per tag",
    "number of products per variant color",
    # on a list, `new and wireless` may mean both tags, or either (`both` says which)
    "products tagged new and wireless",
    "products with red and black variants",
    "products with silver or gray variants",
    # aggregates over different lists of a document, or ranked groups of several
    "average price and maximum variant stock",
    "top 2 categories by average and maximum price",
    # a direction with nothing to sort by would come back unsorted
    "Audio products, in descending order",
    # each document holds its own supplier
    "suppliers without products",
    "the weather in Paris",
]


@pytest.fixture(scope="module")
def schema() -> SchemaSnapshot:
    return infer_container_schema(DOCS, source="shop", container="products")


@pytest.fixture(scope="module")
def translator() -> OfflineTranslator:
    return OfflineTranslator(today=TODAY)


def ask(translator: OfflineTranslator, schema: SchemaSnapshot, question: str) -> Translation:
    return translator.translate(TranslationRequest(question, "shop", "cosmos", schema))


def run(query: str, parameters: dict[str, Any] | None = None) -> list[Any]:
    return evaluate(parse(query), DOCS, parameters=parameters)


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_question_gives_the_expected_documents(
    translator: OfflineTranslator, schema: SchemaSnapshot, question: str, expected: str
) -> None:
    got = ask(translator, schema, question)
    gold = run(expected)
    assert gold, "a case whose answer is empty proves little"
    assert documents_match(run(got.query), gold, is_ordered_query(expected)), got.query


@pytest.mark.parametrize("question", [q for q, _ in CASES])
def test_queries_parse_pass_the_guard_and_run_guarded(
    translator: OfflineTranslator, schema: SchemaSnapshot, question: str
) -> None:
    got = ask(translator, schema, question)
    tree = parse(got.query)
    assert to_text(tree) == got.query
    guarded = check_cosmos_query(got.query, container="products", max_items=1000)
    assert run(guarded.query, guarded.parameters) == run(got.query)
    assert got.explanation and "\n" not in got.explanation


@pytest.mark.parametrize("question", REFUSALS)
def test_refusals_say_what_was_not_understood(
    translator: OfflineTranslator, schema: SchemaSnapshot, question: str
) -> None:
    with pytest.raises(Refusal) as caught:
        ask(translator, schema, question)
    reason = caught.value.reason
    assert reason.startswith("I could not ")
    assert reason.endswith("configure an LLM translator for questions like this.")


@pytest.mark.parametrize(
    ("question", "query"),
    [
        ("products per category",
         "SELECT c.category AS category, COUNT(1) AS count FROM c GROUP BY c.category"),
        ("how many products are tagged refurbished",
         'SELECT VALUE COUNT(1) FROM c WHERE ARRAY_CONTAINS(c.tags, "refurbished")'),
        ("count of variants per color",
         "SELECT v.color AS color, COUNT(1) AS count FROM c JOIN v IN c.variants "
         "GROUP BY v.color"),
        ("products with red variants",
         'SELECT * FROM c WHERE EXISTS(SELECT VALUE v FROM v IN c.variants WHERE v.color = "red")'),
        ("3 most expensive products", "SELECT TOP 3 * FROM c ORDER BY c.price DESC"),
        ("distinct supplier countries", "SELECT DISTINCT VALUE c.supplier.country FROM c"),
        ("products released in 2024",
         'SELECT * FROM c WHERE c.releasedAt >= "2024-01-01" AND c.releasedAt < "2025-01-01"'),
        ("products without notes",
         "SELECT * FROM c WHERE NOT IS_DEFINED(c.notes) OR IS_NULL(c.notes)"),
        ("how many suppliers",
         "SELECT VALUE COUNT(1) FROM (SELECT DISTINCT VALUE c.supplier.id FROM c)"),
    ],
)  # fmt: skip
def test_query_forms(
    translator: OfflineTranslator, schema: SchemaSnapshot, question: str, query: str
) -> None:
    assert ask(translator, schema, question).query == query


def test_explanations_name_property_paths(
    translator: OfflineTranslator, schema: SchemaSnapshot
) -> None:
    got = ask(translator, schema, "products without the refurbished tag")
    assert got.explanation == "rows of products, that have no tags[] where tags[] = 'refurbished'"
    got = ask(translator, schema, "total stock per supplier")
    assert got.explanation == "sum of variants[].stock grouped by supplier"
    got = ask(translator, schema, "products released in the last 6 months")
    assert "counted back from today (2025-06-30)" in (got.explanation or "")


def test_container_paths_become_related_tables(schema: SchemaSnapshot) -> None:
    model = container_model(schema)
    kinds = {key: node.kind for key, node in model.nodes.items()}
    assert kinds == {
        "products": "root", "supplier": "object", "tags[]": "array", "variants[]": "array",
        "reviews[]": "array",
    }  # fmt: skip
    assert model.nodes["tags[]"].scalar and not model.nodes["variants[]"].scalar
    assert model.path("variants[]", "color") == "variants[].color"
    assert model.path("tags[]", "tag") == "tags[]"
    assert model.path("supplier", "country") == "supplier.country"
    # Links are hidden columns without words: no question can name them.
    hidden = {
        (t.name, c.name) for t in model.snapshot.tables for c in t.columns if c.name[0] == "$"
    }
    assert hidden and all(set(name) == {"$"} for _, name in hidden)
    named = {(c.table, c.column) for cands in model.index.terms.values() for c in cands}
    assert not hidden & named


def test_odd_property_names_and_nested_lists() -> None:
    docs = [
        {"id": "a", "unit price": 5, "Value": "x", "grid": [[1, 2]], "flags": {"hot": True},
         "lines": [{"sku": "s1", "qty": 2, "parts": [{"pn": "p1"}]}]},
        {"id": "b", "unit price": 7, "Value": "y", "grid": [[5]], "flags": {"hot": False},
         "lines": [{"sku": "s2", "qty": 1, "parts": [{"pn": "p1"}, {"pn": "p2"}]}]},
        {"id": "c", "unit price": 9, "Value": "x", "grid": [], "flags": {"hot": True},
         "lines": [{"sku": "s1", "qty": 4, "parts": []}]},
    ]  # fmt: skip
    schema = infer_container_schema(docs, source="t", container="orders")
    translator = OfflineTranslator(today=TODAY)

    def query(question: str) -> str:
        return translator.translate(TranslationRequest(question, "t", "cosmos", schema)).query

    assert query("average unit price") == 'SELECT VALUE AVG(c["unit price"]) FROM c'
    assert query("the values") == 'SELECT DISTINCT VALUE c["Value"] FROM c'
    assert query("hot orders") == "SELECT * FROM c WHERE c.flags.hot = true"
    assert (
        query("count of parts")
        == "SELECT VALUE COUNT(1) FROM c JOIN l IN c.lines JOIN p IN l.parts"
    )
    assert evaluate(parse(query("count of parts")), docs) == [3]
    # An array of arrays has no table: its words are not understood.
    with pytest.raises(Refusal):
        query("how many grids")


def test_only_one_container_per_request(translator: OfflineTranslator) -> None:
    two = SchemaSnapshot("s", "cosmos", tables=(*infer_container_schema(DOCS, source="s",
                         container="a").tables, *infer_container_schema(DOCS, source="s",
                         container="b").tables))  # fmt: skip
    with pytest.raises(Refusal):
        translator.translate(TranslationRequest("how many a", "s", "cosmos", two))


def test_one_translator_serves_databases_and_containers(
    translator: OfflineTranslator, schema: SchemaSnapshot
) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(SHOP_SQL)
    shop = snapshot(conn, "shop")
    conn.close()
    assert ask(translator, schema, "products per category").query.endswith("GROUP BY c.category")
    sql = translator.translate(TranslationRequest("customers in Germany", "shop", "sqlite", shop))
    assert sql.query.endswith("FROM customers WHERE customers.country = 'Germany'")
    assert translator.container(schema) is translator.container(schema)


# -- the evaluation harness on containers ----------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"a": 1, "b": "x"}, {"b": "x", "a": 1}, True),  # key order
        ({"status": "open", "n": 3}, {"status": "open", "count": 3}, True),  # aliases
        ({"n": 3, "s": "open"}, {"s": 3, "n": "open"}, False),  # same keys: by key
        ({"n": 5}, 5, True),  # one property, like its value
        (5, {"n": 5.0000001}, True),
        ([1, 2], [2, 1], False),  # arrays keep their order
        (True, 1, False),  # JSON true is not 1
        (None, {"x": None}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (3.3333, 10 / 3, True),  # gold rounded to 4 places
    ],
)
def test_json_values_match(a: object, b: object, same: bool) -> None:
    assert json_values_match(a, b) is same
    assert json_values_match(b, a) is same


def test_documents_compare_as_multisets_unless_ordered() -> None:
    gold = [{"k": "a", "n": 1}, {"k": "b", "n": 2}, {"k": "b", "n": 2}]
    shuffled = [gold[1], gold[0], gold[2]]
    assert documents_match(shuffled, gold, ordered=False)
    assert not documents_match(shuffled, gold, ordered=True)
    assert not documents_match(gold[:2], gold, ordered=False)  # multiplicity
    renamed = [{"key": "b", "count": 2.0}, {"key": "a", "count": 1}, {"key": "b", "count": 2}]
    assert documents_match(renamed, gold, ordered=False)
    assert is_ordered_query("SELECT TOP 2 * FROM c ORDER BY c.x DESC")
    assert not is_ordered_query("SELECT * FROM c WHERE EXISTS(SELECT VALUE 1 FROM t IN c.tags)")


def test_load_container_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"id": 1, "question": "q1", "query": "SELECT VALUE COUNT(1) FROM c"}\n'
        '{"question": "q2", "documents": [{"a": 1}, 2], "ordered": true}\n'
    )
    assert load_cases(path) == [
        EvalCase("q1", id="1", query="SELECT VALUE COUNT(1) FROM c"),
        EvalCase("q2", ordered=True, documents=({"a": 1}, 2)),
    ]
    for line in ['{"question": "q", "query": "x", "sql": "y"}', '{"question": "q", "documents": 3}',
                 '{"question": "q", "query": 3}']:  # fmt: skip
        path.write_text(line + "\n")
        with pytest.raises(EvalFileError, match=":1"):
            load_cases(path)


def test_run_eval_on_a_container(tmp_path: Path) -> None:
    folder = tmp_path / "products"
    folder.mkdir()
    (folder / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS))
    target = DocumentsTarget(folder)
    assert target.container == "products"
    cases = [
        EvalCase("products per category",
                 query="SELECT c.category, COUNT(1) AS n FROM c GROUP BY c.category"),
        EvalCase("the cheapest product", query="SELECT TOP 1 c.id FROM c ORDER BY c.price"),
        EvalCase("how many products are there", documents=(20,)),
        EvalCase("median price", documents=(299,)),
        EvalCase("broken gold", query="SELECT FROM"),
    ]  # fmt: skip
    summary = run_eval(cases, target.answerer(OfflineTranslator(today=TODAY)), target.run)
    target.close()
    outcomes = [r.outcome for r in summary.results]
    assert outcomes == ["correct", "wrong", "correct", "refused", "invalid"]
    assert summary.results[0].sql and summary.results[0].translate_ms is not None
    assert summary.precision == pytest.approx(2 / 3)


def test_tickets_eval_file_is_well_formed() -> None:
    cases = load_cases(Path(__file__).resolve().parents[2] / "evals" / "tickets.jsonl")
    assert len(cases) >= 60 and all(c.on_documents for c in cases)
    for case in cases:
        if case.query is not None:
            parse(case.query)
    assert len({c.id for c in cases}) == len(cases)


def test_a_date_direction_sorts_by_the_documents_date(
    translator: OfflineTranslator, schema: SchemaSnapshot
) -> None:
    translation = ask(translator, schema, "Audio products, newest first")
    assert translation.query.endswith("ORDER BY c.releasedAt DESC")
    dates = [d["releasedAt"] for d in run(translation.query)]
    assert dates == sorted(dates, reverse=True) and len(dates) > 1


def test_a_property_holding_iso_dates_is_a_date_whatever_its_name() -> None:
    docs = [
        {"id": str(i), "title": f"R{i}", "published": f"{2021 + i % 3}-0{1 + i % 9}-15"}
        for i in range(30)
    ]
    schema = infer_container_schema(docs, source="shop", container="recipes")
    query = (
        OfflineTranslator(today=TODAY)
        .translate(TranslationRequest("recipes published in 2022", "shop", "cosmos", schema))
        .query
    )
    found = evaluate(parse(query), docs)
    assert found and all(d["published"].startswith("2022") for d in found)
    assert len(found) == sum(d["published"].startswith("2022") for d in docs)


def test_a_single_winner_of_a_container_shows_the_winner_alone(
    translator: OfflineTranslator, schema: SchemaSnapshot
) -> None:
    query = ask(translator, schema, "which category has the most products").query
    assert query.startswith("SELECT TOP 1 g.category FROM")


def test_an_aggregate_word_listed_with_others_is_not_a_property_of_that_name(
    translator: OfflineTranslator,
) -> None:
    docs = [
        {"id": str(n), "title": f"dish {n}", "cost": n * 1.5, "rating": {"average": n % 5}}
        for n in range(1, 30)
    ]
    schema = infer_container_schema(docs, source="menu", container="dishes")
    request = TranslationRequest("average and highest cost", "menu", "cosmos", schema)
    got = translator.translate(request)
    assert documents_match(run_on(got.query, docs), [{"a": 22.5, "hi": 43.5}], False), got.query


def run_on(query: str, docs: list[dict[str, Any]]) -> list[Any]:
    return evaluate(parse(query), docs)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("calories of Punjabi Duck Burger", [610]),
        ("How many calories does Punjabi Duck Burger have?", [610]),
    ],
)
def test_a_nested_objects_value_of_a_document_named_by_its_title(
    translator: OfflineTranslator, question: str, expected: list[Any]
) -> None:
    docs = [
        {"id": "1", "title": "Punjabi Duck Burger", "nutrition": {"calories": 610}},
        {"id": "2", "title": "Aegean Custard", "nutrition": {"calories": 435}},
    ] + [{"id": str(n), "title": f"Dish {n}", "nutrition": {"calories": n}} for n in range(3, 30)]
    schema = infer_container_schema(docs, source="menu", container="recipes")
    got = translator.translate(TranslationRequest(question, "menu", "cosmos", schema))
    assert documents_match(run_on(got.query, docs), expected, False), got.query
