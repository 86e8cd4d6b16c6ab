"""Knowledge in translation: golden matches with values rebound, the glossary for both
translators, examples for the model, and hidden columns kept out of prompts and answers."""

from __future__ import annotations

import sqlite3

import pytest
import sqlglot
from sqlglot import exp

from data_assistant.knowledge.golden import GoldenTemplate, best_match
from data_assistant.knowledge.model import GoldenQuery
from data_assistant.schema.model import Column, SchemaSnapshot, Table
from tests.knowledge.conftest import ask


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        found = conn.execute(sql).fetchall()
    conn.close()
    return found


def test_the_offline_translator_answers_a_paraphrase_of_a_golden_question_with_the_year_rebound(
    offline_client, shop_db
):
    answer = ask(offline_client, "What was the revenue in 2023?").json()
    assert answer["verified"] is True
    assert "'2023-01-01'" in answer["sql"] and "'2024-01-01'" in answer["sql"]
    assert answer["results"] == [{"revenue": None}]
    answer = ask(offline_client, "revenue for 2024").json()
    expected = rows(shop_db, "SELECT SUM(total) FROM orders WHERE ordered_at LIKE '2024%'")
    assert answer["results"] == [{"revenue": expected[0][0]}]
    assert answer["explanation"] == "verified query for 'revenue in 2024'"


def test_a_value_is_rebound_only_to_a_value_the_column_holds(offline_client):
    answer = ask(offline_client, "orders from France").json()
    assert answer["verified"] is True
    assert "c.country = 'France'" in answer["sql"]
    assert [r["id"] for r in answer["results"]] == [4]
    # Not a country of the data: no golden query is bent to fit it.
    response = ask(offline_client, "orders from Atlantis")
    assert response.json().get("verified") is not True


SCHEMA = SchemaSnapshot(
    source="shop",
    dialect="sqlite",
    tables=(
        Table("orders", (Column("id", "INTEGER"), Column("status", "TEXT"))),
        Table("customers", (Column("id", "INTEGER"), Column("city", "TEXT"))),
    ),
)
TEMPLATES = [
    GoldenTemplate(GoldenQuery("s", q, sql), "sqlite")
    for q, sql in [
        ("top 5 customers by revenue", "SELECT id FROM customers ORDER BY id DESC LIMIT 5"),
        ("customers in New York", "SELECT id FROM customers WHERE city = 'New York'"),
        ("orders in 2023", "SELECT id FROM orders WHERE strftime('%Y', d) = '2023'"),
        ("how many orders", "SELECT COUNT(*) FROM orders"),
    ]
]
MATCHES = [
    ("How many orders?", "SELECT COUNT(*) FROM orders"),
    ("number of orders", "SELECT COUNT(*) FROM orders"),
    ("top 10 customers by revenue", "SELECT id FROM customers ORDER BY id DESC LIMIT 10"),
    ("customers in Los Angeles", "SELECT id FROM customers WHERE city = 'Los Angeles'"),
    ("customers in O'Hare", "SELECT id FROM customers WHERE city = 'O''Hare'"),
    ("orders in 1999", "SELECT id FROM orders WHERE STRFTIME('%Y', d) = '1999'"),
    ("how many orders by status", None),
    ("top customers by revenue", None),
    ("customers in a city where x = 1 or 1 = 1", None),
    ("top 5 orders by revenue", None),
]


@pytest.mark.parametrize(("question", "query"), MATCHES)
def test_golden_questions_match_exactly_or_near_exactly(question, query):
    match = best_match(TEMPLATES, question, SCHEMA)
    assert (match.query if match else None) == query


@pytest.mark.parametrize(
    "question",
    [
        "customers in O'Hare OR 1",
        "customers in a'); DROP TABLE orders; --",
        'customers in "New" || city',
    ],
)
def test_a_bound_value_is_one_string_literal_whatever_it_says(question):
    match = best_match(TEMPLATES, question, SCHEMA)
    assert match is not None
    tree = sqlglot.parse_one(match.query, read="sqlite")
    where = tree.find(exp.Where)
    assert isinstance(where.this, exp.EQ) and where.this.expression.is_string
    assert not list(tree.find_all(exp.Or)) and not list(tree.find_all(exp.DPipe))
    assert sqlglot.parse(match.query, read="sqlite") == [tree]


def test_a_glossary_term_and_similar_golden_queries_reach_the_llm_prompt(llm_client, llm):
    llm.sql("SELECT COUNT(*) AS n FROM customers")
    assert ask(llm_client, "how many big spenders live in Germany?").status_code == 200
    prompt = llm.requests[0]["body"]["messages"][1]["content"]
    assert "big spender (rows of customers): customers.id IN" in prompt
    assert "bought for more than 100 in one order" in prompt
    assert "Question: orders from Germany" in prompt
    assert "People who buy from the shop." in prompt


def test_the_offline_translator_answers_a_question_that_uses_a_glossary_term(
    offline_client, shop_db
):
    answer = ask(offline_client, "how many big spenders are there").json()
    expected = rows(
        shop_db,
        "SELECT COUNT(*) FROM customers WHERE id IN (SELECT customer_id FROM orders "
        "WHERE total > 100)",
    )
    assert list(answer["results"][0].values()) == [expected[0][0]] == [2]
    assert "big spender" in answer["explanation"]
    answer = ask(offline_client, "list the vips").json()
    assert sorted(r["name"] for r in answer["results"]) == ["Ada", "Bob"]


def test_hidden_columns_never_reach_the_prompt_nor_the_answer(llm_client, llm):
    llm.sql("SELECT * FROM customers")
    answer = ask(llm_client, "all customers").json()
    assert "update_count" not in llm.requests[0]["body"]["messages"][1]["content"]
    assert answer["results"] and "update_count" not in answer["results"][0]
    llm.sql(*["SELECT update_count FROM customers"] * 3)
    response = ask(llm_client, "update counts of customers")
    assert response.status_code == 400
    assert "update_count" in response.json()["detail"]
    for request in llm.requests:
        for message in request["body"]["messages"]:
            if message["role"] != "assistant":
                assert "update_count" not in message["content"] or "failed" in message["content"]


def test_hidden_columns_are_kept_from_the_offline_translator(offline_client):
    response = ask(offline_client, "average update count of customers")
    assert response.status_code in (400, 422)
    assert "update_count" not in response.text.replace("update count", "")


def test_the_offline_translator_uses_an_expression_term_as_a_column(offline_settings, shop_db):
    from data_assistant.pipeline import Assistant

    folder = offline_settings.knowledge.path
    (folder / "shop.yaml").write_text(
        "glossary:\n  net revenue:\n    expression: orders.total * 0.8\n"
        "    description: what is left after the 20% fee\n"
    )
    assistant = Assistant(offline_settings)
    try:
        answer = assistant.ask("shop", "total net revenue per status")
    finally:
        assistant.close()
    expected = dict(rows(shop_db, "SELECT status, SUM(total * 0.8) FROM orders GROUP BY status"))
    got = {row["status"]: list(row.values())[1] for row in answer.result.rows}
    assert got == pytest.approx(expected)
    assert "net revenue: orders.total * 0.8" in answer.explanation
