"""Database error text reaches the client and the model without a value from any row.

The reason keeps the error's class (SQLSTATE, errno, the driver's error kind) and the words
and names a query can be corrected with; every quoted part or number the query did not
write itself is replaced by `…`. Proven on each real engine, and through the HTTP surface
and the correction loop with the loopback model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from data_assistant.errors import QueryFailed
from data_assistant.settings import SourceSettings
from data_assistant.sources.sql import SqlSource
from tests.db.helpers import ask, client_for, settings_with
from tests.db.tenants import ENGINES, SECRET, VISIBLE_ODD, notes_url
from tests.llm_stub import ChatStub

# (engine, query whose error names a row's value, class the reason must give)
VALUE_ERRORS = [
    ("postgres", "SELECT CAST(note AS integer) FROM notes", "SQLSTATE 22P02"),
    # issue #9, section 3: a regclass cast names the value as a relation.
    ("postgres", "SELECT note::regclass FROM notes WHERE id > 2", "SQLSTATE 42P01"),
    ("duckdb", "SELECT CAST(note AS INTEGER) FROM notes", "ConversionException"),
    ("mariadb", "SELECT EXP(LENGTH(note) * 100) FROM notes", "error 1690"),
    ("sqlite", "SELECT json(note) FROM notes WHERE id > 2", "SQLITE_ERROR"),
]
# (engine, query with a wrong name, the name the reason must keep)
NAME_ERRORS = [
    ("postgres", "SELECT notte FROM notes", "notte"),
    ("postgres", 'SELECT "Note" FROM notes', "Note"),
    ("mariadb", "SELECT notte FROM notes", "notte"),
    ("duckdb", "SELECT notte FROM notes", "notte"),
    ("sqlite", "SELECT notte FROM notes", "notte"),
]


@pytest.fixture(scope="module")
def notes_sources(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], SqlSource]:
    """engine -> a source over its `notes`, made on first use and kept for the module."""
    made: dict[str, SqlSource] = {}

    def source_for(engine: str) -> SqlSource:
        if engine not in made:
            folder = tmp_path_factory.mktemp(engine)
            url = notes_url(request, engine, folder, odd_visible_row=True)
            made[engine] = SqlSource(engine, SourceSettings(url=url))
            request.addfinalizer(made[engine].close)
        return made[engine]

    assert set(ENGINES) == {e for e, *_ in VALUE_ERRORS} | {e for e, *_ in NAME_ERRORS}
    return source_for


def _reason(source: SqlSource, sql: str) -> str:
    with pytest.raises(QueryFailed) as caught:
        source.execute(sql, max_rows=10)
    return caught.value.reason


@pytest.mark.parametrize(("engine", "sql", "kind"), VALUE_ERRORS)
def test_an_error_naming_a_rows_value_keeps_its_class_and_drops_the_value(
    notes_sources: Callable[[str], SqlSource], engine: str, sql: str, kind: str
) -> None:
    reason = _reason(notes_sources(engine), sql)
    assert reason.startswith(f"The database rejected the query ({kind}): "), reason
    for value in (SECRET, "t2secret", VISIBLE_ODD, "x-visible"):
        assert value not in reason
    assert "…" in reason or engine == "sqlite", reason


@pytest.mark.parametrize(("engine", "sql", "name"), NAME_ERRORS)
def test_a_wrong_name_stays_in_the_reason_to_be_corrected(
    notes_sources: Callable[[str], SqlSource], engine: str, sql: str, name: str
) -> None:
    assert name in _reason(notes_sources(engine), sql)


def test_neither_the_client_nor_the_model_sees_the_value(
    request: pytest.FixtureRequest, tmp_path: Path, llm: ChatStub
) -> None:
    url = notes_url(request, "postgres", tmp_path, odd_visible_row=True)
    settings = settings_with(llm, notes={"url": url}).merged({"translator": {"max_corrections": 1}})
    with client_for(settings) as client:
        llm.sql(
            "SELECT CAST(note AS integer) AS n FROM notes",
            "SELECT CAST(note AS integer) AS n FROM notes WHERE id > 4",
        )
        result = ask(client, "notes", "what are the notes as numbers?")
    assert result["status"] == 400
    correction = llm.requests[1]["body"]["messages"][-1]["content"]
    assert "SQLSTATE 22P02" in correction and "invalid input syntax" in correction
    for seen in (repr(result["body"]), correction):
        assert VISIBLE_ODD not in seen and SECRET not in seen
