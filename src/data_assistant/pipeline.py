"""ask(): question -> source -> schema context -> translate -> guard -> execute -> answer.

Every surface (HTTP, MCP, CLI) calls this one pipeline; nothing about a question is
decided twice. A guard rejection or database error is fed back to the translator, at most
`translator.max_corrections` more times; a timeout is never retried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from data_assistant.audit import audited, make_audit_log
from data_assistant.auth.policies import SourcePolicy, policies_for
from data_assistant.auth.principal import ANONYMOUS, Principal, authorize
from data_assistant.config import Settings
from data_assistant.errors import (
    DataAssistantError,
    GuardRejection,
    NoUsableQuery,
    QueryFailed,
    RequestError,
    TranslatorUnavailable,
)
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.guard.count import count_query
from data_assistant.guard.sql_guard import cap_rows, validate_sql
from data_assistant.ratelimit import make_rate_limiter, rate_key
from data_assistant.sources import Source, SourceRegistry
from data_assistant.translate.base import Attempt, TranslationRequest, Translator
from data_assistant.translate.factory import build_translator

# Errors the translator may be able to fix when told about them.
CORRECTABLE = (GuardRejection, QueryFailed, NoUsableQuery)


@dataclass
class Answer:
    """What a question got: the query that ran and its rows."""

    source: str
    # The query that ran: SQL, or a Cosmos DB query for document sources.
    sql: str
    columns: list[str]
    # Rows as objects for SQL; for documents, whatever the query selects (any JSON value).
    results: list[Any]
    row_count: int | None
    truncated: bool
    question: str | None = None
    explanation: str | None = None
    attempts: list[dict[str, str | None]] = field(default_factory=list)
    duration_ms: float = 0.0
    translate_ms: float | None = None
    # Values bound to the query's @parameters (document queries).
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Assistant:
    """The configured sources and translator, and the one way to ask them."""

    def __init__(
        self,
        settings: Settings,
        *,
        translator: Translator | None = None,
        sources: SourceRegistry | None = None,
    ) -> None:
        self.settings = settings
        self.sources = sources or SourceRegistry(settings)
        self.translator = translator if translator is not None else build_translator(settings)
        self.policies: dict[str, SourcePolicy] = policies_for(settings)
        self.audit = make_audit_log(settings)
        self.limiter = make_rate_limiter(settings)

    def source(self, name: str) -> Source:
        """The source called `name`, or UnknownSource."""
        return self.sources.get(name)

    def ask(
        self,
        source_name: str,
        question: str,
        *,
        max_rows: int | None = None,
        language: str | None = None,
        principal: Principal = ANONYMOUS,
        client_address: str | None = None,
        user_agent: str | None = None,
    ) -> Answer:
        """Answer a question: translate, guard and run, correcting from errors when allowed.

        `language` ("sql" or "cosmos") insists on a kind of source, as the HTTP operations
        do. Rate-limited per principal; authorized against the source; audited.
        """
        if self.limiter is not None:
            self.limiter.check(rate_key(principal, client_address))
        with audited(
            self.audit,
            subject=principal.subject,
            source=source_name,
            question=question,
            client_address=client_address,
            user_agent=user_agent,
        ) as entry:
            answer = self._ask(source_name, question, max_rows, principal, language)
            entry.answered(answer)
            return answer

    def run_sql(
        self,
        source_name: str,
        sql: str,
        *,
        max_rows: int | None = None,
        principal: Principal = ANONYMOUS,
    ) -> Answer:
        """Guard and run a query written by hand (no translation), under the same policies."""
        started = time.perf_counter()
        source = self.authorized_source(source_name, principal)
        answer = self._run(source, sql, self._row_limit(source, max_rows), principal)
        answer.duration_ms = (time.perf_counter() - started) * 1000
        return answer

    def schema_for(self, source_name: str, principal: Principal = ANONYMOUS):
        """The schema a principal's translator may see: denied tables and columns left out."""
        return self._visible_schema(self.authorized_source(source_name, principal))

    def _visible_schema(self, source: Source):
        policy = self.policies.get(source.name)
        schema = source.schema()
        return policy.schema_for(schema) if policy else schema

    def _ask(
        self,
        source_name: str,
        question: str,
        max_rows: int | None,
        principal: Principal,
        language: str | None = None,
    ) -> Answer:
        started = time.perf_counter()
        source = self.authorized_source(source_name, principal)
        is_container = source.dialect == "cosmos"
        if language is not None and is_container != (language == "cosmos"):
            what, operation = (
                ("a document container", "queryCosmosDb")
                if is_container
                else ("a SQL database", "querySqlDatabase")
            )
            raise RequestError(f"'{source_name}' is {what}; ask it with {operation}.")
        if self.translator is None:
            raise TranslatorUnavailable(
                "Translation is turned off (translator.provider: none); set a provider."
            )
        schema = self._visible_schema(source)
        limit = self._row_limit(source, max_rows)
        tries = 1 + self.settings.translator.max_corrections
        if not getattr(self.translator, "self_corrects", True):
            tries = 1
        attempts: list[Attempt] = []
        last_error: DataAssistantError | None = None
        for _ in range(tries):
            request = TranslationRequest(
                question=question,
                source_name=source.name,
                dialect=source.dialect,
                schema=schema,
                description=source.description,
                attempts=tuple(attempts),
            )
            query = ""
            try:
                translate_started = time.perf_counter()
                translation = self.translator.translate(request)
                translate_ms = (time.perf_counter() - translate_started) * 1000
                query = translation.query
                answer = self._run(source, query, limit, principal)
            except CORRECTABLE as exc:
                attempts.append(Attempt(query=query, error=exc.reason))
                last_error = exc
                continue
            answer.question = question
            answer.explanation = translation.explanation
            answer.attempts = [{"sql": a.query, "error": a.error} for a in attempts]
            answer.attempts.append({"sql": answer.sql, "error": None})
            answer.duration_ms = (time.perf_counter() - started) * 1000
            answer.translate_ms = translate_ms
            return answer
        assert last_error is not None
        raise last_error

    def authorized_source(self, source_name: str, principal: Principal) -> Source:
        """The source, once `principal` is shown to hold its grant and scopes."""
        settings = self.settings.sources.get(source_name)
        authorize(
            principal,
            source_name,
            policies=getattr(settings, "policies", None),
            required_scope=self.settings.auth.required_scope,
            realm=self.settings.auth.realm,
        )
        return self.source(source_name)

    def close(self) -> None:
        self.sources.close()

    def _row_limit(self, source: Source, requested: int | None) -> int:
        cap = source.settings.max_rows
        return cap if requested is None else max(1, min(requested, cap))

    def _run(self, source: Source, query: str, max_rows: int, principal: Principal) -> Answer:
        if source.dialect == "cosmos":
            return self._run_documents(source, query, max_rows, principal)
        return self._run_sql(source, query, max_rows, principal)

    def _run_documents(
        self, source: Source, query: str, max_items: int, principal: Principal
    ) -> Answer:
        others = [s.container for s in self.sources if s.dialect == "cosmos" and s is not source]
        guarded = check_cosmos_query(
            query,
            container=source.container,
            max_items=max_items,
            other_containers=others,
            row_filter=source.settings.row_filter,
            claims=principal.claims,
        )
        result = source.execute(
            guarded.query,
            parameters=guarded.parameters,
            max_items=max_items,
            count_query=guarded.count_query,
        )
        return Answer(
            source=source.name,
            sql=guarded.query,
            columns=[],
            results=result.documents,
            row_count=result.count,
            truncated=result.truncated,
            parameters=dict(guarded.parameters),
            notes=list(result.notes),
        )

    def _run_sql(self, source: Source, sql: str, max_rows: int, principal: Principal) -> Answer:
        snapshot = source.schema()
        dialect = source.dialect
        expression = validate_sql(
            sql,
            dialect=dialect,
            tables=source.table_names(),
            default_schema=source.default_schema,
            allowed_functions=source.settings.allowed_functions,
        )
        params: dict[str, Any] = {}
        policy = self.policies.get(source.name)
        if policy is not None:
            enforced = policy.enforce(
                expression, principal=principal, snapshot=snapshot, copy=False
            )
            expression, params = enforced.expression, enforced.params
        # The query as shown and run: the row cap applied, claim values left as binds.
        capped = cap_rows(expression, dialect=dialect, row_cap=max_rows + 1)
        run_sql = capped.sql(dialect=dialect, comments=False, copy=False)
        result = source.execute(
            run_sql,
            max_rows=max_rows,
            # Written only when the rows were capped: most answers never need it.
            count_sql=lambda: count_query(expression, dialect=dialect),
            params=params,
        )
        columns = unique_names(result.columns)
        return Answer(
            source=source.name,
            sql=run_sql,
            columns=columns,
            results=[dict(zip(columns, row, strict=True)) for row in result.rows],
            row_count=result.row_count,
            truncated=result.truncated,
        )


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique (`name`, `name_2`) so that rows can be objects."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = candidate = name or "column"
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
