"""Helpers of the database tests: settings for a set of sources, a translator stand-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlglot
from fastapi.testclient import TestClient

from data_assistant.pipeline import Assistant
from data_assistant.settings import Settings, SourceSettings, TranslatorSettings, load_settings
from data_assistant.translate.base import Translation, TranslationRequest
from tests.conftest import LOCAL, llm_env
from tests.llm_stub import ChatStub

# The dialect the shared test queries are written in, transpiled to each source's.
NEUTRAL = "duckdb"


def settings_with(llm: ChatStub | None = None, **sources: dict[str, Any]) -> Settings:
    """Settings serving `sources` (name -> SourceSettings fields); the loopback LLM if given."""
    # A `--db` URL keeps a stray data-assistant.yaml out; the sources are replaced below.
    first = "sqlite:///placeholder.db"
    if llm is None:
        settings = load_settings(None, dbs=[first], environ={})
        settings = settings.model_copy(update={"translator": TranslatorSettings(provider="none")})
    else:
        settings = load_settings(None, dbs=[first], environ=llm_env(llm))
        settings = settings.merged({"translator": {"max_retries": 0}})
    configured = {name: SourceSettings(**fields) for name, fields in sources.items()}
    return settings.model_copy(update={"sources": configured})


class ScriptedTranslator:
    """The translator stand-in: answers with SQL given per question, in the source's dialect.

    It is not an LLM and not a database: `answer(question)` returns SQL in the neutral
    dialect, which is transpiled with sqlglot like a model writing for that dialect would.
    """

    name = "scripted"
    self_corrects = False

    def __init__(self, answer: Callable[[str], str]) -> None:
        self.answer = answer
        self.requests: list[TranslationRequest] = []

    def translate(self, request: TranslationRequest) -> Translation:
        self.requests.append(request)
        return Translation(query=transpile(self.answer(request.question), request.dialect))


def transpile(sql: str, dialect: str) -> str:
    """`sql` from the neutral dialect into `dialect`."""
    return sqlglot.transpile(sql, read=NEUTRAL, write=dialect)[0]


@contextmanager
def client_for(settings: Settings) -> Iterator[TestClient]:
    """An HTTP client for the app serving `settings`."""
    from data_assistant.app import create_app

    app = create_app(settings)
    try:
        with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
            yield client
    finally:
        app.state.assistant.close()


@contextmanager
def assistant_for(settings: Settings, translator: Any = None) -> Iterator[Assistant]:
    assistant = Assistant(settings, translator=translator)
    try:
        yield assistant
    finally:
        assistant.close()


def ask(client: TestClient, database: str, question: str = "how many?") -> dict[str, Any]:
    response = client.post("/api/v1/query/sql", json={"database": database, "question": question})
    return {"status": response.status_code, "body": response.json()}
