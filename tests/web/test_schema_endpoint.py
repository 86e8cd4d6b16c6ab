"""GET /api/v1/sources/{name}/schema (describeSource): what the caller's translator sees."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings
from tests.conftest import LOCAL
from tests.web.conftest import SECRET, mint

POLICY_CONFIG = """
auth: {{mode: jwt, jwt: {{secret: "{secret}"}}}}
sources:
  sales:
    url: sqlite:///{folder}/sales.db
    denied_tables: [order_items]
    policies:
      tables:
        customers:
          deny_columns: [email]
          mask_columns: [segment]
  tickets:
    kind: documents
    path: {folder}/tickets
"""


@pytest.fixture(scope="module")
def config(demo_dir):
    path = demo_dir / "schema-policies.yaml"
    path.write_text(POLICY_CONFIG.format(secret=SECRET, folder=demo_dir))
    return path


@pytest.fixture(scope="module")
def client(config):
    with TestClient(create_app(load_settings(config, environ={})), base_url=LOCAL) as test_client:
        yield test_client


def bearer(config, *args: str) -> dict[str, str]:
    return {"authorization": "Bearer " + mint(config, "--sub", "ada", *args)}


def test_a_sql_source_lists_its_tables_columns_keys_and_samples(client, config):
    response = client.get(
        "/api/v1/sources/sales/schema", headers=bearer(config, "--databases", "sales")
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["kind"], body["dialect"]) == ("sales", "sql", "sqlite")
    tables = {t["name"]: t for t in body["tables"]}
    orders = {c["name"]: c for c in tables["orders"]["columns"]}
    assert orders["id"]["primary_key"] is True
    assert "delivered" in orders["status"]["samples"]
    assert {
        "columns": ["customer_id"],
        "ref_table": "customers",
        "ref_columns": ["id"],
        "ref_schema": None,
    } in tables["orders"]["foreign_keys"]
    assert set(tables["orders"]) == {"name", "schema", "kind", "comment", "columns", "foreign_keys"}
    assert set(orders["status"]) == {
        "name",
        "type",
        "nullable",
        "primary_key",
        "comment",
        "samples",
    }


def test_denied_tables_and_columns_are_left_out_and_masked_values_not_shown(client, config):
    body = client.get(
        "/api/v1/sources/sales/schema", headers=bearer(config, "--databases", "sales")
    ).json()
    tables = {t["name"]: t for t in body["tables"]}
    assert "order_items" not in tables
    customers = {c["name"]: c for c in tables["customers"]["columns"]}
    assert "email" not in customers
    assert customers["segment"]["samples"] == []
    # Unmasked, the same column shows its values: the policy is what hides them.
    raw = Assistant(load_settings(config, environ={})).sources.get("sales").schema()
    assert raw.table("customers").column("segment").samples


def test_a_container_is_described_by_its_inferred_properties(client, config):
    response = client.get(
        "/api/v1/sources/tickets/schema", headers=bearer(config, "--databases", "tickets")
    )
    body = response.json()
    assert (body["kind"], body["dialect"]) == ("documents", "cosmos")
    columns = {c["name"] for t in body["tables"] for c in t["columns"]}
    assert {"status", "priority"} <= columns


@pytest.mark.parametrize(
    ("path", "args", "status"),
    [
        ("/api/v1/sources/sales/schema", None, 401),
        ("/api/v1/sources/sales/schema", ("--databases", "tickets"), 403),
        ("/api/v1/sources/sales/schema", ("--databases", "sales", "--scope", "other"), 403),
        ("/api/v1/sources/nope/schema", ("--databases", "*"), 404),
    ],
)
def test_the_schema_is_only_for_callers_the_source_is_granted_to(
    client, config, path, args, status
):
    headers = bearer(config, *args) if args else {}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "columns" not in response.text


def test_describe_source_is_in_the_openapi_document_with_its_model(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/sources/{name}/schema"]["get"]
    assert operation["operationId"] == "describeSource"
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/SourceSchema"}
    assert operation["security"]
