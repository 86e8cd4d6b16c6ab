"""The plugin manifest and the OpenAPI document, as ChatGPT and validators read them."""

from __future__ import annotations

import yaml
from openapi_spec_validator import validate

from tests.conftest import LOCAL


def test_the_manifest_points_at_this_servers_openapi_yaml(client):
    manifest = client.get("/.well-known/ai-plugin.json").json()
    assert manifest["schema_version"] == "v1"
    assert manifest["api"] == {"type": "openapi", "url": "http://127.0.0.1:8000/openapi.yaml"}
    assert manifest["auth"] == {"type": "none"}
    assert manifest["name_for_model"] == "data_assistant"
    for key in (
        "name_for_human",
        "description_for_human",
        "description_for_model",
        "logo_url",
        "contact_email",
        "legal_info_url",
    ):
        assert manifest[key], key
    assert client.get("/logo.svg").status_code == 200
    assert client.get("/legal").status_code == 200


def test_manifest_fields_come_from_the_config(shop_settings):
    from fastapi.testclient import TestClient

    from data_assistant.app import create_app

    settings = shop_settings.merged(
        {"manifest": {"name_for_human": "Sales Helper"}, "base_url": "https://data.example.com"}
    )
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        manifest = client.get("/.well-known/ai-plugin.json").json()
        spec = client.get("/openapi.json").json()
    assert manifest["name_for_human"] == "Sales Helper"
    assert manifest["api"]["url"] == "https://data.example.com/openapi.yaml"
    assert spec["servers"] == [{"url": "https://data.example.com"}]


def test_the_openapi_document_is_valid_3_1_in_json_and_yaml(client):
    as_json = client.get("/openapi.json").json()
    response = client.get("/openapi.yaml")
    assert response.headers["content-type"].startswith("application/yaml")
    as_yaml = yaml.safe_load(response.text)
    assert as_json == as_yaml
    assert as_json["openapi"] == "3.1.0"
    validate(as_json)
    assert len(as_json["servers"]) == 1


def test_operations_have_unique_ids_and_short_descriptions_for_a_model(client):
    spec = client.get("/openapi.json").json()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    assert "querySqlDatabase" in ids and "listSources" in ids
    for op in operations:
        assert 0 < len(op["summary"]) < 300
        assert 0 < len(op["description"]) < 300
    assert len(spec["info"]["description"]) < 300


def test_the_query_operation_documents_its_body_and_problem_responses(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/query/sql"]["post"]
    for status in ("400", "404", "422", "502", "503", "504"):
        assert "application/problem+json" in op["responses"][status]["content"], status
    body = spec["components"]["schemas"]["SqlQueryRequest"]
    assert set(body["required"]) == {"database", "question"}
    for field in body["properties"].values():
        assert len(field.get("description", "")) < 300
