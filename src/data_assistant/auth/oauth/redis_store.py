"""The OAuth state store in Redis, so that several server processes and machines share it.

Each operation is one Redis command or one Lua script, so each is atomic on the server:
`consume` is a Lua script, `add` is SET NX. Records are JSON strings under
`<prefix><kind>:<key>`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import redis

from data_assistant.auth.oauth.store import Record, StoreUnavailable

# KEYS[1] live record, KEYS[2] its used copy; ARGV[1] how long the used copy is kept (ms).
# Returns {1, record} the first time, {0, used record or false} after.
_CONSUME = """
local v = redis.call('GET', KEYS[1])
if v then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], v, 'PX', ARGV[1])
  return {1, v}
end
return {0, redis.call('GET', KEYS[2])}
"""
_GLOB = re.compile(r"([*?\[\]\\])")
# KEYS[1] counter; ARGV[1] lifetime in ms, set on the first increment only.
_INCR = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisStore:
    """The store in Redis; every process pointed at the same prefix sees the same state."""

    def __init__(
        self, url: str | None = None, *, prefix: str, client: redis.Redis | None = None
    ) -> None:
        self.prefix = prefix
        self._owned = client is None
        self.client = client or redis.Redis.from_url(
            url or "", socket_timeout=2, socket_connect_timeout=2
        )
        self._incr = self.client.register_script(_INCR)
        self._consume = self.client.register_script(_CONSUME)

    def _key(self, kind: str, key: str) -> str:
        return f"{self.prefix}{kind}:{key}"

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            raise StoreUnavailable("The OAuth state store (Redis) cannot be reached.") from exc

    @staticmethod
    def _ms(ttl_s: float | None) -> int | None:
        return None if ttl_s is None else max(1, math.ceil(ttl_s * 1000))

    @staticmethod
    def _load(raw: bytes | None) -> Record | None:
        return None if raw is None else json.loads(raw)

    def put(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> None:
        self._call(self.client.set, self._key(kind, key), json.dumps(value), px=self._ms(ttl_s))

    def add(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> bool:
        done = self._call(
            self.client.set, self._key(kind, key), json.dumps(value), px=self._ms(ttl_s), nx=True
        )
        return bool(done)

    def get(self, kind: str, key: str) -> Record | None:
        return self._load(self._call(self.client.get, self._key(kind, key)))

    def consume(self, kind: str, key: str, keep_s: float) -> tuple[Record | None, Record | None]:
        live, used = self._key(kind, key), self._key(kind + ":used", key)
        first, raw = self._call(self._consume, keys=[live, used], args=[self._ms(keep_s)])
        record = self._load(raw)
        return (record, None) if int(first) else (None, record)

    def exists(self, kind: str, keys: list[str]) -> bool:
        if not keys:
            return False
        return bool(self._call(self.client.exists, *(self._key(kind, k) for k in keys)))

    def delete(self, kind: str, key: str) -> None:
        self._call(self.client.delete, self._key(kind, key))

    def values(self, kind: str) -> list[Record]:
        # The prefix is the operator's: escape glob characters so it matches only itself.
        pattern = _GLOB.sub(r"\\\1", self._key(kind, "")) + "*"
        keys = sorted(self._call(lambda: list(self.client.scan_iter(match=pattern, count=500))))
        if not keys:
            return []
        raws = self._call(self.client.mget, keys)
        return [json.loads(raw) for raw in raws if raw is not None]

    def incr(self, kind: str, key: str, ttl_s: float) -> int:
        return int(self._call(self._incr, keys=[self._key(kind, key)], args=[self._ms(ttl_s)]))

    def close(self) -> None:
        if self._owned:
            self.client.close()
