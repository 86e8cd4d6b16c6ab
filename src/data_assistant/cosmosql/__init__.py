"""The Azure Cosmos DB for NoSQL query language: parser, printer and evaluator.

    parse(text) -> Query             syntax tree (dataclasses in `cosmosql.ast`)
    to_text(query) -> str            query text again, after any rewriting
    evaluate(query, documents, parameters={"@name": value}) -> list
    compile_query(query, parameters) -> CompiledQuery (run it over many document sets)

Values are JSON values as `json.loads` returns them, plus `UNDEFINED` for a missing
property. Errors: CosmosSyntaxError (bad text, with line and column) and CosmosQueryError
(unknown function, unbound name...), both `data_assistant.errors.RequestError`.
"""

from __future__ import annotations

from . import ast
from .ast import Query
from .errors import CosmosQueryError, CosmosSyntaxError
from .evaluator import CompiledQuery, compile_query, evaluate
from .parser import parse
from .render import to_text
from .values import UNDEFINED

__all__ = [
    "UNDEFINED",
    "CompiledQuery",
    "CosmosQueryError",
    "CosmosSyntaxError",
    "Query",
    "ast",
    "compile_query",
    "evaluate",
    "parse",
    "to_text",
]
