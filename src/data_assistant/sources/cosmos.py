"""An Azure Cosmos DB for NoSQL container, read through the azure-cosmos SDK.

Kept thin: the guard has already checked, parameterised and capped the query. Here it is
sent with its parameters and read page by page until `max_items + 1` results, `max_pages`
pages, `max_request_units` request units or the time limit, whichever comes first;
stopping early with more to read marks the result truncated, with a note saying why.
The SDK's errors are translated here, where they enter:

    400 (bad query)                         QueryFailed, the service's one-line message
    401 / 403                               SourceUnavailable: not authorized
    404                                     SourceUnavailable: no such database or container
    408, client-side timeout                QueryTimeout
    429 after the SDK's own retries         SourceUnavailable: throttled
    no connection, other HTTP statuses      SourceUnavailable
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Mapping
from typing import Any

from data_assistant.errors import (
    DataAssistantError,
    QueryFailed,
    QueryTimeout,
    SourceUnavailable,
)
from data_assistant.schema.documents import infer_container_schema
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.settings import CosmosSourceSettings
from data_assistant.sources.containers import ContainerSource, DocumentBatch

CHARGE_HEADER = "x-ms-request-charge"
# System properties of a stored item that mean nothing to a reader (`_ts` is kept).
SYSTEM_PROPERTIES = ("_rid", "_self", "_etag", "_attachments")


class CosmosSource(ContainerSource):
    """One Cosmos DB container, queried read-only with a key or an Entra ID identity."""

    kind = "cosmos"
    settings: CosmosSourceSettings

    def __init__(
        self, name: str, settings: CosmosSourceSettings, *, credential: Any = None
    ) -> None:
        """`credential` (a TokenCredential) replaces DefaultAzureCredential when no key."""
        super().__init__(name, settings)
        self.container = settings.container
        self._credential = credential
        self._client: Any = None
        self._container: Any = None
        self._schema: SchemaSnapshot | None = None
        self._lock = threading.RLock()

    @property
    def description(self) -> str | None:
        return self.settings.description

    @property
    def problems(self) -> list[str]:
        """Documents that could not be read: none, the service keeps them valid."""
        return []

    @property
    def container_client(self) -> Any:
        """The SDK's ContainerProxy, made on first use: making the client reads the
        account, and start-up must not wait on the network."""
        if self._container is None:
            with self._lock:
                if self._container is None:
                    self._container = self._connect()
        return self._container

    def _connect(self) -> Any:
        try:
            from azure.cosmos import CosmosClient
        except ImportError as exc:
            raise SourceUnavailable(
                f"Source '{self.name}' needs the azure-cosmos package; install azure-cosmos."
            ) from exc
        s = self.settings
        credential = s.key or self._credential
        if credential is None:
            from azure.identity import DefaultAzureCredential

            credential = DefaultAzureCredential()
        try:
            self._client = CosmosClient(
                s.endpoint,
                credential=credential,
                connection_timeout=s.timeout_s,
                # Throttling retries wait at most as long as a query may run.
                retry_backoff_max=max(1, int(s.timeout_s)),
                user_agent_suffix="data-assistant",
            )
        except Exception as exc:
            raise self._translate(exc, None) from exc
        return self._client.get_database_client(s.database).get_container_client(s.container)

    def schema(self, *, refresh: bool = False) -> SchemaSnapshot:
        """The schema inferred from the first documents; cached until refresh."""
        if self._schema is not None and not refresh:
            return self._schema
        with self._lock:
            if self._schema is None or refresh:
                size = self.settings.sample_size
                sample = self.execute(f"SELECT TOP {size} * FROM c", max_items=size)
                self._schema = infer_container_schema(
                    sample.documents,
                    source=self.name,
                    container=self.container,
                    sample_size=size,
                    partition_key=self._partition_key(),
                )
        return self._schema

    def execute(
        self,
        query: str,
        *,
        parameters: Mapping[str, Any] | None = None,
        max_items: int,
        count_query: str | None = None,
    ) -> DocumentBatch:
        """Run a guarded query; read pages until the item, page or request-unit cap.

        `count_query` is accepted for symmetry with local containers but not run: a count
        costs request units of its own, so `count` is None when results were cut.
        """
        s = self.settings
        spent = [0.0, 0]  # request units, responses that reported them

        def add_charge(headers: Mapping[str, Any], _result: Any) -> None:
            # One page may take several requests (one per partition); each reports here,
            # which the client's last_response_headers (shared by all threads) cannot.
            spent[0] += _charge(headers)
            spent[1] += 1

        try:
            pages = self.container_client.query_items(
                query=query,
                parameters=[{"name": _at(k), "value": v} for k, v in (parameters or {}).items()],
                enable_cross_partition_query=True,
                max_item_count=s.page_size,
                # `timeout` bounds each page with its retries; `read_timeout` stops the
                # wait for one slow answer, which `timeout` alone only checks afterwards.
                timeout=s.timeout_s,
                read_timeout=s.timeout_s,
                response_hook=add_charge,
            ).by_page()
            documents, notes = self._read_pages(pages, max_items, spent)
        except Exception as exc:
            raise self._translate(exc, query) from exc
        truncated = len(documents) > max_items or bool(notes)
        kept = [_clean(doc) for doc in documents[:max_items]]
        return DocumentBatch(
            documents=kept,
            truncated=truncated,
            count=None if truncated else len(kept),
            notes=tuple(notes),
            request_charge=round(spent[0], 2),
        )

    def _read_pages(
        self, pages: Any, max_items: int, spent: list[Any]
    ) -> tuple[list[Any], list[str]]:
        """Items until one more than `max_items`, or until a cap stops the reading while
        more may follow (then a note says which cap)."""
        s = self.settings
        deadline = time.monotonic() + s.timeout_s
        documents: list[Any] = []
        read = 0
        while True:
            reported = spent[1]
            page = next(pages, None)  # the page's requests run here
            if page is None:
                return documents, []
            read += 1
            items = list(page)
            documents.extend(items)
            if spent[1] == reported:  # no response hook ran: read the client's last answer
                headers = self.container_client.client_connection.last_response_headers
                spent[0] += _charge(headers or {})
            if len(documents) > max_items:
                return documents, []
            # A full page may have more behind it even without a continuation token: a
            # cross-partition query refills pages from several partitions.
            if not pages.continuation_token and len(items) < s.page_size:
                return documents, []
            if spent[0] > s.max_request_units:
                return documents, [
                    f"Stopped after {spent[0]:g} request units, past the limit of "
                    f"{s.max_request_units:g}; narrow the question to read less."
                ]
            if read >= s.max_pages:
                return documents, [f"Stopped after {read} pages of {s.page_size} items."]
            if time.monotonic() > deadline:
                return documents, [f"Stopped after {s.timeout_s:g} s with more to read."]

    def ping(self) -> None:
        """Raise SourceUnavailable unless the container can be read."""
        try:
            self.container_client.read()
        except Exception as exc:
            raise self._translate(exc, None) from exc

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = self._container = None

    def _partition_key(self) -> str | None:
        try:
            paths = self.container_client.read().get("partitionKey", {}).get("paths", [])
        except Exception:
            return None  # the schema is still useful without it
        return ", ".join(paths) or None

    # ------------------------------------------------------------ errors

    def _timeout_reason(self) -> str:
        return (
            f"The query ran longer than the {self.settings.timeout_s:g} s limit of source "
            f"'{self.name}'."
        )

    def _translate(self, exc: BaseException, query: str | None) -> DataAssistantError:
        from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
        from azure.cosmos.exceptions import CosmosClientTimeoutError, CosmosHttpResponseError

        where = f"Source '{self.name}' (container '{self.container}')"
        if isinstance(exc, DataAssistantError):
            return exc
        if isinstance(exc, ValueError):  # the SDK's own objection to a query's form
            return QueryFailed(f"Cosmos DB cannot run the query: {_first_line(exc)}", sql=query)
        if isinstance(exc, CosmosClientTimeoutError):
            # Time spent retrying a throttled or failing service is the service's trouble,
            # not the query's: report what the last attempt got.
            last = getattr(exc, "inner_exception", None)
            if isinstance(last, CosmosHttpResponseError) and last.status_code != 408:
                return self._translate(last, query)
            return QueryTimeout(self._timeout_reason())
        if isinstance(exc, CosmosHttpResponseError):
            status = exc.status_code
            if status == 400:
                return QueryFailed(
                    f"Cosmos DB rejected the query: {service_message(exc)}", sql=query
                )
            if status in (401, 403):
                return SourceUnavailable(
                    f"{where} is not authorized to read: check the key, or give the "
                    "identity the Cosmos DB Built-in Data Reader role."
                )
            if status == 404:
                return SourceUnavailable(f"{where}: the database or container does not exist.")
            if status == 408:
                return QueryTimeout(self._timeout_reason())
            if status == 429:
                return SourceUnavailable(
                    f"{where} is throttled: the account's request units are used up; "
                    "try again shortly."
                )
            return SourceUnavailable(f"{where} answered with HTTP {status}.")
        if isinstance(exc, ClientAuthenticationError):
            return SourceUnavailable(f"{where}: no Entra ID token could be obtained.")
        if isinstance(exc, ServiceRequestError):
            return SourceUnavailable(f"{where} cannot be reached.")
        return SourceUnavailable(f"{where} cannot be read right now ({type(exc).__name__}).")


_ACTIVITY = re.compile(r"\s*(ActivityId:|RequestStartTime:|, Request URI:|, SDK:).*", re.DOTALL)


def service_message(exc: Any) -> str:
    """The service's reason for a 400, in one line, without activity ids or headers.

    The body reads `{"code": ..., "message": "Message: {\"errors\": [...]}\\r\\nActivityId:
    ..."}`; the inner errors carry the reason and where in the query it applies.
    """
    text = str(getattr(exc, "http_error_message", None) or exc.message or "")
    try:
        body = json.loads(text)
        text = str(body.get("message", text)) if isinstance(body, dict) else text
    except ValueError:
        pass
    text = _ACTIVITY.sub("", text).strip()
    inner = text.removeprefix("Message:").strip()
    try:
        errors = json.loads(inner).get("errors", [])
    except (ValueError, AttributeError):
        errors = []
    reasons = []
    for error in errors if isinstance(errors, list) else []:
        message = str(error.get("message", "")).strip().rstrip(".")
        start = (error.get("location") or {}).get("start")
        reasons.append(message + (f" (at character {start})" if start is not None else ""))
    line = "; ".join(r for r in reasons if r) or (text.splitlines() or ["bad request"])[0]
    return line.rstrip(".") + "."


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__).rstrip(".") + "."


def _charge(headers: Mapping[str, Any]) -> float:
    try:
        return float(headers.get(CHARGE_HEADER) or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _at(name: str) -> str:
    return name if name.startswith("@") else "@" + name


def _clean(item: Any) -> Any:
    """A whole stored item without the system properties that mean nothing to a reader."""
    if isinstance(item, dict) and "_rid" in item and "_self" in item:
        return {k: v for k, v in item.items() if k not in SYSTEM_PROPERTIES}
    return item
