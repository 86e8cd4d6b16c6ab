"""The Cosmos DB prompt: the language's rules, the document shape, the question, retries."""

from __future__ import annotations

from data_assistant.schema.documents import infer_container_schema
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.translate.base import Attempt, TranslationRequest
from data_assistant.translate.cosmos_prompts import build_cosmos_messages, render_container
from data_assistant.translate.extract import cannot_answer_reason, extract_query
from tests.documents.conftest import TICKETS


def snapshot() -> SchemaSnapshot:
    docs = [*TICKETS, {"id": "t5", "status": "open", "odd-name": 1, "tags": ["vip"]}]
    return infer_container_schema(docs, source="support", container="tickets")


def request(**changes) -> TranslationRequest:
    fields = {
        "question": "Which open tickets are about billing?",
        "source_name": "support",
        "dialect": "cosmos",
        "schema": snapshot(),
        "description": "Customer support tickets",
    }
    return TranslationRequest(**{**fields, **changes})


def test_the_system_prompt_states_the_language_rules() -> None:
    system = build_cosmos_messages(request(), token_budget=4000)[0]
    assert system["role"] == "system"
    for rule in (
        "Azure Cosmos DB for NoSQL",
        "FROM c",
        "SELECT VALUE",
        "JOIN i IN c.items",
        "cannot be joined with each other",
        "CONTAINS(",
        "ARRAY_CONTAINS(",
        "IS_DEFINED",
        "TOP n",
        "OFFSET m LIMIT n",
        "GROUP BY c.status",
        "```sql",
        "CANNOT_ANSWER:",
    ):
        assert rule in system["content"], rule


def test_the_user_message_holds_the_container_shape_and_the_question() -> None:
    user = build_cosmos_messages(request(), token_budget=4000)[1]["content"]
    assert user.startswith("Container source 'support': Customer support tickets\n")
    assert user.endswith("Question: Which open tickets are about billing?")
    assert "Container 'tickets' (query it as FROM c); schema inferred from 5 documents" in user
    for line in (
        '"status": string,  // values: "open", "closed", "pending"',
        '"customer": {  // present in 80%',
        '    "country": string  // present in 80%; values: "France", "Germany", "Spain"',
        '"tags": [string],  // values: "vip", "billing", "delivery"',
        '"items": [{  // present in 80%',
        '    "sku": string,  // present in 60%, in some element; values: "A", "B", "C"',
        '"satisfaction": number,  // present in 60%; sometimes null',
        '"odd-name" (write c["odd-name"]): number  // present in 20%',
    ):
        assert line in user, line


def test_earlier_failures_are_fed_back_in_order() -> None:
    attempts = (
        Attempt("SELECT * FROM orders o", "The query reads container 'orders'"),
        Attempt("SELECT c.x FROM c WHERE", "Syntax error (line 1, column 23)"),
    )
    messages = build_cosmos_messages(request(attempts=attempts), token_budget=4000)
    assert [m["role"] for m in messages] == [
        "system", "user", "assistant", "user", "assistant", "user"
    ]  # fmt: skip
    assert messages[2]["content"] == "```sql\nSELECT * FROM orders o\n```"
    assert messages[3]["content"].startswith("That query failed: The query reads container")
    assert extract_query(messages[4]["content"]) == "SELECT c.x FROM c WHERE"


def test_answers_in_the_asked_form_are_read_by_the_shared_extractor() -> None:
    answer = "```sql\nSELECT VALUE COUNT(1) FROM c WHERE c.status = 'open'\n```"
    assert extract_query(answer) == "SELECT VALUE COUNT(1) FROM c WHERE c.status = 'open'"
    assert extract_query("```cosmos\nSELECT * FROM c\n```") == "SELECT * FROM c"
    assert cannot_answer_reason("CANNOT_ANSWER: there is no price") == "there is no price"


def test_a_small_budget_drops_examples_first_then_properties() -> None:
    table = snapshot().tables[0]
    roomy = render_container(table, token_budget=4000)
    tight = render_container(table, token_budget=150)
    tiny = render_container(table, token_budget=60)
    assert "values:" in roomy
    assert "values:" not in tight
    assert '"satisfaction"' in tight
    assert "more lines left out for space" in tiny
    assert len(tiny) < len(tight) < len(roomy)


def test_an_empty_container_still_gets_a_prompt() -> None:
    empty = infer_container_schema([], source="support", container="tickets")
    user = build_cosmos_messages(request(schema=empty), token_budget=4000)[1]["content"]
    assert "Container 'tickets'" in user
    assert "{\n}" in user
