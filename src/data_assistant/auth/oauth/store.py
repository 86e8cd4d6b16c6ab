"""The OAuth state store: JSON records by kind and key, with expiry, in SQLite.

Every operation the protocol needs to be safe across processes is one atomic call here:
`consume` (a code or refresh token is used once, and a second use is seen, so its family
can be revoked), `add` (only one process creates a signing key). Redis implements the same `Store`
(`redis_store.py`). Keys that come from secrets (codes, refresh tokens) are hashed by the
caller before they reach a store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from data_assistant.errors import DataAssistantError

Record = dict[str, Any]


class StoreUnavailable(DataAssistantError):
    """The OAuth state store cannot be reached, so no code or token can be checked."""

    status = 503
    title = "Authorization state unavailable"
    type_slug = "oauth-store-unavailable"


class Store(Protocol):
    """What the authorization server keeps: records by (kind, key), some with a lifetime."""

    def put(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> None:
        """Write `value`, replacing any record."""

    def add(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> bool:
        """Write `value` only if no live record exists; whether it was written."""

    def get(self, kind: str, key: str) -> Record | None:
        """The live record, or None."""

    def consume(self, kind: str, key: str, keep_s: float) -> tuple[Record | None, Record | None]:
        """Use a single-use record, atomically: `(record, None)` the first time (it is kept
        `keep_s` as used), `(None, record)` when it was used before, `(None, None)` if unknown."""

    def exists(self, kind: str, keys: list[str]) -> bool:
        """Whether any of `keys` has a live record."""

    def delete(self, kind: str, key: str) -> None:
        """Remove the record if there is one."""

    def values(self, kind: str) -> list[Record]:
        """Every live record of a kind (clients, keys: small sets)."""

    def incr(self, kind: str, key: str, ttl_s: float) -> int:
        """Add one to a counter that lives `ttl_s` from its first increment; the new count."""

    def close(self) -> None:
        """Release connections."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS oauth_state (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at REAL,
    PRIMARY KEY (kind, key)
)
"""
_LIVE = "(expires_at IS NULL OR expires_at > ?)"
_PURGE_EVERY_S = 60.0
_USED = ":used"  # the kind under which a consumed record is kept


class SqliteStore:
    """The store in one SQLite file, shared by the processes of one machine (WAL mode)."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._purged_at = 0.0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The file holds private signing keys: readable by this user only.
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            with self._connection() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"The OAuth state file {self.path} cannot be opened.") from exc

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # One connection per thread; autocommit, with explicit BEGIN IMMEDIATE for the
            # read-then-write operations so that two processes cannot interleave them.
            conn = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _run(self, work: Callable[[sqlite3.Connection, float], Any], *, write: bool) -> Any:
        now = self._clock()
        conn = self._connection()
        try:
            if not write:
                return work(conn, now)
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn, now)
                if now - self._purged_at > _PURGE_EVERY_S:
                    conn.execute("DELETE FROM oauth_state WHERE expires_at <= ?", (now,))
                    self._purged_at = now
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result
        except sqlite3.Error as exc:
            raise StoreUnavailable("The OAuth state store failed; try again.") from exc

    @staticmethod
    def _expiry(now: float, ttl_s: float | None) -> float | None:
        return None if ttl_s is None else now + ttl_s

    @staticmethod
    def _read(conn: sqlite3.Connection, kind: str, key: str, now: float) -> Record | None:
        row = conn.execute(
            f"SELECT value FROM oauth_state WHERE kind = ? AND key = ? AND {_LIVE}",
            (kind, key, now),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def _write(
        self, conn: sqlite3.Connection, kind: str, key: str, value: Record, exp: float | None
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO oauth_state (kind, key, value, expires_at) VALUES (?, ?, ?, ?)",
            (kind, key, json.dumps(value), exp),
        )

    def put(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> None:
        self._run(
            lambda c, now: self._write(c, kind, key, value, self._expiry(now, ttl_s)), write=True
        )

    def add(self, kind: str, key: str, value: Record, ttl_s: float | None = None) -> bool:
        def work(conn: sqlite3.Connection, now: float) -> bool:
            if self._read(conn, kind, key, now) is not None:
                return False
            self._write(conn, kind, key, value, self._expiry(now, ttl_s))
            return True

        return self._run(work, write=True)

    def get(self, kind: str, key: str) -> Record | None:
        return self._run(lambda c, now: self._read(c, kind, key, now), write=False)

    def consume(self, kind: str, key: str, keep_s: float) -> tuple[Record | None, Record | None]:
        used_kind = kind + _USED

        def work(conn: sqlite3.Connection, now: float) -> tuple[Record | None, Record | None]:
            row = conn.execute(
                f"DELETE FROM oauth_state WHERE kind = ? AND key = ? AND {_LIVE} RETURNING value",
                (kind, key, now),
            ).fetchone()
            if row is None:
                return None, self._read(conn, used_kind, key, now)
            record = json.loads(row[0])
            self._write(conn, used_kind, key, record, now + keep_s)
            return record, None

        return self._run(work, write=True)

    def exists(self, kind: str, keys: list[str]) -> bool:
        if not keys:
            return False
        marks = ", ".join("?" * len(keys))
        row = self._run(
            lambda c, now: c.execute(
                f"SELECT 1 FROM oauth_state WHERE kind = ? AND key IN ({marks}) AND {_LIVE} "
                "LIMIT 1",
                (kind, *keys, now),
            ).fetchone(),
            write=False,
        )
        return row is not None

    def delete(self, kind: str, key: str) -> None:
        self._run(
            lambda c, now: c.execute(
                "DELETE FROM oauth_state WHERE kind = ? AND key = ?", (kind, key)
            ),
            write=True,
        )

    def values(self, kind: str) -> list[Record]:
        def work(conn: sqlite3.Connection, now: float) -> list[Record]:
            rows = conn.execute(
                f"SELECT value FROM oauth_state WHERE kind = ? AND {_LIVE} ORDER BY key",
                (kind, now),
            ).fetchall()
            return [json.loads(row[0]) for row in rows]

        return self._run(work, write=False)

    def incr(self, kind: str, key: str, ttl_s: float) -> int:
        def work(conn: sqlite3.Connection, now: float) -> int:
            row = conn.execute(
                f"SELECT value, expires_at FROM oauth_state WHERE kind = ? AND key = ? AND {_LIVE}",
                (kind, key, now),
            ).fetchone()
            count = json.loads(row[0])["n"] + 1 if row else 1
            exp = row[1] if row else now + ttl_s
            self._write(conn, kind, key, {"n": count}, exp)
            return count

        return self._run(work, write=True)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()
