"""The one exception tree of Data Assistant; each class carries its HTTP status.

    DataAssistantError                500  base; `reason` is one sentence safe to show
    ├── ConfigError                        bad configuration, raised at start (key + file)
    ├── RequestError                  400
    │   ├── GuardRejection            400  the query is not a safe read-only query
    │   └── QueryFailed               400  the database rejected the query
    ├── Unauthorized                  401
    ├── Forbidden                     403
    ├── UnknownSource                 404
    ├── Refusal                       422  the offline translator cannot read the question
    ├── RateLimited                   429
    ├── TranslationError              502
    │   ├── NoUsableQuery             502  the model gave no usable query
    │   └── TranslatorUnavailable     502  the model endpoint failed
    ├── SourceUnavailable             503  the database cannot be reached
    └── TimeoutError_                 504
        ├── QueryTimeout              504  the database took longer than the source's limit
        └── TranslatorTimeout         504  the model took longer than its limit

Driver and SDK errors are translated where they enter (`raise ... from exc`); only
`reason` ever reaches a client, never the driver's own text with hosts or passwords.
"""

from __future__ import annotations


class DataAssistantError(Exception):
    """Base class: `status` is the HTTP status, `title` the problem title."""

    status: int = 500
    title: str = "Internal error"
    type_slug: str = "internal-error"

    def __init__(self, reason: str, **extra: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.extra = extra


class ConfigError(DataAssistantError):
    """A configuration value is missing or wrong; raised before the server starts."""

    title = "Configuration error"
    type_slug = "config-error"


class RequestError(DataAssistantError):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"


class GuardRejection(RequestError):
    """The query is not a single safe read-only query over allowed tables."""

    title = "Query rejected"
    type_slug = "query-rejected"

    def __init__(self, reason: str, *, sql: str | None = None, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.sql = sql


class QueryFailed(RequestError):
    """The database raised an error for the query (bad column, type error...)."""

    title = "Query failed"
    type_slug = "query-failed"

    def __init__(self, reason: str, *, sql: str | None = None, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.sql = sql


class Unauthorized(DataAssistantError):
    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"


class Forbidden(DataAssistantError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class UnknownSource(DataAssistantError):
    status = 404
    title = "Unknown source"
    type_slug = "unknown-source"


class Refusal(DataAssistantError):
    """The translator could not read the question with confidence and will not guess."""

    status = 422
    title = "Question not understood"
    type_slug = "question-not-understood"


class RateLimited(DataAssistantError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"

    def __init__(self, reason: str, *, retry_after: int = 1, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.retry_after = retry_after


class TranslationError(DataAssistantError):
    status = 502
    title = "Translation failed"
    type_slug = "translation-failed"


class NoUsableQuery(TranslationError):
    title = "No usable query"
    type_slug = "no-usable-query"


class TranslatorUnavailable(TranslationError):
    title = "Translator unavailable"
    type_slug = "translator-unavailable"


class SourceUnavailable(DataAssistantError):
    status = 503
    title = "Source unavailable"
    type_slug = "source-unavailable"


class TimeoutError_(DataAssistantError):
    status = 504
    title = "Timed out"
    type_slug = "timeout"


class QueryTimeout(TimeoutError_):
    title = "Query timed out"
    type_slug = "query-timeout"


class TranslatorTimeout(TimeoutError_):
    title = "Translator timed out"
    type_slug = "translator-timeout"
