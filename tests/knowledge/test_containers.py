"""Knowledge for document containers: golden Cosmos DB queries match exactly, the cache
reuses translations, and SQL-only knowledge is refused at start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_assistant.errors import ConfigError
from data_assistant.pipeline import Assistant
from data_assistant.settings import load_settings
from tests.conftest import llm_env

DOCS = [
    {"id": "1", "status": "open", "priority": 1},
    {"id": "2", "status": "closed", "priority": 3},
    {"id": "3", "status": "open", "priority": 2},
]


@pytest.fixture
def settings(tmp_path: Path, llm):
    folder = tmp_path / "tickets"
    folder.mkdir()
    (folder / "t.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS) + "\n")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "tickets.yaml").write_text(
        "golden:\n  - question: open tickets by priority\n"
        "    query: SELECT c.id, c.priority FROM c WHERE c.status = 'open' ORDER BY c.priority\n"
    )
    config = tmp_path / "data-assistant.yaml"
    config.write_text(
        f"data_dir: {tmp_path / 'data'}\nknowledge: {{path: {knowledge}}}\n"
        f"sources:\n  tickets:\n    kind: documents\n    path: {folder}\n"
    )
    return load_settings(config, environ=llm_env(llm)).merged({"translator": {"max_retries": 0}})


def test_a_golden_container_query_answers_its_question_verified(settings, llm):
    assistant = Assistant(settings)
    try:
        answer = assistant.ask("tickets", "Open tickets by priority?")
        assert answer.verified
        assert [d["id"] for d in answer.result.documents] == ["1", "3"]
        # Container queries are matched exactly: another value is the model's to write.
        llm.reply("```sql\nSELECT c.id FROM c WHERE c.status = 'closed'\n```")
        other = assistant.ask("tickets", "closed tickets by priority")
        assert not other.verified and len(llm.requests) == 1
        assert assistant.ask("tickets", "closed tickets by priority").cached
        assert len(llm.requests) == 1
    finally:
        assistant.close()


def test_glossary_terms_and_hidden_columns_are_refused_for_a_container(settings):
    folder = settings.knowledge.path
    (folder / "tickets.yaml").write_text("glossary:\n  urgent: {filter: t.priority = 1}\n")
    with pytest.raises(ConfigError, match="glossary: terms are SQL"):
        Assistant(settings)
    (folder / "tickets.yaml").write_text("hidden_columns: [c.priority]\n")
    with pytest.raises(ConfigError, match="only SQL sources have columns to hide"):
        Assistant(settings)
