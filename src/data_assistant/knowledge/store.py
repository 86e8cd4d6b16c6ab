"""Where golden queries added through the API or CLI are kept, shared by every process:
a SQLite file under data_dir, or Redis when configured. One interface, `GoldenStore`."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from data_assistant.errors import SourceUnavailable
from data_assistant.knowledge.model import GoldenQuery


class GoldenStore(Protocol):
    """Golden queries per source; `version` changes whenever a source's queries change."""

    def list(self, source: str) -> list[GoldenQuery]: ...

    def add(self, golden: GoldenQuery) -> GoldenQuery:
        """Store (or replace, for the same question) a golden query."""
        ...

    def remove(self, source: str, golden_id: str) -> bool:
        """Remove a golden query; whether there was one."""
        ...

    def version(self, source: str) -> int: ...

    def close(self) -> None: ...


def _row(golden: GoldenQuery) -> dict[str, Any]:
    return {
        "question": golden.question,
        "query": golden.query,
        "added_by": golden.added_by,
        "added_at": golden.added_at,
    }


def _golden(source: str, data: dict[str, Any]) -> GoldenQuery:
    return GoldenQuery(
        source=source,
        question=data["question"],
        query=data["query"],
        origin="store",
        added_by=data.get("added_by"),
        added_at=data.get("added_at"),
    )


class SqliteGoldenStore:
    """Golden queries in a SQLite file; processes on one machine share it (WAL mode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        """The connection; the file is made by the first golden query added, not before."""
        if self._conn is None:
            if not create and not self.path.exists():
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
            with conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS golden (source TEXT NOT NULL, id TEXT NOT NULL, "
                    "body TEXT NOT NULL, PRIMARY KEY (source, id))"
                )
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS golden_version (source TEXT PRIMARY KEY, "
                    "version INTEGER NOT NULL)"
                )
            self._conn = conn
        return self._conn

    def list(self, source: str) -> list[GoldenQuery]:
        with self._lock:
            conn = self._connect(create=False)
            if conn is None:
                return []
            rows = conn.execute(
                "SELECT body FROM golden WHERE source = ? ORDER BY rowid", (source,)
            ).fetchall()
        return [_golden(source, json.loads(body)) for (body,) in rows]

    def add(self, golden: GoldenQuery) -> GoldenQuery:
        stored = GoldenQuery(
            golden.source,
            golden.question,
            golden.query,
            origin="store",
            added_by=golden.added_by,
            added_at=golden.added_at or time.time(),
        )
        with self._lock:
            conn = self._connect(create=True)
            assert conn is not None
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO golden (source, id, body) VALUES (?, ?, ?)",
                    (stored.source, stored.id, json.dumps(_row(stored))),
                )
                _bump(conn, stored.source)
        return stored

    def remove(self, source: str, golden_id: str) -> bool:
        with self._lock:
            conn = self._connect(create=False)
            if conn is None:
                return False
            with conn:
                cursor = conn.execute(
                    "DELETE FROM golden WHERE source = ? AND id = ?", (source, golden_id)
                )
                if cursor.rowcount:
                    _bump(conn, source)
        return bool(cursor.rowcount)

    def version(self, source: str) -> int:
        with self._lock:
            conn = self._connect(create=False)
            if conn is None:
                return 0
            row = conn.execute(
                "SELECT version FROM golden_version WHERE source = ?", (source,)
            ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _bump(conn: sqlite3.Connection, source: str) -> None:
    conn.execute(
        "INSERT INTO golden_version (source, version) VALUES (?, 1) "
        "ON CONFLICT(source) DO UPDATE SET version = version + 1",
        (source,),
    )


class RedisGoldenStore:
    """Golden queries in Redis: one hash per source, and a version counter beside it."""

    def __init__(self, url: str, *, prefix: str = "data-assistant:knowledge:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.prefix = prefix

    def _call(self, method: str, *args: Any) -> Any:
        import redis

        try:
            return getattr(self.client, method)(*args)
        except redis.RedisError as exc:
            raise SourceUnavailable("The golden-query store (Redis) cannot be reached.") from exc

    def list(self, source: str) -> list[GoldenQuery]:
        found = self._call("hgetall", f"{self.prefix}golden:{source}")
        items = [json.loads(v) for v in found.values()]
        items.sort(key=lambda d: (d.get("added_at") or 0, d["question"]))
        return [_golden(source, item) for item in items]

    def add(self, golden: GoldenQuery) -> GoldenQuery:
        stored = GoldenQuery(
            golden.source,
            golden.question,
            golden.query,
            origin="store",
            added_by=golden.added_by,
            added_at=golden.added_at or time.time(),
        )
        self._call(
            "hset", f"{self.prefix}golden:{stored.source}", stored.id, json.dumps(_row(stored))
        )
        self._call("incr", f"{self.prefix}version:{stored.source}")
        return stored

    def remove(self, source: str, golden_id: str) -> bool:
        removed = bool(self._call("hdel", f"{self.prefix}golden:{source}", golden_id))
        if removed:
            self._call("incr", f"{self.prefix}version:{source}")
        return removed

    def version(self, source: str) -> int:
        value = self._call("get", f"{self.prefix}version:{source}")
        return int(value) if value else 0

    def close(self) -> None:
        self.client.close()
