"""The engine model: one class per engine in one registry, its facts checked against sqlglot.

A new engine is one module holding one Engine subclass; its allow-list is built from names
sqlglot really parses in its dialect, never holds a node class that reads the session, the
catalog or files, and its identifier rule is sqlglot's.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import NormalizationStrategy

from data_assistant import engines
from data_assistant.engines import ENGINES, Engine, engine_for_url
from data_assistant.engines.functions import STANDARD_SYNTAX, sample_calls

# Node classes sqlglot gives to calls that read the session, the server, the catalog or
# files: none may be on any allow-list.
NEVER_ALLOWED = {
    getattr(exp, name)
    for name in (
        "ReadCSV",
        "ReadParquet",
        "CurrentUser",
        "CurrentUserId",
        "CurrentRole",
        "CurrentDatabase",
        "CurrentSchema",
        "CurrentSchemas",
        "CurrentCatalog",
        "CurrentVersion",
        "CurrentSession",
        "CurrentStatement",
        "CurrentTransaction",
        "SessionUser",
        "NextValueFor",
        "ObjectId",
        "Secret",
        "Columns",
        "ToFile",
    )
    if hasattr(exp, name)
}


def test_every_engine_module_holds_one_engine_and_the_registry_lists_it() -> None:
    found = {}
    for module in pkgutil.iter_modules(engines.__path__):
        loaded = importlib.import_module(f"data_assistant.engines.{module.name}")
        classes = [
            cls
            for cls in vars(loaded).values()
            if inspect.isclass(cls)
            and issubclass(cls, Engine)
            and cls is not Engine
            and cls.__module__ == loaded.__name__
        ]
        for cls in classes:
            found[cls.name] = cls
    assert found == ENGINES


@pytest.mark.parametrize("name", ENGINES)
def test_an_engine_declares_every_fact(name: str) -> None:
    engine = engines.get(name)
    assert engine.display_name and engine.url_names and engine.sqlglot_dialect
    assert engine.row_cap in ("limit", "top")
    assert engine.functions.typed and engine.functions.names
    assert engines.get(engine) is engine


@pytest.mark.parametrize("name", ENGINES)
def test_syntax_functions_are_sqlglot_classes(name: str) -> None:
    for cls_name in (*STANDARD_SYNTAX, *ENGINES[name].syntax_functions):
        assert issubclass(getattr(exp, cls_name), exp.Func), cls_name


@pytest.mark.parametrize("name", ENGINES)
def test_every_listed_pure_function_parses_in_its_dialect(name: str) -> None:
    engine = engines.get(name)
    for call in ENGINES[name].pure_functions:
        if sample_calls(engine.dialect, call):
            continue
        # A few names are operators to sqlglot (MOD, GLOB, ISNULL): no call to check.
        first = sqlglot.parse_one(f"SELECT {call}(a, b)", read=engine.dialect).expressions[0]
        assert not isinstance(first, exp.Func | exp.Column), call


@pytest.mark.parametrize("name", ENGINES)
def test_no_allow_list_holds_a_session_catalog_or_file_node(name: str) -> None:
    assert not (engines.get(name).functions.typed & NEVER_ALLOWED)


@pytest.mark.parametrize("name", ENGINES)
def test_identifier_rules_are_sqlglots(name: str) -> None:
    engine = engines.get(name)
    strategy = engine.dialect.normalization_strategy
    folds_unquoted = strategy is not NormalizationStrategy.CASE_SENSITIVE
    folds_quoted = strategy is NormalizationStrategy.CASE_INSENSITIVE
    assert (engine.key(exp.Identifier(this="Ab", quoted=False)) == "ab") is folds_unquoted
    assert (engine.key(exp.Identifier(this="Ab", quoted=True)) == "ab") is folds_quoted


def test_an_unknown_engine_name_suggests_close_ones() -> None:
    with pytest.raises(ValueError, match="did you mean postgres"):
        engines.get("postgre")


def test_a_source_engine_carries_its_own_settings() -> None:
    engine, url = engine_for_url("postgresql://u@h/db", schema="Sales", timeout_s=3)
    assert engine is not engines.get("postgres") and engine.schema == "Sales"
    assert url.drivername == "postgresql+psycopg"
    assert engine.functions is engines.get("postgres").functions
