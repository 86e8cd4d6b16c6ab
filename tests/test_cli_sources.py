"""The command on every kind of source and every bad input: one line on stderr, never a
traceback, the same answer shapes and visibility rules as the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import llm_env
from tests.servers import POSTGRES
from tests.test_cli import run

TICKETS = [
    {"id": "1", "status": "open", "tags": ["billing"], "customer": {"name": "Ada"}},
    {"id": "2", "status": "closed", "tags": ["setup"], "customer": {"name": "Bob"}},
    {"id": "3", "status": "open", "tags": ["billing", "setup"], "customer": {"name": "Cy"}},
]


@pytest.fixture
def config(tmp_path: Path, shop_db: Path) -> Path:
    """A config with the shop database (a denied column) and a tickets container."""
    tickets = tmp_path / "tickets.jsonl"
    tickets.write_text("\n".join(json.dumps(t) for t in TICKETS) + "\n")
    path = tmp_path / "data-assistant.yaml"
    path.write_text(
        f"sources:\n"
        f"  shop:\n    url: sqlite:///{shop_db}\n    denied_tables: [secrets]\n"
        f"    policies:\n      tables:\n        customers:\n          deny_columns: [country]\n"
        f"  tickets:\n    kind: documents\n    path: {tickets}\n"
    )
    return path


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_container_question_prints_its_query_parameters_and_named_columns(config):
    result = run("ask", "-c", str(config), "--source", "tickets", "how many tickets per status")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "GROUP BY c.status" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "status" in line)
    assert "count" in header


def test_a_container_answer_as_json_has_the_container_shape_and_its_parameters(config):
    result = run("ask", "-c", str(config), "-s", "tickets", "--json", "open tickets")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"query", "parameters", "documents", "count", "truncated"}
    assert "sql" not in body and "results" not in body
    assert "open" in body["parameters"].values()
    assert {d["id"] for d in body["documents"]} == {"1", "3"}


def test_the_schema_of_a_container_is_printed_as_a_document_shape(config):
    result = run("schema", "-c", str(config), "tickets")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "Container 'tickets'" in result.stdout and '"status": string' in result.stdout


def test_the_schema_leaves_out_what_the_policies_deny(config):
    result = run("schema", "-c", str(config), "shop")
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE customers" in result.stdout
    assert "country" not in result.stdout
    assert "secrets" not in result.stdout and "hunter2" not in result.stdout
    as_json = json.loads(run("schema", "-c", str(config), "shop", "--json").stdout)
    customers = next(t for t in as_json["tables"] if t["name"] == "customers")
    assert "country" not in {c["name"] for c in customers["columns"]}


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("serve", "--port", "99999"), 2, "server.port"),
        (("serve", "--port", "0"), 2, "server.port"),
        (("serve", "--workers", "0"), 2, "server.workers"),
        (("ask", "-s", "shop", "--max-rows", "0", "x"), 2, "max-rows"),
        (("ask", "-s", "nope", "x"), 2, "no source named 'nope'"),
        (("ask", "x"), 2, "several sources"),
        (("schema", "nope"), 2, "no source named 'nope'"),
        (("eval", "missing.jsonl", "-s", "shop"), 2, "missing.jsonl"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_bad_input_is_one_line_and_an_exit_code_never_a_traceback(config, args, code, words):
    command, *rest = args
    result = run(command, "-c", str(config), *rest)
    no_traceback(result)
    assert result.exit_code == code, result.output
    assert words in result.output


def test_a_bad_environment_override_names_the_variable_not_the_file(config):
    result = run(
        "schema", "-c", str(config), "shop", env={"DATA_ASSISTANT_SOURCES__SHOP__MAX_ROWS": "x"}
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: DATA_ASSISTANT_SOURCES__SHOP__MAX_ROWS (environment)")
    assert str(config) not in result.stderr


def test_version_prints_the_package_version():
    from data_assistant import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"data-assistant {__version__}"


def test_eval_reports_a_case_that_cannot_be_scored_and_exits_1(tmp_path, shop_db, llm):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps(
            {"id": "ok", "question": "how many orders", "sql": "SELECT COUNT(*) FROM orders"}
        )
        + "\n"
        + json.dumps({"id": "broken", "question": "x", "sql": "SELECT nope FROM nowhere"})
        + "\n"
    )
    llm.sql("SELECT COUNT(*) FROM orders")
    result = run("eval", str(cases), "--db", str(shop_db), env=llm_env(llm))
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "1 invalid" in result.stdout
    assert "cannot score 'broken'" in result.stderr


def test_loading_the_demo_twice_says_to_pass_replace(tmp_path):
    target = tmp_path / "copy.db"
    target.write_bytes(b"")
    result = run("demo", "--into", f"sqlite:///{target}")
    assert result.exit_code == 2
    assert "--replace" in result.stderr and "replace=True" not in result.stderr


@pytest.mark.postgres
def test_loading_the_demo_into_a_missing_database_says_so():
    POSTGRES.check()
    url = POSTGRES.url_for("da_test_missing_database")
    result = run("demo", "--into", url)
    no_traceback(result)
    assert result.exit_code == 1
    assert "the database does not exist" in result.stderr
    assert "postgres@" not in result.stderr
