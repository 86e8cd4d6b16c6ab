"""Rate limits per subject: a token bucket, in this process or shared through Redis.

Each subject has a bucket of `burst` tokens refilled at `per_minute`; a question takes one.
An empty bucket raises RateLimited with the whole seconds until a token is back, which the
API sends as `Retry-After`. With Redis (`rate_limit.redis_url`, else the top-level
`redis_url`) every process shares the buckets: one Lua script reads, refills and takes
atomically, on the Redis server's clock.

While Redis cannot be reached, `on_redis_error` decides: `local` (the default) limits with
this process's own buckets, `open` does not limit, `closed` refuses questions with 503.
Redis is not tried again for `redis_retry_s`, so an outage costs one failed call per
interval rather than a connection timeout per question.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from data_assistant.errors import RateLimited, RateLimitUnavailable
from data_assistant.observe import metrics

log = logging.getLogger("data_assistant.ratelimit")

_MAX_BUCKETS = 100_000

# KEYS[1] bucket; ARGV: capacity, refill per second. Returns {allowed, retry_after_ms}.
_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, wait}
"""


class RateLimiter:
    """Token buckets kept in this process, guarded by one lock."""

    def __init__(
        self, per_minute: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self.rate = per_minute / 60.0
        self.capacity = float(burst)
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, subject: str) -> None:
        """Take one token for `subject`, or raise RateLimited with the seconds to wait."""
        wait = self._take(subject)
        if wait > 0:
            raise limited(wait)

    def _take(self, subject: str) -> float:
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.pop(subject, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[subject] = (tokens, now)
            # Forget the least recently seen subjects (a full bucket is the default anyway).
            while len(self._buckets) > _MAX_BUCKETS:
                self._buckets.popitem(last=False)
        return wait


class RedisRateLimiter(RateLimiter):
    """Buckets shared by every worker through Redis."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        *,
        url: str | None = None,
        client: Any = None,
        prefix: str = "data-assistant:rate:",
        on_redis_error: str = "local",
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(per_minute, burst, clock=clock)
        if on_redis_error not in ("local", "open", "closed"):
            raise ValueError("on_redis_error must be local, open or closed")
        self.on_redis_error = on_redis_error
        self.retry_s = retry_s
        # Until when Redis is skipped after a failure.
        self._down_until = float("-inf")
        if client is None:
            import redis

            client = redis.Redis.from_url(
                url or "redis://127.0.0.1:6379/0", socket_timeout=1.0, socket_connect_timeout=1.0
            )
        self.client = client
        self.prefix = prefix
        self._script = client.register_script(_LUA)
        self._warned = False

    def check(self, subject: str) -> None:
        import redis

        if self._clock() < self._down_until:
            self._without_redis(subject)
            return
        try:
            allowed, wait_ms = self._script(
                keys=[self.prefix + subject], args=[self.capacity, self.rate]
            )
        except redis.RedisError:
            metrics.redis_error("rate")
            self._down_until = self._clock() + self.retry_s
            if not self._warned:
                log.warning(
                    "Redis cannot be reached; rate limits %s until it is back",
                    _FALLBACK_WORDS[self.on_redis_error],
                )
                self._warned = True
            self._without_redis(subject)
            return
        if self._warned:
            log.warning("Redis is back; rate limits are shared again")
        self._warned = False
        if not int(allowed):
            raise limited(int(wait_ms) / 1000.0)

    def _without_redis(self, subject: str) -> None:
        if self.on_redis_error == "local":
            super().check(subject)
        elif self.on_redis_error == "closed":
            raise RateLimitUnavailable(
                "Rate limits cannot be checked right now, so questions are refused; "
                "try again shortly.",
                retry_after=max(1, math.ceil(self.retry_s)),
            )


_FALLBACK_WORDS = {
    "local": "fall back to this process",
    "open": "are off (on_redis_error: open)",
    "closed": "refuse every question (on_redis_error: closed)",
}


def limited(wait_s: float) -> RateLimited:
    """RateLimited with `retry_after` in whole seconds, at least 1."""
    seconds = max(1, math.ceil(wait_s))
    return RateLimited(f"Too many questions; try again in {seconds} s.", retry_after=seconds)


def make_rate_limiter(settings: Any) -> RateLimiter | None:
    """The limiter `settings.rate_limit` asks for (or of a RateLimitSettings), None when off."""
    from data_assistant.settings import RateLimitSettings

    config = (
        settings
        if isinstance(settings, RateLimitSettings)
        else getattr(settings, "rate_limit", None)
    )
    if not isinstance(config, RateLimitSettings) or config.per_minute is None:
        return None
    url, prefix = config.redis_url, config.key_prefix or "data-assistant:rate:"
    if hasattr(settings, "shared_redis"):
        url, prefix = settings.shared_redis("rate", config.redis_url, config.key_prefix)
    if url:
        return RedisRateLimiter(
            config.per_minute,
            config.burst,
            url=url,
            prefix=prefix,
            on_redis_error=config.on_redis_error,
            retry_s=config.redis_retry_s,
        )
    return RateLimiter(config.per_minute, config.burst)


def rate_key(principal: Any, client_address: str | None = None) -> str:
    """Whose bucket a request takes from: the subject, or the address when anonymous."""
    if getattr(principal, "anonymous", False) and client_address:
        return f"ip:{client_address}"
    return f"sub:{getattr(principal, 'subject', 'anonymous')}"
