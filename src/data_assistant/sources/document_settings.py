"""Settings of the document sources: local containers (`kind: documents`) and Cosmos DB.

Both are strict pydantic models with a literal `kind`, so that `Settings.sources` can be a
union discriminated on it. `max_rows` mirrors `max_items` so code that caps rows treats
every source alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from data_assistant.guard.cosmos_guard import compile_document_predicate

_ROW_FILTER_HELP = (
    "A Cosmos DB condition every document must meet, with claim placeholders, e.g. "
    "`c.tenantId = @claims.tid`; a missing claim denies."
)


class _DocumentSourceSettings(BaseModel):
    """What both document kinds share: caps, limits and the optional row filter."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = None
    max_items: int = Field(
        default=100, ge=1, le=100_000, description="Documents returned at most per query."
    )
    timeout_s: float = Field(default=15.0, gt=0, le=3600)
    row_filter: str | None = Field(default=None, description=_ROW_FILTER_HELP)

    @property
    def max_rows(self) -> int:
        """The same cap as `max_items`, under the SQL sources' name."""
        return self.max_items

    @field_validator("row_filter")
    @classmethod
    def _row_filter_parses(cls, value: str | None) -> str | None:
        # A policy that cannot be read must stop the server, not every question.
        if value is not None:
            compile_document_predicate(value)
        return value


class DocumentsSourceSettings(_DocumentSourceSettings):
    """A local container: a folder of .json / .jsonl files, one such file, or a SQLite file
    with a table `documents(id TEXT PRIMARY KEY, body TEXT)`."""

    kind: Literal["documents"] = "documents"
    path: str = Field(description="Folder, .json / .jsonl file, or .db / .sqlite file.")
    container: str | None = Field(
        default=None, description="The container's name; the folder or file stem when unset."
    )
    sample_size: int = Field(
        default=1000, ge=1, le=100_000, description="Documents read to infer the schema."
    )
    partition_key: str | None = Field(
        default=None,
        description="The partition key path, such as `/customer/id`; ids need only be "
        "unique within one partition key value, as in Cosmos DB.",
    )

    @property
    def container_name(self) -> str:
        """The configured name, else the folder name or the file's stem."""
        if self.container:
            return self.container
        path = Path(self.path)
        return path.stem if path.suffix else path.name

    @field_validator("partition_key")
    @classmethod
    def _partition_key_is_path(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("/") or value == "/"):
            raise ValueError("write the partition key as a path such as /customer/id")
        return value


class CosmosSourceSettings(_DocumentSourceSettings):
    """One Azure Cosmos DB for NoSQL container, read through azure-cosmos.

    Without `key`, the client signs in with Entra ID (DefaultAzureCredential), which needs
    the Cosmos DB Built-in Data Reader role on the account.
    """

    kind: Literal["cosmos"] = "cosmos"
    endpoint: str = Field(description="The account URL, https://<account>.documents.azure.com")
    key: str | None = Field(default=None, description="A read-only account key.")
    database: str
    container: str
    page_size: int = Field(default=100, ge=1, le=1000, description="Items asked for per page.")
    max_pages: int = Field(default=10, ge=1, le=1000, description="Pages read at most per query.")
    max_request_units: float = Field(
        default=1000.0, gt=0, description="Request units one query may spend before it stops."
    )

    @property
    def container_name(self) -> str:
        return self.container
