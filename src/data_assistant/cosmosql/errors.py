"""Errors of the Cosmos DB query engine.

    RequestError (data_assistant.errors)       400
    └── CosmosQueryError                       the query is well formed but cannot run
        └── CosmosSyntaxError                  the text is not a Cosmos DB query
    QueryTimeout (data_assistant.errors)       504
    └── CosmosTimeout                          the evaluation ran past its time budget

Both carry `line` and `column` (1-based, `None` when no position applies) so the
message can be fed back to whoever wrote the query.
"""

from __future__ import annotations

from data_assistant.errors import QueryTimeout, RequestError


class CosmosQueryError(RequestError):
    """The query cannot be evaluated: unknown function, bad argument count, unbound name..."""

    title = "Invalid Cosmos DB query"
    type_slug = "invalid-cosmos-query"

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        **extra: object,
    ) -> None:
        if line is not None and column is not None:
            reason = f"{reason} (line {line}, column {column})"
        super().__init__(reason, line=line, column=column, **extra)
        self.line = line
        self.column = column


class CosmosSyntaxError(CosmosQueryError):
    """The query text does not follow the Cosmos DB for NoSQL grammar."""

    title = "Cosmos DB query syntax error"
    type_slug = "cosmos-syntax-error"


class CosmosTimeout(QueryTimeout):
    """The evaluation ran past its time budget (cosmosql.budget)."""

    def __init__(self, reason: str = "The query ran longer than its time limit.") -> None:
        super().__init__(reason)
