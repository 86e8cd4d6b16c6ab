"""Document containers end to end: POST /api/v1/query/cosmos, the CLI and the demo tickets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import load_settings
from tests.conftest import LOCAL, llm_env
from tests.llm_stub import ChatStub
from tests.test_cli import run

DOCS = [
    {
        "id": "1",
        "status": "open",
        "priority": 1,
        "customer": {"country": "Germany"},
        "tags": ["billing", "urgent"],
        "items": [{"sku": "A", "qty": 2}],
    },
    {
        "id": "2",
        "status": "closed",
        "priority": 3,
        "customer": {"country": "USA"},
        "tags": ["shipping"],
        "items": [{"sku": "B", "qty": 1}, {"sku": "A", "qty": 5}],
    },
    {"id": "3", "status": "open", "priority": 2, "customer": {"country": "USA"}, "tags": []},
]


@pytest.fixture
def container(tmp_path: Path) -> Path:
    folder = tmp_path / "tickets"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS[:2]) + "\n")
    (folder / "b.json").write_text(json.dumps([DOCS[2], {"id": 4, "status": "bad id"}]))
    return folder


@pytest.fixture
def client(tmp_path: Path, container: Path, shop_db: Path, llm: ChatStub):
    config = tmp_path / "data-assistant.yaml"
    config.write_text(
        f"sources:\n  tickets:\n    kind: documents\n    path: {container}\n"
        f"  shop:\n    url: sqlite:///{shop_db}\n"
    )
    settings = load_settings(config, environ=llm_env(llm))
    settings = settings.merged({"translator": {"max_retries": 0}})
    with TestClient(
        create_app(settings), base_url=LOCAL, raise_server_exceptions=False
    ) as test_client:
        yield test_client


def ask(client, question="open tickets", **extra):
    return client.post(
        "/api/v1/query/cosmos", json={"container": "tickets", "question": question, **extra}
    )


def test_a_question_returns_the_query_its_parameters_and_the_documents(client, llm):
    llm.sql("SELECT c.id, c.customer.country FROM c WHERE c.status = 'open' ORDER BY c.id")
    response = ask(client)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["documents"] == [{"id": "1", "country": "Germany"}, {"id": "3", "country": "USA"}]
    assert body["count"] == 2 and body["truncated"] is False
    # The literal from the question travels as a parameter, not in the query text.
    assert "'open'" not in body["query"] and "open" in body["parameters"].values()


def test_the_cosmos_prompt_shows_the_inferred_container_shape(client, llm):
    llm.sql("SELECT VALUE COUNT(1) FROM c")
    ask(client, "how many tickets")
    prompt = llm.requests[0]["body"]["messages"]
    text = prompt[0]["content"] + prompt[1]["content"]
    assert "customer.country" in text and "tags" in text
    assert "Cosmos" in text


def test_results_are_capped_and_counted(client, llm):
    llm.sql("SELECT VALUE c.id FROM c")
    body = ask(client, "ids", max_items=2).json()
    assert body["documents"] == ["1", "2"] and body["truncated"] is True and body["count"] == 3


def test_a_join_over_an_array_works(client, llm):
    llm.sql("SELECT i.sku, SUM(i.qty) AS qty FROM c JOIN i IN c.items GROUP BY i.sku")
    body = ask(client, "quantity per sku").json()
    assert sorted(body["documents"], key=lambda d: d["sku"]) == [
        {"sku": "A", "qty": 7},
        {"sku": "B", "qty": 1},
    ]


def test_a_syntax_error_is_fed_back_and_corrected(client, llm):
    llm.sql("SELEC * FROM c", "SELECT VALUE COUNT(1) FROM c")
    body = ask(client, "how many").json()
    assert body["documents"] == [3]
    assert "line 1" in llm.requests[1]["body"]["messages"][-1]["content"]


def test_asking_a_container_through_the_sql_operation_is_400(client):
    response = client.post("/api/v1/query/sql", json={"database": "tickets", "question": "x"})
    assert response.status_code == 400
    assert "queryCosmosDb" in response.json()["detail"]


def test_readiness_lists_the_skipped_documents(client):
    ready = client.get("/readyz").json()
    assert ready["sources"]["tickets"] == "ok"
    assert ready["skipped_documents"]["tickets"] == ["b.json:1: id must be a string, not 4"]


def test_the_operation_is_in_the_spec_and_sources_list_the_kind(client):
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/api/v1/query/cosmos"]["post"]["operationId"] == "queryCosmosDb"
    kinds = {
        s["name"]: (s["kind"], s["dialect"])
        for s in client.get("/api/v1/sources").json()["sources"]
    }
    assert kinds["tickets"] == ("documents", "cosmos")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["SELECT VALUE c.id FROM c WHERE c.priority > @p", "--param", "@p=1"], ["2", "3"]),
        (["SELECT VALUE c.id FROM c WHERE c.status = @s", "--param", "@s=open"], ["1", "3"]),
        (["SELECT VALUE COUNT(1) FROM c JOIN t IN c.tags"], [3]),
    ],
)
def test_cosmos_query_runs_on_a_local_folder(container, args, expected):
    result = run("cosmos-query", "--data", str(container), *args)
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout), key=str) == expected


def test_cosmos_query_reads_a_json_array_file(tmp_path):
    path = tmp_path / "docs.json"
    path.write_text(json.dumps(DOCS))
    result = run("cosmos-query", "--data", str(path), "SELECT TOP 1 c.id FROM c ORDER BY c.id DESC")
    assert json.loads(result.stdout) == [{"id": "3"}]


def test_cosmos_query_exits_2_on_a_syntax_error(container):
    result = run("cosmos-query", "--data", str(container), "SELECT * FORM c")
    assert result.exit_code == 2
    assert "line 1, column" in result.stderr


def test_eval_scores_container_questions_against_gold_queries_and_documents(container, tmp_path):
    config = tmp_path / "containers.yaml"
    config.write_text(f"sources:\n  tickets:\n    kind: documents\n    path: {container}\n")
    cases = tmp_path / "cases.jsonl"
    lines = [
        {"question": "how many tickets", "query": "SELECT VALUE COUNT(1) FROM c"},
        {"question": "how many tickets", "documents": [99]},
    ]
    cases.write_text("\n".join(json.dumps(line) for line in lines))
    result = run("eval", str(cases), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "2 cases  answered 100.0%  accuracy 50.0%  precision 50.0%" in result.stdout
