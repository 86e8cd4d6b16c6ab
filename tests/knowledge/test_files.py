"""Knowledge files: what they hold reaches the schema a translator sees; a bad file fails at
start naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_assistant.errors import ConfigError
from data_assistant.pipeline import Assistant
from data_assistant.settings import Settings
from tests.knowledge.conftest import SHOP_KNOWLEDGE


def test_golden_queries_come_from_the_yaml_file_and_the_sql_folder(offline_settings):
    assistant = Assistant(offline_settings)
    try:
        golden = assistant.golden_list("shop")
    finally:
        assistant.close()
    questions = [g.question for g in golden]
    assert questions == [
        "revenue in 2024",
        "orders from Germany",
        "German orders",
        "shipped orders",
        "orders that were shipped",
    ]
    assert {g.origin for g in golden} == {"file"}
    assert golden[3].query == "SELECT id, total FROM orders WHERE status = 'shipped' ORDER BY id"


def test_descriptions_replace_or_complement_comments_and_terms_are_resolved(offline_settings):
    assistant = Assistant(offline_settings)
    try:
        schema = assistant.knowledge.schema_for(assistant.sources.get("shop")).snapshot
    finally:
        assistant.close()
    customers = schema.table("customers")
    assert customers.comment == "People who buy from the shop."
    assert customers.column("country").comment == "(where the customer lives)"
    # Hidden: gone from what the translator sees.
    assert customers.column("update_count") is None
    (term,) = schema.terms
    assert (term.name, term.kind, term.table, term.synonyms) == (
        "big spender",
        "filter",
        "customers",
        ("vip",),
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


BAD_FILES = [
    ("shop.yaml", "golden: [{question: q}]\n", "shop.yaml: golden.0.query: Field required"),
    ("shop.yaml", "golden: [{query: SELECT 1}]\n", "golden.0: Value error, give the question"),
    ("shop.yaml", "glosary: {}\n", "shop.yaml: glosary: Extra inputs are not permitted"),
    (
        "shop.yaml",
        "glossary: {x: {filter: a = 1, expression: b}}\n",
        "glossary.x: Value error, define the term with exactly one of filter or expression",
    ),
    (
        "shop.yaml",
        "glossary: {x: {filter: 'customers.id = = 1'}}\n",
        "shop.yaml: glossary.x.filter:",
    ),
    (
        "shop.yaml",
        "glossary: {recent: {filter: 'orders.ordered_at > DAYS_AGO(soon)'}}\n",
        "glossary.recent.filter: DAYS_AGO takes one whole number",
    ),
    (
        "shop.yaml",
        "glossary: {x: {filter: status = 'new'}}\n",
        "glossary.x: say which table it is about",
    ),
    (
        "shop.yaml",
        "hidden_columns: [email]\n",
        "hidden_columns.0: write the column as table.column",
    ),
    ("shop.yaml", "tables: {customers: {columns: {name: [1]}}}\n", "tables.customers.columns.name"),
    ("shop.yaml", "golden: [\n", "shop.yaml: not valid YAML"),
    ("shop.yaml", "- just a list\n", "shop.yaml: must be a mapping"),
    ("shop/q.sql", "SELECT 1\n", "q.sql: question: start the file with `-- question: ...`"),
    ("shop/q.sql", "-- question: nothing\n", "q.sql: query: the file holds no query"),
    ("warehouse.yaml", "golden: []\n", "there is no source named 'warehouse'"),
    (
        "shop.yaml",
        "golden: [{question: q, query: SELEC id FROM orders}]\n",
        "shop.yaml: golden 'q':",
    ),
    (
        "shop.yaml",
        "hidden_columns: [customers.name]\ntables: {}\n",
        None,  # valid: loads
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_FILES)
def test_a_bad_knowledge_file_fails_at_start_naming_the_file_and_key(
    shop_settings: Settings, tmp_path: Path, name: str, text: str, message: str | None
):
    folder = tmp_path / "knowledge"
    write(folder, name, text)
    settings = shop_settings.merged({"knowledge": {"path": str(folder)}})
    if message is None:
        Assistant(settings).close()
        return
    with pytest.raises(ConfigError) as raised:
        Assistant(settings).close()
    assert message in raised.value.reason
    assert str(folder) in raised.value.reason


def test_a_configured_knowledge_folder_that_does_not_exist_fails_at_start(shop_settings, tmp_path):
    settings = shop_settings.merged({"knowledge": {"path": str(tmp_path / "nope")}})
    with pytest.raises(ConfigError, match=r"knowledge.path: no folder"):
        Assistant(settings)


def test_a_hidden_column_that_is_also_masked_fails_at_start(shop_settings, tmp_path):
    folder = tmp_path / "knowledge"
    write(folder, "shop.yaml", SHOP_KNOWLEDGE)
    settings = shop_settings.merged(
        {
            "knowledge": {"path": str(folder)},
            "sources": {
                "shop": {"policies": {"tables": {"customers": {"mask_columns": ["update_count"]}}}}
            },
        }
    )
    with pytest.raises(ConfigError, match="both denied and masked"):
        Assistant(settings)


def test_the_cli_reports_a_bad_knowledge_file_with_exit_code_2(shop_db, tmp_path):
    from typer.testing import CliRunner

    from data_assistant.cli import app as cli

    folder = tmp_path / "knowledge"
    write(folder, "shop.yaml", "glossary: {x: {}}\n")
    config = write(
        tmp_path,
        "data-assistant.yaml",
        f"knowledge: {{path: {folder}}}\nsources: {{shop: {{url: 'sqlite:///{shop_db}'}}}}\n",
    )
    result = CliRunner().invoke(cli, ["golden", "list", "--config", str(config)])
    assert result.exit_code == 2
    assert "shop.yaml: glossary.x: Value error, define the term" in result.stderr


def test_a_hidden_column_the_source_does_not_have_is_named_with_its_file(shop_settings, tmp_path):
    folder = tmp_path / "knowledge"
    write(folder, "shop.yaml", "hidden_columns: [customers.emial]\n")
    assistant = Assistant(shop_settings.merged({"knowledge": {"path": str(folder)}}))
    try:
        with pytest.raises(ConfigError, match=r"shop.yaml: hidden_columns: customers has no col"):
            assistant.ask("shop", "how many customers")
    finally:
        assistant.close()
