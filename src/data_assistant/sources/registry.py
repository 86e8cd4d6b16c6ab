"""The registry: one source per configuration entry, looked up by name."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from data_assistant.auth.principal import Principal
from data_assistant.errors import ConfigError, UnknownSource
from data_assistant.schema.disk_cache import SchemaDiskCache
from data_assistant.settings import Settings
from data_assistant.sources.containers import ContainerSource
from data_assistant.sources.cosmos import CosmosSource
from data_assistant.sources.documents import DocumentsSource
from data_assistant.sources.source import Source
from data_assistant.sources.sql import SqlSource

# One class per `kind` in the configuration.
SOURCE_KINDS: dict[str, type[SqlSource] | type[DocumentsSource] | type[CosmosSource]] = {
    "sql": SqlSource,
    "documents": DocumentsSource,
    "cosmos": CosmosSource,
}


def make_source(name: str, settings: Any, *, schema_cache: SchemaDiskCache | None = None) -> Source:
    """Build the source for one configuration entry; SQL sources keep their schema in
    `schema_cache` when given."""
    if settings.kind == "sql":
        return SqlSource(name, settings, schema_cache=schema_cache)
    source: Source = SOURCE_KINDS[settings.kind](name, settings)
    return source


class SourceRegistry:
    """The configured sources, looked up by name."""

    def __init__(self, settings: Settings) -> None:
        self._sources: dict[str, Source] = {}
        schema_cache = (
            SchemaDiskCache(settings.data_dir / "schemas") if settings.schemas.disk_cache else None
        )
        for name, source_settings in settings.sources.items():
            try:
                source = make_source(name, source_settings, schema_cache=schema_cache)
            except ConfigError as exc:
                # Sources name the key; the file is known here.
                where = f"{settings.config_file}: " if settings.config_file else ""
                raise ConfigError(f"{where}{exc.reason}") from None
            except ValueError as exc:
                raise ConfigError(f"{settings.where(f'sources.{name}')}{exc}") from None
            self._sources[name] = source
        for source in self._sources.values():
            if isinstance(source, ContainerSource):
                source.others = self._containers_besides(source)

    def get(self, name: str, *, visible_to: Principal | None = None) -> Source:
        """The source called `name`; an unknown name raises with the close matches among
        the sources `visible_to` may use (all when None)."""
        try:
            return self._sources[name]
        except KeyError:
            names = [n for n in self._sources if visible_to is None or visible_to.may_use(n)]
            close = difflib.get_close_matches(name, names, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise UnknownSource(f"There is no source named '{name}'.{hint}") from None

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def __len__(self) -> int:
        return len(self._sources)

    def close(self) -> None:
        for source in self._sources.values():
            source.close()

    def _containers_besides(self, source: ContainerSource) -> Callable[[], list[str]]:
        def others() -> list[str]:
            containers = [s for s in self._sources.values() if isinstance(s, ContainerSource)]
            return [s.container for s in containers if s is not source]

        return others
