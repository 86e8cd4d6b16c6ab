"""Settings of one source: a SQL database, a local document container or a Cosmos DB container."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from data_assistant.settings.auth import SourcePolicies
from data_assistant.settings.base import Frozen

# 10 MB: a chat client or a page shows far less; more is an attack or a mistake.
MAX_ANSWER_BYTES = 10_000_000


class SourceSettings(Frozen):
    """One queryable source; `kind: sql` takes a SQLAlchemy URL, or `files` for DuckDB."""

    # `schema` is the YAML key; the attribute is `db_schema` because pydantic's BaseModel
    # already has a `schema` attribute.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: Literal["sql"] = "sql"
    url: str
    description: str | None = None
    db_schema: str | None = Field(
        default=None,
        alias="schema",
        description="The database schema to read (PostgreSQL schema, MySQL database); "
        "the server's default when unset.",
    )
    files: list[str] | None = Field(
        default=None,
        description="CSV, Parquet or JSON files, globs or folders to query with DuckDB, "
        "each as a read-only view named after the file; `url` may then be left out.",
    )
    allowed_tables: list[str] | None = Field(
        default=None, description="Only these tables may be queried (all when unset)."
    )
    denied_tables: list[str] = Field(default_factory=list)
    allowed_functions: list[str] = Field(
        default_factory=list,
        description="Functions queries may call beyond the engine's built-in allow-list, "
        "by name (e.g. a vetted user-defined function or `current_user`).",
    )
    max_rows: int = Field(default=100, ge=1, le=100_000)
    max_estimated_rows: int | None = Field(
        default=1_000_000_000,
        ge=1,
        description="Refuse a query whose plan the database estimates at more rows than "
        "this in any step (PostgreSQL, DuckDB, MySQL/MariaDB); null turns the check off.",
    )
    timeout_s: float = Field(default=15.0, gt=0, le=3600)
    pool_size: int = Field(
        default=5, ge=1, le=100, description="Connections kept open to the database."
    )
    pool_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="The most of the pool one principal holds while others wait for it.",
    )
    max_answer_bytes: int = Field(
        default=MAX_ANSWER_BYTES,
        ge=1024,
        le=2**31,
        description="Rows are cut (and truncated set) once an answer would pass this size.",
    )
    azure_ad: bool = Field(
        default=False,
        description="Sign in to SQL Server / Azure SQL with an Entra ID token from "
        "DefaultAzureCredential instead of a password (mssql+pyodbc).",
    )
    sample_values: bool = Field(
        default=True, description="Collect distinct values of low-cardinality text columns."
    )
    policies: SourcePolicies = Field(
        default_factory=SourcePolicies,
        description="Row filters, denied and masked columns, required scopes.",
    )

    def with_cap(self, rows: int) -> SourceSettings:
        """These settings with the row cap set to `rows` and the byte cap lifted."""
        return self.model_copy(update={"max_rows": rows, "max_answer_bytes": 2**31})

    @model_validator(mode="before")
    @classmethod
    def _files_default_to_duckdb(cls, data: Any) -> Any:
        # `files` alone means an in-memory DuckDB database holding one view per file.
        if isinstance(data, dict) and data.get("files") and not data.get("url"):
            return {**data, "url": "duckdb:///:memory:"}
        return data

    @field_validator("files")
    @classmethod
    def _files_not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("list at least one file, glob or folder")
        return value


_ROW_FILTER_HELP = (
    "A Cosmos DB condition every document must meet, with claim placeholders, e.g. "
    "`c.tenantId = @claims.tid`; a missing claim denies."
)


class _DocumentSourceSettings(Frozen):
    """What both document kinds share: caps, limits and the optional row filter."""

    description: str | None = None
    max_items: int = Field(
        default=100, ge=1, le=100_000, description="Documents returned at most per query."
    )
    timeout_s: float = Field(default=15.0, gt=0, le=3600)
    max_answer_bytes: int = Field(
        default=MAX_ANSWER_BYTES,
        ge=1024,
        le=2**31,
        description="Results are cut (and truncated set) once an answer would pass this size.",
    )
    row_filter: str | None = Field(default=None, description=_ROW_FILTER_HELP)

    @property
    def max_rows(self) -> int:
        """The same cap as `max_items`, under the SQL sources' name."""
        return self.max_items

    def with_cap(self, rows: int) -> Any:
        """These settings with the item cap set to `rows` and the byte cap lifted."""
        return self.model_copy(update={"max_items": rows, "max_answer_bytes": 2**31})


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
    sample_size: int = Field(
        default=200, ge=1, le=1000, description="Documents read to infer the schema."
    )

    @property
    def container_name(self) -> str:
        return self.container


def _source_kind(value: Any) -> str:
    # `kind` defaults to sql, so a source without one is a SQL source.
    if isinstance(value, dict):
        return value.get("kind", "sql")
    return getattr(value, "kind", "sql")


AnySourceSettings = Annotated[
    Annotated[SourceSettings, Tag("sql")]
    | Annotated[DocumentsSourceSettings, Tag("documents")]
    | Annotated[CosmosSourceSettings, Tag("cosmos")],
    Discriminator(_source_kind),
]
