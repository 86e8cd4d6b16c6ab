"""The one pipeline: authorize -> visible schema -> translate -> prepare -> run -> answer.

Every surface (HTTP, MCP, CLI, the web page, eval) calls this; nothing about a question is
decided twice, and nothing here asks what kind a source is: each source owns its query
language (see sources/source.py). A guard rejection or database error is fed back to the
translator, at most `translator.max_corrections` more times; a timeout is never retried.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from data_assistant.answers import Answer, Attempt
from data_assistant.audit import AuditRecord, audited, make_audit_log, outcome_of
from data_assistant.auth.principal import ANONYMOUS, Principal, authorize, insufficient_scope
from data_assistant.errors import (
    DataAssistantError,
    GuardRejection,
    NoUsableQuery,
    QueryFailed,
    Refusal,
    RequestError,
    TranslatorUnavailable,
)
from data_assistant.knowledge import (
    GoldenQuery,
    KnowledgeBase,
    KnowledgeTranslator,
    TranslationReuse,
    VerifyResult,
    load_knowledge,
    make_cache,
    make_store,
    verify_golden,
    with_hidden_columns,
)
from data_assistant.observe import metrics
from data_assistant.observe.steps import step
from data_assistant.prepare_cache import PrepareCache
from data_assistant.ratelimit import make_rate_limiter, rate_key
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.settings import Settings
from data_assistant.sources import Source, SourceRegistry
from data_assistant.translate.base import Attempt as TranslatorAttempt
from data_assistant.translate.base import TranslationRequest, Translator
from data_assistant.translate.providers import build_translator

logger = logging.getLogger(__name__)

# Errors the translator may be able to fix when told about them.
CORRECTABLE = (GuardRejection, QueryFailed, NoUsableQuery)


@dataclass(frozen=True)
class Caller:
    """Who asks, and through what: the principal, where from, and which surface."""

    principal: Principal = ANONYMOUS
    address: str | None = None
    user_agent: str | None = None
    # api, mcp, cli, web or eval: written to the audit log.
    surface: str = "api"


class Assistant:
    """The configured sources and translator, and the one way to ask them."""

    def __init__(
        self,
        settings: Settings,
        *,
        translator: Translator | None = None,
        sources: SourceRegistry | None = None,
    ) -> None:
        known = load_knowledge(settings)
        # Hidden columns become denied columns: one column policy hides and refuses them.
        settings = with_hidden_columns(settings, known)
        self.settings = settings
        self.sources = sources or SourceRegistry(settings)
        self.knowledge = KnowledgeBase(known, make_store(settings))
        self.knowledge.check(self.sources)
        inner = translator if translator is not None else build_translator(settings.translator)
        self.translator: Translator | None = (
            KnowledgeTranslator(inner, self.knowledge, examples=settings.knowledge.examples)
            if inner is not None
            else None
        )
        self.reuse = TranslationReuse(settings, make_cache(settings), self.knowledge)
        self.audit = make_audit_log(settings)
        self.limiter = make_rate_limiter(settings)
        # Called with a source's name once its schema was read again here; the server
        # hangs its notice to other processes on it (schema/notices.py).
        self.refresh_hooks: list[Callable[[str], None]] = []
        # The guard's work, once per query, principal and schema snapshot.
        self.prepared = PrepareCache()
        # Configured names, the only source labels metrics use (a typo is "(unknown)").
        self._names = frozenset(s.name for s in self.sources)

    # --------------------------------------------------------------- questions

    def ask(
        self,
        source_name: str,
        question: str,
        *,
        max_rows: int | None = None,
        language: str | None = None,
        caller: Caller = Caller(),
        suggest: bool = True,
    ) -> Answer:
        """Answer a question: translate, prepare and run, correcting from errors.

        `language` ("sql" or "cosmos") insists on a kind of source, as the HTTP operations
        do. Rate-limited per principal; authorized against the source; audited. A refusal
        carries questions the translator can answer instead, unless `suggest` is False.
        """
        with self._audited(caller, "ask", source_name, question) as entry:
            answer = self._ask(source_name, question, max_rows, caller.principal, language, suggest)
            entry.answered(answer)
            return answer

    def run_query(
        self,
        source_name: str,
        query: str,
        *,
        max_rows: int | None = None,
        caller: Caller = Caller(),
    ) -> Answer:
        """Prepare and run a query written by the caller (no translation), under the same
        guard and policies as a translated one; rate-limited and audited."""
        with self._audited(caller, "query", source_name, None, query=query) as entry:
            started = time.perf_counter()
            source = self.authorized_source(source_name, caller.principal)
            limit = self._row_limit(source, max_rows)
            with step("prepare", source.name):
                prepared = self.prepared.prepare(source, query, limit, caller.principal)
            with step("execute", source.name):
                result = source.run(prepared)
            answer = Answer(
                source=source.name,
                result=result,
                attempts=(Attempt(result.query, None),),
                duration_ms=(time.perf_counter() - started) * 1000,
            )
            entry.answered(answer)
            return answer

    def schema_for(self, source_name: str, principal: Principal = ANONYMOUS) -> SchemaSnapshot:
        """The schema a principal's translator would see: what policies hide left out, the
        knowledge files' descriptions and glossary in."""
        return self.knowledge.schema_for(
            self.authorized_source(source_name, principal), principal
        ).snapshot

    def refresh(self, source_name: str, caller: Caller = Caller()) -> SchemaSnapshot:
        """Read a source's schema again (after a migration), forgetting its cached
        translations; rate-limited and audited."""
        with self._audited(caller, "refresh", source_name, None):
            source = self.authorized_source(source_name, caller.principal)
            source.schema(refresh=True)
            self.knowledge.forget_schema(source.name)
            self.reuse.invalidate(source.name)
            metrics.schema_refresh(source.name, "here")
            for hook in self.refresh_hooks:
                hook(source.name)
            return source.visible_schema(caller.principal)

    # --------------------------------------------------------------- golden queries

    def golden_list(self, source_name: str, caller: Caller = Caller()) -> list[GoldenQuery]:
        """The golden queries of a source; needs the admin scope."""
        with self._audited(caller, "golden-list", source_name, None):
            source = self._admin_source(source_name, caller.principal)
            return self.knowledge.golden(source.name)

    def golden_add(
        self, source_name: str, question: str, query: str, caller: Caller = Caller()
    ) -> GoldenQuery:
        """Keep a verified question and query, once the query prepares and runs under the
        caller's policies; needs the admin scope. Cached translations of the source go."""
        with self._audited(caller, "golden-add", source_name, question, query=query):
            source = self._admin_source(source_name, caller.principal)
            source.run(source.prepare(query, 1, caller.principal))
            golden = self.knowledge.add(
                GoldenQuery(
                    source.name, question.strip(), query.strip(), added_by=caller.principal.subject
                )
            )
            self.reuse.invalidate(source.name)
            return golden

    def golden_remove(
        self, source_name: str, golden_id: str, caller: Caller = Caller()
    ) -> GoldenQuery:
        """Forget a stored golden query; needs the admin scope."""
        with self._audited(caller, "golden-remove", source_name, None):
            source = self._admin_source(source_name, caller.principal)
            golden = self.knowledge.remove(source.name, golden_id)
            self.reuse.invalidate(source.name)
            return golden

    def golden_verify(self, source_name: str, caller: Caller = Caller()) -> list[VerifyResult]:
        """Read the schema again and prepare and run each golden query on it (one row):
        which still work and why the others broke. Needs the admin scope."""
        with self._audited(caller, "golden-verify", source_name, None):
            source = self._admin_source(source_name, caller.principal)
            source.schema(refresh=True)
            self.knowledge.forget_schema(source.name)
            self.reuse.invalidate(source.name)
            return verify_golden(source, self.knowledge.golden(source.name), caller.principal)

    def _admin_source(self, source_name: str, principal: Principal) -> Source:
        """The source, once `principal` holds its grant and the knowledge admin scope."""
        source = self.authorized_source(source_name, principal)
        scope = self.settings.knowledge.admin_scope
        if not principal.has_scope(scope):
            raise insufficient_scope(scope, realm=self.settings.auth.realm)
        return source

    def sources_for(self, principal: Principal) -> list[Source]:
        """The sources `principal` may use, in configuration order."""
        return [s for s in self.sources if principal.may_use(s.name)]

    def authorized_source(self, source_name: str, principal: Principal) -> Source:
        """The source, once `principal` is shown to hold its grant and scopes."""
        authorize(
            principal,
            source_name,
            required_scopes=self._required_scopes(source_name),
            required_scope=self.settings.auth.required_scope,
            realm=self.settings.auth.realm,
        )
        return self.sources.get(source_name, visible_to=principal)

    def close(self) -> None:
        self.sources.close()
        self.knowledge.close()
        if self.audit is not None:
            self.audit.close()

    # --------------------------------------------------------------- the flow

    def _ask(
        self,
        source_name: str,
        question: str,
        max_rows: int | None,
        principal: Principal,
        language: str | None,
        suggest: bool = True,
    ) -> Answer:
        started = time.perf_counter()
        source = self.authorized_source(source_name, principal)
        if language is not None and source.language.name != language:
            raise RequestError(
                f"'{source_name}' is {source.language.described_as}; ask it with "
                f"{source.language.operation}."
            )
        translator = self.translator
        if translator is None:
            raise TranslatorUnavailable(
                "Translation is turned off (translator.provider: none); set a provider."
            )
        applied = self.knowledge.schema_for(source, principal)
        schema = applied.snapshot
        reuse = self.reuse.for_question(translator, source.name, question, applied, principal)
        limit = self._row_limit(source, max_rows)
        tries = 1 + self.settings.translator.max_corrections
        if not getattr(translator, "self_corrects", True):
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
                attempts=tuple(TranslatorAttempt(a.query or "", a.error or "") for a in attempts),
            )
            query: str | None = None
            try:
                translate_started = time.perf_counter()
                with step("translate", source.name, translator=translator.name):
                    translation = reuse.translate(request)
                translate_ms = (time.perf_counter() - translate_started) * 1000
                query = translation.query
                with step("prepare", source.name):
                    prepared = self.prepared.prepare(source, query, limit, principal)
                query = prepared.text
                with step("execute", source.name):
                    result = source.run(prepared)
            except Refusal as exc:
                if suggest and not exc.suggestions:
                    exc.suggestions = self._suggestions(translator, request)
                raise
            except CORRECTABLE as exc:
                attempts.append(Attempt(getattr(exc, "sql", None) or query, exc.reason))
                last_error = exc
                continue
            attempts.append(Attempt(result.query, None))
            reuse.keep(translation)
            return Answer(
                source=source.name,
                result=result,
                question=question,
                explanation=translation.explanation,
                attempts=tuple(attempts),
                duration_ms=(time.perf_counter() - started) * 1000,
                translate_ms=translate_ms,
                verified=translation.verified,
                cached=translation.cached,
                translated_at=translation.translated_at,
            )
        assert last_error is not None
        raise last_error

    def _suggestions(self, translator: Translator, request: TranslationRequest) -> list[str]:
        """Questions the translator answers on the same schema, close to a refused one."""
        suggest = getattr(translator, "suggest", None)
        if suggest is None:
            return []
        try:
            with step("suggest", request.source_name, translator=translator.name):
                return list(suggest(dataclasses.replace(request, attempts=())))
        except Exception:
            # Suggestions are a courtesy: a fault in them must not hide the refusal.
            logger.exception("suggesting questions failed on %s", request.source_name)
            return []

    def _required_scopes(self, source_name: str) -> tuple[str, ...]:
        try:
            return tuple(self.sources.get(source_name).required_scopes)
        except DataAssistantError:
            # An unknown name is refused by `authorize` or by the registry, not here.
            return ()

    def _row_limit(self, source: Source, requested: int | None) -> int:
        cap = source.max_rows
        return cap if requested is None else max(1, min(requested, cap))

    @contextmanager
    def _audited(
        self,
        caller: Caller,
        action: str,
        source_name: str,
        question: str | None,
        *,
        query: str | None = None,
    ) -> Iterator[AuditRecord]:
        """Rate-limit then audit the block as one action of `caller` on a source, and count
        it by surface, source and status."""
        status = 200
        try:
            with self._audit_entry(caller, action, source_name, question, query) as entry:
                yield entry
        except Exception as exc:
            status = outcome_of(exc)[1]
            raise
        finally:
            label = source_name if source_name in self._names else metrics.UNKNOWN
            metrics.question(caller.surface, label, action, status)

    @contextmanager
    def _audit_entry(
        self,
        caller: Caller,
        action: str,
        source_name: str,
        question: str | None,
        query: str | None,
    ) -> Iterator[AuditRecord]:
        with audited(
            self.audit,
            subject=caller.principal.subject,
            source=source_name,
            question=question,
            action=action,
            surface=caller.surface,
            client_address=caller.address,
            user_agent=caller.user_agent,
        ) as entry:
            if query is not None:
                entry.sql = query
            if self.limiter is not None:
                self.limiter.check(rate_key(caller.principal, caller.address))
            yield entry
