"""load_settings: one YAML file plus the environment, validated once at start.

This is the only module that reads the environment. A bad value raises `ConfigError`
naming the key and where it came from (the file, or the environment variable that set it),
which the CLI prints as one line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr, ValidationError

from data_assistant.errors import ConfigError
from data_assistant.settings.base import first_error
from data_assistant.settings.model import Settings

DEFAULT_CONFIG_FILE = "data-assistant.yaml"
CONFIG_ENV_VAR = "DATA_ASSISTANT_CONFIG"
ENV_PREFIX = "DATA_ASSISTANT_"

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def load_settings(
    config: str | Path | None = None,
    *,
    dbs: list[str] | None = None,
    sources: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the YAML file (or `--db` URLs when there is none) and the environment.

    `config` None means `$DATA_ASSISTANT_CONFIG`, else `data-assistant.yaml` if present
    and no source is given on the command line (`dbs`, or `sources` by name).
    """
    from data_assistant.translate.providers import resolve_translator

    env = os.environ if environ is None else environ
    path = _config_path(config, env, explicit_dbs=bool(dbs) or bool(sources))
    raw: dict[str, Any] = {}
    if path is not None:
        raw = _read_yaml(path)
        raw = _interpolate(raw, env, path, ())
    if dbs:
        named = raw.setdefault("sources", {})
        if not isinstance(named, dict):
            raise ConfigError(_where(path, "sources") + "must be a mapping of name to source")
        for url in dbs:
            named.setdefault(source_name_for_url(url), {"kind": "sql", "url": url})
    if sources:
        configured = raw.setdefault("sources", {})
        if not isinstance(configured, dict):
            raise ConfigError(_where(path, "sources") + "must be a mapping of name to source")
        for name, source in sources.items():
            configured.setdefault(name, source)
    merged, from_env = _with_env(env, raw)
    try:
        settings = Settings.model_validate({**merged, "config_file": path})
    except ValidationError as exc:
        raise _config_error(exc, path, from_env) from None
    translator = resolve_translator(settings.translator, env, where=settings.where)
    return settings.model_copy(update={"translator": translator})


def validation_error(exc: ValidationError, settings: Settings) -> ConfigError:
    """A pydantic error in a settings model, as one line naming the key and the file."""
    return _config_error(exc, settings.config_file, {})


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


def _config_error(
    exc: ValidationError, path: Path | None, from_env: Mapping[tuple[str, ...], str]
) -> ConfigError:
    loc, message = first_error(exc)
    key = ".".join(loc) or "(top level)"
    # Blame the environment variable that set the value (or a section above it).
    for depth in range(len(loc), 0, -1):
        variable = from_env.get(tuple(part.lower() for part in loc[:depth]))
        if variable is not None:
            return ConfigError(f"{variable} (environment): {key}: {message}")
    return ConfigError(f"{_where(path, key)}{message}")


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
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
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


def _with_env(
    env: Mapping[str, str], raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """The file's values with `DATA_ASSISTANT_*` variables merged over them, and which
    variable set each key (to name it in an error)."""
    # Merged here rather than by pydantic-settings so that tests can pass their own
    # environment and the file's `${VAR}` and the overrides share one source.
    merged = dict(raw)
    from_env: dict[tuple[str, ...], str] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        if parts[0] not in Settings.model_fields or parts[0] == "config_file":
            # Other tools' DATA_ASSISTANT_* variables (tests, workers) are not settings.
            continue
        target = merged
        for part in parts[:-1]:
            nested = target.get(part)
            if not isinstance(nested, dict):
                nested = target[part] = {}
            target = nested
        target[parts[-1]] = value
        from_env[tuple(parts)] = name
    return merged, from_env


def _where(path: Path | None, key: str) -> str:
    return f"{path}: {key}: " if path else f"{key}: "


WORKER_SETTINGS_ENV_VAR = "DATA_ASSISTANT_WORKER_SETTINGS"


def settings_for_workers(settings: Settings) -> dict[str, str]:
    """Environment handing already-validated settings to uvicorn worker processes."""
    data = {**settings.model_dump(by_alias=True), "config_file": settings.config_file}
    # Secrets travel in the clear to the worker processes, which need them; JSON alone
    # would write them masked.
    return {WORKER_SETTINGS_ENV_VAR: json.dumps(_revealed(data), default=str)}


def settings_from_worker_env(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings a `serve --workers N` parent process validated and passed down."""
    env = os.environ if environ is None else environ
    try:
        raw = env[WORKER_SETTINGS_ENV_VAR]
    except KeyError:
        raise ConfigError(f"{WORKER_SETTINGS_ENV_VAR} is not set; start with `serve`") from None
    return Settings.model_validate_json(raw)


def _revealed(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: _revealed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_revealed(v) for v in value]
    return value
