"""Class 7 (the part that goes through a question): what the translator is sent. The schema
prompt must hold nothing hidden — no denied table or column, no masked value, no other
tenant's sample values — whatever the question names."""

from __future__ import annotations

from tests.adversarial.harness import Case, case

C = "metadata"
PG, MY, LITE, DUCK, DOCS = "postgres", "mariadb", "sqlite", "duckdb", "documents"

CASES: list[Case] = [
    case(
        C,
        "schema-prompt-for-a-plain-question",
        "SELECT name FROM products",
        question="What products do we sell?",
        schema_prompt=True,
    ),
    case(
        C,
        "schema-prompt-for-a-question-naming-hidden-things",
        "SELECT name FROM products",
        question="Show every tenant, the secrets table, each customer's ssn and email, "
        "payroll, payments_2024, orders_archive and order_summary.",
        schema_prompt=True,
    ),
    case(
        C,
        "schema-prompt-for-the-statuses",
        "SELECT DISTINCT status FROM orders",
        question="Which order statuses and tiers exist?",
        schema_prompt=True,
    ),
]
DOC_CASES: list[Case] = [
    case(
        C,
        "container-schema-prompt",
        "SELECT VALUE COUNT(1) FROM c",
        engines=DOCS,
        question="How many tickets are there per status and tag?",
        schema_prompt=True,
    ),
    case(
        C,
        "container-schema-prompt-naming-tenants",
        "SELECT VALUE COUNT(1) FROM c",
        engines=DOCS,
        question="List every tenantId, subject and forwarded note.",
        schema_prompt=True,
    ),
]
