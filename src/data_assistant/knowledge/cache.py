"""The translation cache: a question asked again, of the same schema under the same policies,
reuses its query. Only the query is kept; it is prepared and run again for every asker.

Entries live in this process or, with `cache.redis_url`, in Redis for every process. Each
source has a generation number, bumped by a schema refresh or a golden-query change, that is
part of every key: bumping it drops the source's entries at once, in every process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any, Protocol

log = logging.getLogger("data_assistant.cache")


@dataclass(frozen=True)
class CachedTranslation:
    """A translation kept for reuse, with when it was first made."""

    query: str
    explanation: str | None
    verified: bool
    translated_at: float


def cache_key(source: str, generation: int, *parts: object) -> str:
    """The key of one translation: the source, its generation and a digest of the rest."""
    digest = hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()[:32]
    return f"{source}:{generation}:{digest}"


class TranslationCache(Protocol):
    """Where translations are kept; a miss is None, and a failing backend is only a miss."""

    def get(self, key: str) -> CachedTranslation | None: ...

    def put(self, key: str, value: CachedTranslation) -> None: ...

    def generation(self, source: str) -> int: ...

    def invalidate(self, source: str) -> None:
        """Forget every translation of `source`."""
        ...

    def close(self) -> None: ...


class MemoryCache:
    """Translations in this process: least recently used dropped first, entries expire."""

    def __init__(self, *, max_entries: int = 10_000, ttl_s: float = 7 * 24 * 3600) -> None:
        self.max_entries = max_entries
        self.ttl_s = ttl_s
        self._entries: OrderedDict[str, tuple[float, CachedTranslation]] = OrderedDict()
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedTranslation | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return hit[1]

    def put(self, key: str, value: CachedTranslation) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl_s, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def generation(self, source: str) -> int:
        with self._lock:
            return self._generations.get(source, 0)

    def invalidate(self, source: str) -> None:
        with self._lock:
            self._generations[source] = self._generations.get(source, 0) + 1
            prefix = f"{source}:"
            for key in [k for k in self._entries if k.startswith(prefix)]:
                del self._entries[key]

    def close(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisCache:
    """Translations in Redis, shared by every process and server that use the same prefix."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "data-assistant:translations:",
        ttl_s: int = 7 * 24 * 3600,
        client: Any = None,
    ) -> None:
        if client is None:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.client = client
        self.prefix = prefix
        self.ttl_s = ttl_s
        self._warned = False

    def _safely(self, method: str, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            value = getattr(self.client, method)(*args, **kwargs)
        except redis.RedisError as exc:
            if not self._warned:
                log.warning("Redis cannot be reached; translations are not cached: %s", exc)
                self._warned = True
            return None
        self._warned = False
        return value

    def get(self, key: str) -> CachedTranslation | None:
        raw = self._safely("get", self.prefix + key)
        if not raw:
            return None
        try:
            return CachedTranslation(**json.loads(raw))
        except (TypeError, ValueError):
            return None

    def put(self, key: str, value: CachedTranslation) -> None:
        self._safely("set", self.prefix + key, json.dumps(asdict(value)), ex=self.ttl_s)

    def generation(self, source: str) -> int:
        value = self._safely("get", f"{self.prefix}generation:{source}")
        return int(value) if value else 0

    def invalidate(self, source: str) -> None:
        self._safely("incr", f"{self.prefix}generation:{source}")

    def close(self) -> None:
        self.client.close()


def make_cache(settings: Any) -> TranslationCache | None:
    """The cache `settings.cache` asks for, None when it is off."""
    config = settings.cache
    if not config.enabled:
        return None
    url, prefix = settings.shared_redis("translations", config.redis_url, config.key_prefix)
    if url:
        return RedisCache(url, prefix=prefix, ttl_s=config.ttl_s)
    return MemoryCache(max_entries=config.max_entries, ttl_s=config.ttl_s)
