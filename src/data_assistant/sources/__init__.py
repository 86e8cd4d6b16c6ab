"""Sources: the databases and containers that questions are asked of, by name."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from data_assistant.config import Settings
from data_assistant.errors import ConfigError, UnknownSource
from data_assistant.sources.cosmos import CosmosSource
from data_assistant.sources.documents import DocumentResult, DocumentsSource
from data_assistant.sources.sql import QueryResult, SqlSource

Source = SqlSource | DocumentsSource | CosmosSource

# One class per `kind` in the configuration.
SOURCE_KINDS: dict[str, Any] = {
    "sql": SqlSource,
    "documents": DocumentsSource,
    "cosmos": CosmosSource,
}


def make_source(name: str, settings: Any) -> Source:
    """Build the source for one configuration entry."""
    return SOURCE_KINDS[settings.kind](name, settings)


class SourceRegistry:
    """The configured sources, looked up by name."""

    def __init__(self, settings: Settings) -> None:
        self._sources: dict[str, Source] = {}
        for name, source_settings in settings.sources.items():
            try:
                self._sources[name] = make_source(name, source_settings)
            except ValueError as exc:
                where = f"{settings.config_file}: " if settings.config_file else ""
                raise ConfigError(f"{where}{exc}") from None

    def get(self, name: str) -> Source:
        """The source called `name`; an unknown name raises with the close matches."""
        try:
            return self._sources[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._sources), n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise UnknownSource(f"There is no source named '{name}'.{hint}") from None

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def __len__(self) -> int:
        return len(self._sources)

    def close(self) -> None:
        for source in self._sources.values():
            source.close()


__all__ = [
    "CosmosSource",
    "DocumentResult",
    "DocumentsSource",
    "QueryResult",
    "Source",
    "SourceRegistry",
    "SqlSource",
    "make_source",
]
