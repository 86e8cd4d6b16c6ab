"""DuckDB: a `duckdb:///file.duckdb` database, or CSV, Parquet and JSON files as views.

Files (paths, globs or folders) become one view each, named after the file without its
extensions, in a small database written to a temporary folder; the source opens that
database, or the user's own, read-only. File access is then limited to the listed files
(none for a database file), for good: a query can neither read other files nor write any.
DuckDB has no statement timeout: a watchdog timer interrupts the connection when time is up.
"""

from __future__ import annotations

import glob
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlglot import exp

from data_assistant.sources.base import Backend

# File suffix -> DuckDB table function that reads it.
READERS = {
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".parquet": "read_parquet",
    ".pq": "read_parquet",
    ".json": "read_json",
    ".jsonl": "read_json",
    ".ndjson": "read_json",
}
COMPRESSIONS = (".gz", ".zst")
# Extensions are never fetched or loaded behind the user's back.
BASE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class DuckDBBackend(Backend):
    backend_name = "duckdb"
    sqlglot_dialect = "duckdb"
    install_hint = "duckdb duckdb-engine"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        files = self.options.get("files")
        # View name -> file, resolved now so that a wrong path fails at start-up.
        self.views: dict[str, Path] = file_views(files) if files else {}
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def url(self, url: URL) -> URL:
        if self.views and url.database not in (None, "", ":memory:"):
            raise ValueError("files need a duckdb:///:memory: URL or none")
        return url

    def create_engine(self, url: URL) -> Engine:
        allowed: list[str] = []
        if self.views:
            url = url.set(database=str(self._write_views()))
            allowed = [str(path) for path in self.views.values()]
        if url.database in (None, "", ":memory:"):
            # An empty in-memory database: nothing to protect, one per thread.
            engine = create_engine(url, connect_args={"config": dict(BASE_CONFIG)})
        else:
            engine = create_engine(
                url,
                connect_args={"read_only": True, "config": dict(BASE_CONFIG)},
                **super().engine_kwargs(url),
            )
        event.listen(engine, "connect", lambda conn, record: self._lock_down(conn, allowed))
        return engine

    def _write_views(self) -> Path:
        import duckdb

        with self._lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="data-assistant-duckdb-"))
            path = self._folder / "files.duckdb"
            if path.exists():
                return path
            building = path.with_suffix(".building")
            con = duckdb.connect(str(building), config=dict(BASE_CONFIG))
            try:
                for name, file in self.views.items():
                    reader = READERS[_data_suffix(file)]
                    source = exp.func(reader, exp.Literal.string(str(file))).sql("duckdb")
                    view = exp.to_identifier(name, quoted=True).sql("duckdb")
                    con.execute(f"CREATE VIEW {view} AS SELECT * FROM {source}")
            finally:
                con.close()
            building.rename(path)
            return path

    def _lock_down(self, dbapi_conn: Any, allowed: list[str]) -> None:
        """Limit file access to `allowed`, once per database; no progress bars.

        File access belongs to the database instance, which DuckDB shares between the
        connections of a process, and once switched off it cannot be switched on again,
        nor the allowed paths changed.
        """
        cursor = dbapi_conn.cursor()
        try:
            # A server has no terminal to draw them on; a per-connection setting.
            cursor.execute("SET enable_progress_bar = false")
            with self._lock:
                cursor.execute("SELECT current_setting('enable_external_access')")
                if not cursor.fetchone()[0]:
                    return
                if allowed:
                    paths = exp.Array(expressions=[exp.Literal.string(p) for p in allowed])
                    cursor.execute(f"SET allowed_paths = {paths.sql('duckdb')}")
                cursor.execute("SET enable_external_access = false")
        finally:
            cursor.close()

    @contextmanager
    def read_only(self, conn: Connection, timeout_s: float) -> Iterator[None]:
        raw = conn.connection.driver_connection
        done = False
        lock = threading.Lock()

        def interrupt() -> None:
            with lock:
                if not done:
                    raw.interrupt()

        def stop() -> None:
            nonlocal done
            with lock:
                done = True
            watchdog.cancel()

        watchdog = threading.Timer(timeout_s, interrupt)
        watchdog.daemon = True
        watchdog.start()
        try:
            with conn.begin() as tx:
                try:
                    yield
                finally:
                    # Stopped before the rollback, which it must not interrupt.
                    stop()
                    tx.rollback()
        finally:
            stop()

    def is_timeout(self, exc: BaseException) -> bool:
        return type(exc).__name__ == "InterruptException"

    def close(self) -> None:
        with self._lock:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None


def file_views(entries: list[str]) -> dict[str, Path]:
    """View name -> file for paths, globs and folders; raises ValueError naming the problem."""
    views: dict[str, Path] = {}
    taken: dict[str, Path] = {}
    for entry in entries:
        for path in _expand(entry):
            name = view_name(path)
            other = taken.get(name.lower())
            if other is not None and other != path:
                raise ValueError(
                    f"files: {other.name} and {path.name} would both be the view {name!r}"
                )
            taken[name.lower()] = path
            views[name] = path
    return views


def view_name(path: Path) -> str:
    """The view for a file: its name without extensions, other characters as `_`.

    Dots and slashes are left out because the guard reads them as file paths.
    """
    stem = path.name[: len(path.name) - len(_suffixes(path))]
    return re.sub(r"[^\w ]+", "_", stem).strip() or "file"


def _expand(entry: str) -> list[Path]:
    path = Path(entry).expanduser()
    if any(c in entry for c in "*?["):
        matches = sorted(Path(m).resolve() for m in glob.glob(str(path), recursive=True))
        found = [m for m in matches if m.is_file() and _readable(m)]
        if not found:
            raise ValueError(f"files: {entry!r} matches no CSV, Parquet or JSON file")
        return found
    if path.is_dir():
        found = sorted(p.resolve() for p in path.iterdir() if p.is_file() and _readable(p))
        if not found:
            raise ValueError(f"files: the folder {entry!r} holds no CSV, Parquet or JSON file")
        return found
    if not path.is_file():
        raise ValueError(f"files: {entry!r} does not exist")
    if not _readable(path):
        raise ValueError(
            f"files: {entry!r} is not a {', '.join(sorted(READERS))} file (optionally .gz, .zst)"
        )
    return [path.resolve()]


def _suffixes(path: Path) -> str:
    name = path.name.lower()
    compression = next((c for c in COMPRESSIONS if name.endswith(c)), "")
    data = next((s for s in READERS if name[: len(name) - len(compression)].endswith(s)), "")
    return data + compression if data else ""


def _data_suffix(path: Path) -> str:
    suffix = _suffixes(path)
    return next(c for c in READERS if suffix.startswith(c))


def _readable(path: Path) -> bool:
    return bool(_suffixes(path))
