"""Settings: one YAML file plus the environment, validated once at start.

This is the only module that reads the environment. A bad value raises `ConfigError`
naming the key and the file, which the CLI prints as one line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from data_assistant.auth.settings import (
    AuditSettings,
    AuthSettings,
    RateLimitSettings,
    SourcePolicies,
)
from data_assistant.errors import ConfigError
from data_assistant.guard.cosmos_guard import compile_document_predicate

DEFAULT_CONFIG_FILE = "data-assistant.yaml"
CONFIG_ENV_VAR = "DATA_ASSISTANT_CONFIG"
MODEL_ENV_VAR = "DATA_ASSISTANT_MODEL"
DEFAULT_MODEL = "gpt-4o-mini"

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSettings(_Strict):
    """One queryable source; `kind: sql` takes a SQLAlchemy URL, or `files` for DuckDB."""

    # `schema` is the YAML key; the attribute is `db_schema` because pydantic's BaseModel
    # already has a `schema` attribute.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

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


SOURCE_KIND_TAGS = ("sql", "documents", "cosmos")
AnySourceSettings = Annotated[
    Annotated[SourceSettings, Tag("sql")]
    | Annotated[DocumentsSourceSettings, Tag("documents")]
    | Annotated[CosmosSourceSettings, Tag("cosmos")],
    Discriminator(_source_kind),
]


class TranslatorSettings(_Strict):
    """How questions become queries."""

    provider: Literal["auto", "openai", "azure", "offline", "none"] = "auto"
    model: str | None = None
    api_key: str | None = None
    base_url: str | None = None
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    api_version: str | None = None
    azure_ad: bool = Field(
        default=False, description="Authenticate to Azure OpenAI with Entra ID instead of a key."
    )
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_corrections: int = Field(default=2, ge=0, le=10)
    schema_token_budget: int = Field(default=4000, ge=200)
    temperature: float = Field(default=0.0, ge=0, le=2)


class ManifestSettings(_Strict):
    """The fields of `/.well-known/ai-plugin.json`."""

    name_for_human: str = "Data Assistant"
    name_for_model: str = "data_assistant"
    description_for_human: str = "Ask your databases questions in plain language."
    description_for_model: str = (
        "Answers questions about the user's SQL databases and document containers. "
        "Send the user's question in plain language with the database name; the plugin "
        "writes a safe read-only query, runs it and returns the query and the rows. "
        "Call listSources first when the database name is not known."
    )
    logo_url: str | None = None
    contact_email: str = "admin@example.com"
    legal_info_url: str | None = None

    @field_validator("name_for_model")
    @classmethod
    def _model_name_is_identifier(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", value):
            raise ValueError("must be letters, digits and underscores, at most 64 characters")
        return value


class ServerSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)


class Settings(BaseSettings):
    """The whole configuration; environment overrides use `DATA_ASSISTANT_` and `__`."""

    model_config = SettingsConfigDict(
        env_prefix="DATA_ASSISTANT_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    base_url: str | None = None
    debug: bool = False
    data_dir: Path = Path("data")
    sources: dict[str, AnySourceSettings] = Field(default_factory=dict)
    translator: TranslatorSettings = Field(default_factory=TranslatorSettings)
    manifest: ManifestSettings = Field(default_factory=ManifestSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    # Where the settings came from, for messages; not a setting.
    config_file: Path | None = Field(default=None, exclude=True)

    @property
    def public_url(self) -> str:
        """The URL clients reach this server at: `base_url`, else the listening address."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return f"http://{self.server.host}:{self.server.port}"

    @field_validator("sources")
    @classmethod
    def _names_are_simple(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}", name):
                raise ValueError(f"source name {name!r} must be letters, digits, _ . or -")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file and the environment are merged by `load_settings`, in one place.
        return (init_settings,)


def load_settings(
    config: str | Path | None = None,
    *,
    dbs: list[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the YAML file (or `--db` URLs when there is none) and the environment.

    `config` None means `$DATA_ASSISTANT_CONFIG`, else `data-assistant.yaml` if present.
    """
    env = os.environ if environ is None else environ
    path = _config_path(config, env, explicit_dbs=bool(dbs))
    raw: dict[str, Any] = {}
    if path is not None:
        raw = _read_yaml(path)
        raw = _interpolate(raw, env, path, ())
    if dbs:
        sources = raw.setdefault("sources", {})
        if not isinstance(sources, dict):
            raise ConfigError(_where(path, "sources") + "must be a mapping of name to source")
        for url in dbs:
            sources.setdefault(source_name_for_url(url), {"kind": "sql", "url": url})
    try:
        settings = _with_env(env, raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        # A source's kind tag (sources.NAME.sql.max_rows) is pydantic's, not the user's key.
        if len(loc) > 2 and loc[0] == "sources" and loc[2] in SOURCE_KIND_TAGS:
            del loc[2]
        key = ".".join(str(part) for part in loc) or "(top level)"
        raise ConfigError(f"{_where(path, key)}{first['msg']}") from None
    settings.config_file = path
    settings.translator = _resolve_translator(settings.translator, env)
    return settings


def source_name_for_url(url: str) -> str:
    """The source name for a `--db` URL: the file's stem or the database's name."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        database = make_url(url).database
    except ArgumentError:
        # A bare path such as `sales.db` is taken as a SQLite file.
        database = url
    stem = Path(database or "").stem if database else ""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", stem) or "db"
    return name


def normalise_db_url(url: str) -> str:
    """Accept a bare SQLite file path where a SQLAlchemy URL is expected."""
    if "://" in url:
        return url
    return f"sqlite:///{Path(url).expanduser()}"


def _config_path(
    config: str | Path | None, env: Mapping[str, str], *, explicit_dbs: bool
) -> Path | None:
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        return path
    if env.get(CONFIG_ENV_VAR):
        path = Path(env[CONFIG_ENV_VAR])
        if not path.is_file():
            raise ConfigError(f"config file {path} (from {CONFIG_ENV_VAR}) does not exist")
        return path
    default = Path(DEFAULT_CONFIG_FILE)
    if default.is_file() and not explicit_dbs:
        return default
    return None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}: {problem}{where}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of settings")
    return data


def _interpolate(value: Any, env: Mapping[str, str], path: Path, key: tuple[str, ...]) -> Any:
    """Replace `${VAR}` and `${VAR:-default}` in string values, naming the key when unset."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env, path, (*key, str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env, path, (*key, str(i))) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(f"{_where(path, '.'.join(key))}environment variable {name} is not set")

    return _ENV_REF.sub(substitute, value)


def _with_env(env: Mapping[str, str], raw: dict[str, Any]) -> Settings:
    """Validate the file's values with `DATA_ASSISTANT_*` variables merged over them."""
    # The mapping is merged here rather than by pydantic-settings so that tests can pass
    # their own environment and the file's `${VAR}` and the overrides share one source.
    merged = dict(raw)
    prefix = "DATA_ASSISTANT_"
    for name, value in env.items():
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix) :].lower().split("__")
        if parts[0] not in Settings.model_fields:
            # Other tools' DATA_ASSISTANT_* variables (tests, workers) are not settings.
            continue
        target = merged
        for part in parts[:-1]:
            nested = target.get(part)
            if not isinstance(nested, dict):
                nested = target[part] = {}
            target = nested
        target[parts[-1]] = value
    return Settings(**merged)


def _resolve_translator(
    translator: TranslatorSettings, env: Mapping[str, str]
) -> TranslatorSettings:
    """Fill the LLM settings from the SDKs' own environment variables where unset."""
    updates: dict[str, Any] = {}
    if translator.model is None:
        updates["model"] = env.get(MODEL_ENV_VAR) or None
    if translator.provider == "auto":
        if translator.azure_endpoint or env.get("AZURE_OPENAI_ENDPOINT"):
            updates["provider"] = "azure"
        elif (
            translator.api_key
            or translator.base_url
            or env.get("OPENAI_API_KEY")
            or env.get("OPENAI_BASE_URL")
        ):
            updates["provider"] = "openai"
        else:
            # No key and no endpoint: the offline translator answers everyday questions.
            updates["provider"] = "offline"
    provider = updates.get("provider", translator.provider)
    if provider == "openai":
        updates.setdefault("api_key", translator.api_key or env.get("OPENAI_API_KEY"))
        updates.setdefault("base_url", translator.base_url or env.get("OPENAI_BASE_URL"))
    elif provider == "azure":
        updates["azure_endpoint"] = translator.azure_endpoint or env.get("AZURE_OPENAI_ENDPOINT")
        updates["api_key"] = translator.api_key or env.get("AZURE_OPENAI_API_KEY")
        updates["api_version"] = translator.api_version or env.get("OPENAI_API_VERSION")
        if not updates["azure_endpoint"]:
            raise ConfigError("translator.azure_endpoint: set it or AZURE_OPENAI_ENDPOINT")
        if not updates["api_version"]:
            raise ConfigError("translator.api_version: set it or OPENAI_API_VERSION")
    if provider in ("openai", "azure") and not (updates.get("model") or translator.model):
        updates["model"] = translator.azure_deployment or DEFAULT_MODEL
    return translator.model_copy(update=updates)


def _where(path: Path | None, key: str) -> str:
    return f"{path}: {key}: " if path else f"{key}: "


WORKER_SETTINGS_ENV_VAR = "DATA_ASSISTANT_WORKER_SETTINGS"


def settings_for_workers(settings: Settings) -> dict[str, str]:
    """Environment handing already-validated settings to uvicorn worker processes."""
    return {WORKER_SETTINGS_ENV_VAR: settings.model_dump_json(by_alias=True)}


def settings_from_worker_env(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings a `serve --workers N` parent process validated and passed down."""
    env = os.environ if environ is None else environ
    try:
        raw = env[WORKER_SETTINGS_ENV_VAR]
    except KeyError:
        raise ConfigError(f"{WORKER_SETTINGS_ENV_VAR} is not set; start with `serve`") from None
    return Settings.model_validate_json(raw)
