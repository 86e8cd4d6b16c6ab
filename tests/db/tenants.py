"""A two-tenant table on each real engine, and an Assistant whose policy filters it.

`notes` holds tenant t1's rows (short notes) and tenant t2's (notes holding a secret):
a condition that raises an error on a t2 value (a failing cast, an overflow) tells whether
the policy's filter ran before it. Tenant t1 also has one row whose note no cast accepts,
for errors on a visible value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from data_assistant.answers import Answer
from data_assistant.auth.principal import ANONYMOUS, Principal
from data_assistant.pipeline import Assistant, Caller
from data_assistant.settings import SourceSettings, TranslatorSettings, load_settings

ENGINES = ("sqlite", "postgres", "mariadb", "duckdb")
SECRET = "t2secret-8"
VISIBLE_ODD = "x-visible"
ROWS = [
    (1, "t1", "5", 10),
    (2, "t1", "7", 20),
    (3, "t2", SECRET, 30),
    (4, "t2", "t2secret-9", 40),
]
T1 = Principal(subject="alice", scopes=None, sources=None, claims={"tenant": "t1", "sub": "alice"})
POLICIES = {"tables": {"notes": {"rows": "tenant = :claims.tenant"}}}
# A common shape of policy: membership looked up in another table. Unfenced, a planner may
# join it after scanning `notes` with the query's own conditions.
MEMBER_POLICIES = {
    "tables": {
        "notes": {"rows": "tenant IN (SELECT tenant FROM members WHERE member = :claims.sub)"}
    }
}

# A condition that fails on a t2 row only, per engine: a cast of its note, or an overflow
# (MariaDB casts quietly); SQLite's json() refuses text that is not JSON.
FAILS_ON_HIDDEN = {
    "sqlite": "json(note) IS NOT NULL",
    "postgres": "CAST(note AS integer) > 0",
    "mariadb": "EXP(LENGTH(note) * 100) > 0",
    "duckdb": "CAST(note AS INTEGER) > 0",
}


def create_notes(url: str, *, odd_visible_row: bool = False) -> None:
    """Create and fill `notes` at `url`."""
    rows = [*ROWS, (5, "t1", VISIBLE_ODD, 50)] if odd_visible_row else ROWS
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TABLE notes (id INTEGER PRIMARY KEY, tenant VARCHAR(20) NOT NULL, "
                    "note VARCHAR(40) NOT NULL, amount INTEGER NOT NULL)"
                )
            )
            conn.execute(
                sa.text("INSERT INTO notes VALUES (:id, :tenant, :note, :amount)"),
                [dict(zip(("id", "tenant", "note", "amount"), row, strict=True)) for row in rows],
            )
            conn.execute(sa.text("CREATE TABLE members (tenant VARCHAR(20), member VARCHAR(20))"))
            conn.execute(sa.text("INSERT INTO members VALUES ('t1', 'alice'), ('t2', 'bob')"))
    finally:
        engine.dispose()


def notes_url(request: pytest.FixtureRequest, engine: str, folder: Path, **kw: Any) -> str:
    """A new database of `engine` holding `notes`, dropped when the requesting scope ends."""
    if engine == "sqlite":
        path = folder / "notes.db"
        sqlite3.connect(path).close()
        url = f"sqlite:///{path}"
    elif engine == "duckdb":
        url = f"duckdb:///{folder / 'notes.duckdb'}"
    else:
        server = request.getfixturevalue(f"{engine}_server")
        url = server.create_database()
        request.addfinalizer(lambda: server.drop_database(url))
    create_notes(url, **kw)
    return url


@contextmanager
def assistant(url: str, **source: Any) -> Iterator[Assistant]:
    """An Assistant serving `url` as source `notes` (no translator)."""
    settings = load_settings(None, dbs=["sqlite:///placeholder.db"], environ={})
    settings = settings.model_copy(
        update={
            "translator": TranslatorSettings(provider="none"),
            "sources": {"notes": SourceSettings(url=url, **source)},
        }
    )
    found = Assistant(settings)
    try:
        yield found
    finally:
        found.close()


def run(helper: Assistant, sql: str, principal: Principal = ANONYMOUS) -> Answer:
    """`sql` run on source `notes` through the pipeline, as `principal`."""
    return helper.run_query("notes", sql, caller=Caller(principal=principal))


def rows(helper: Assistant, sql: str, principal: Principal = ANONYMOUS) -> list[dict]:
    """The rows `run` gives."""
    return run(helper, sql, principal).result.rows
