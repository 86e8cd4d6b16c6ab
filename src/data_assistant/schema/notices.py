"""Schema-refresh notices between server processes, through Redis publish/subscribe.

A schema refresh (`POST /api/v1/sources/NAME/refresh`, after a migration) reads the schema
again in the process that got the request; every other process sharing the Redis hears of
it on one channel and reads that source's schema again too, within milliseconds. A process
that loses Redis reads every schema again once it is back, since it may have missed
notices. Without Redis there is one process per deployment to refresh, or the refresh
reaches only the process that answers it (documented in docs/scaling.md).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import TYPE_CHECKING, Any

from data_assistant.errors import DataAssistantError
from data_assistant.observe import metrics

if TYPE_CHECKING:
    from data_assistant.pipeline import Assistant

log = logging.getLogger("data_assistant.schema")

CHANNEL = "refreshed"
RECONNECT_S = (0.2, 0.5, 1.0, 2.0, 5.0)


class SchemaNotices:
    """Tell the other processes of a refresh, and refresh here when they tell of theirs."""

    def __init__(self, assistant: Assistant, url: str, prefix: str) -> None:
        import redis

        self.assistant = assistant
        self.channel = prefix + CHANNEL
        # Tells this process's own notices from the others'.
        self.origin = uuid.uuid4().hex
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._stop = threading.Event()
        self._subscribed = threading.Event()
        self._thread = threading.Thread(
            target=self._listen, name="data-assistant-schema-notices", daemon=True
        )

    def start(self) -> SchemaNotices:
        """Listen in a background thread and hang `publish` on the pipeline's refreshes."""
        self._thread.start()
        self.assistant.refresh_hooks.append(self.publish)
        return self

    def wait_subscribed(self, timeout: float) -> bool:
        """Whether the listener is subscribed (for start-up checks and tests)."""
        return self._subscribed.wait(timeout)

    def publish(self, source: str) -> None:
        """Tell the other processes that `source`'s schema was read again here."""
        import redis

        message = json.dumps({"source": source, "origin": self.origin})
        try:
            self.client.publish(self.channel, message)
        except redis.RedisError as exc:
            metrics.redis_error("schema")
            log.warning("schema refresh of %s not announced: Redis: %s", source, type(exc).__name__)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=3)
        if self.publish in self.assistant.refresh_hooks:
            self.assistant.refresh_hooks.remove(self.publish)
        self.client.close()

    # ------------------------------------------------------------------ listening

    def _listen(self) -> None:
        import redis

        failures = 0
        while not self._stop.is_set():
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                if failures:
                    log.warning("Redis is back; reading every schema again (notices missed)")
                    self._refresh_all()
                failures = 0
                self._subscribed.set()
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=0.5)
                    if message is not None:
                        self._heard(message.get("data"))
            except redis.RedisError as exc:
                self._subscribed.clear()
                metrics.redis_error("schema")
                if not failures:
                    log.warning("schema notices paused: Redis: %s", type(exc).__name__)
                failures += 1
                self._stop.wait(RECONNECT_S[min(failures, len(RECONNECT_S)) - 1])
            finally:
                pubsub.close()

    def _heard(self, data: Any) -> None:
        try:
            notice = json.loads(data)
            name, origin = str(notice["source"]), notice.get("origin")
        except (TypeError, ValueError, KeyError):
            log.warning("ignored a schema notice that is not one of ours")
            return
        if origin == self.origin:
            return
        self._refresh(name)

    def _refresh(self, name: str) -> None:
        try:
            source = self.assistant.sources.get(name)
        except DataAssistantError:
            return  # a source another deployment on the same prefix has
        try:
            source.schema(refresh=True)
        except DataAssistantError as exc:
            log.warning("schema of %s not read again after a notice: %s", name, exc.reason)
            return
        metrics.schema_refresh(name, "notice")
        log.info("schema of %s read again (a refresh in another process)", name)

    def _refresh_all(self) -> None:
        for source in self.assistant.sources:
            self._refresh(source.name)


def start_schema_notices(assistant: Assistant) -> SchemaNotices | None:
    """Notices through the configured Redis (top-level `redis_url`), or None without one."""
    url, prefix = assistant.settings.shared_redis("schema")
    if not url:
        return None
    return SchemaNotices(assistant, url, prefix).start()
