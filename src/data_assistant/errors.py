"""The one exception tree of Data Assistant; each class carries what the surfaces need.

    DataAssistantError                500  base; `reason` is one sentence safe to show
    ├── ConfigError                        bad configuration, raised at start (key + file)
    ├── RequestError                  400
    │   ├── InvalidRequest            400  the request itself is malformed
    │   ├── GuardRejection            400  the query is not a safe read-only query
    │   └── QueryFailed               400  the database rejected the query
    ├── Unauthorized                  401
    ├── Forbidden                     403
    ├── UnknownSource                 404
    ├── NotFound                      404  no such thing (a golden query id)
    ├── Conflict                      409  the change clashes with what exists (a file's entry)
    ├── Refusal                       422  the translator cannot read the question
    ├── RateLimited                   429
    ├── TranslationError              502
    │   ├── NoUsableQuery             502  the model gave no usable query
    │   └── TranslatorUnavailable     502  the model endpoint failed
    ├── SourceUnavailable             503  the database cannot be reached
    ├── ServiceUnavailable            503  a part the server needs is down
    │   ├── AuditUnavailable          503  the audit record cannot be written (on_failure: refuse)
    │   └── RateLimitUnavailable      503  Redis is down and rate limits fail closed
    └── TimeoutError_                 504
        ├── QueryTimeout              504  the database took longer than the source's limit
        └── TranslatorTimeout         504  the model took longer than its limit

Each class declares its HTTP `status`, problem `title` and `type_slug`, and CLI `exit_code`;
an instance carries the response `headers` it needs and `problem_extras()` for the problem
body, so that no surface has an isinstance chain. Driver and SDK errors are translated where
they enter (`raise ... from exc`); only `reason` ever reaches a client, never the driver's
own text with hosts or passwords.
"""

from __future__ import annotations

from typing import Any

# Exit codes of the `data-assistant` command.
EXIT_FAILURE, EXIT_USAGE, EXIT_REJECTED, EXIT_REFUSED = 1, 2, 3, 4


class DataAssistantError(Exception):
    """Base class: `status` is the HTTP status, `title` the problem title."""

    status: int = 500
    title: str = "Internal error"
    type_slug: str = "internal-error"
    exit_code: int = EXIT_FAILURE
    # How the audit log records a question that ended with this error.
    audit_outcome: str = "error"

    def __init__(self, reason: str, **extra: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.extra = extra
        # Response headers the error needs (WWW-Authenticate, Retry-After, Allow).
        self.headers: dict[str, str] = {}

    def problem_extras(self) -> dict[str, Any]:
        """Members added to the problem JSON besides type, title, status and detail."""
        return {}


class ConfigError(DataAssistantError):
    """A configuration value is missing or wrong; raised before the server starts."""

    title = "Configuration error"
    type_slug = "config-error"
    exit_code = EXIT_USAGE


class RequestError(DataAssistantError):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"
    exit_code = EXIT_USAGE


class InvalidRequest(RequestError):
    """The request is malformed: not JSON, not UTF-8, or not the documented shape."""

    title = "Invalid request"
    type_slug = "invalid-request"


class _WithQuery(RequestError):
    """An error about one query, which the problem body shows."""

    def __init__(self, reason: str, *, sql: str | None = None, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.sql = sql

    def problem_extras(self) -> dict[str, Any]:
        return {"sql": self.sql} if self.sql else {}


class GuardRejection(_WithQuery):
    """The query is not a single safe read-only query over allowed tables."""

    title = "Query rejected"
    type_slug = "query-rejected"
    exit_code = EXIT_REJECTED
    audit_outcome = "rejected"


class QueryFailed(_WithQuery):
    """The database raised an error for the query (bad column, type error...)."""

    title = "Query failed"
    type_slug = "query-failed"
    exit_code = EXIT_FAILURE


class Unauthorized(DataAssistantError):
    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"
    audit_outcome = "denied"


class Forbidden(DataAssistantError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"
    audit_outcome = "denied"


class UnknownSource(DataAssistantError):
    status = 404
    title = "Unknown source"
    type_slug = "unknown-source"
    exit_code = EXIT_USAGE


class NotFound(DataAssistantError):
    """Something named in the request (not a source) does not exist."""

    status = 404
    title = "Not found"
    type_slug = "not-found"
    exit_code = EXIT_USAGE


class Conflict(DataAssistantError):
    """The change cannot be made over what exists (a golden query kept in a file)."""

    status = 409
    title = "Conflict"
    type_slug = "conflict"
    exit_code = EXIT_USAGE


class Refusal(DataAssistantError):
    """The translator could not read the question with confidence and will not guess.

    `suggestions` are questions it can answer on the same data, close to the one asked.
    """

    status = 422
    title = "Question not understood"
    type_slug = "question-not-understood"
    exit_code = EXIT_REFUSED
    audit_outcome = "refused"

    def __init__(
        self, reason: str, *, suggestions: list[str] | tuple[str, ...] = (), **extra: object
    ) -> None:
        super().__init__(reason, **extra)
        self.suggestions = list(suggestions)

    def problem_extras(self) -> dict[str, Any]:
        return {"suggestions": self.suggestions} if self.suggestions else {}


class RateLimited(DataAssistantError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"
    audit_outcome = "rate_limited"

    def __init__(self, reason: str, *, retry_after: int = 1, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)


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


class ServiceUnavailable(DataAssistantError):
    """A part the server needs to answer safely is down; answering resumes when it is back."""

    status = 503
    title = "Service unavailable"
    type_slug = "service-unavailable"

    def __init__(self, reason: str, *, retry_after: int = 5, **extra: object) -> None:
        super().__init__(reason, **extra)
        self.headers["Retry-After"] = str(retry_after)


class AuditUnavailable(ServiceUnavailable):
    title = "Audit log unavailable"
    type_slug = "audit-unavailable"


class RateLimitUnavailable(ServiceUnavailable):
    title = "Rate limits unavailable"
    type_slug = "rate-limits-unavailable"


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
