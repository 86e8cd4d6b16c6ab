"""SQLite's per-connection limits keep one value to a few megabytes.

`zeroblob(1e9)`, `randomblob(1e9)`, `printf('%.*c', 1e9, 'x')` and string growth by
replace() or group_concat would each allocate a gigabyte; the source's connections carry
`setlimit` values (engines/sqlite.py) under which they fail at once instead.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from data_assistant.errors import QueryFailed
from tests.db.tenants import assistant, rows

HUGE = [
    "SELECT length(zeroblob(1000000000)) AS n",
    "SELECT length(randomblob(1000000000)) AS n",
    "SELECT length(replace(hex(zeroblob(4000000)), '0', 'aaaa')) AS n",
    "SELECT length(group_concat(hex(zeroblob(100000)), '')) AS n FROM "
    "(WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000) "
    "SELECT i FROM r)",
]


@pytest.mark.parametrize("sql", HUGE)
def test_a_gigabyte_value_fails_at_once(shop_db: Path, sql: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with assistant(f"sqlite:///{shop_db}") as helper:
        started = time.monotonic()
        with pytest.raises(QueryFailed, match="too big"):
            rows(helper, sql)
        assert time.monotonic() - started < 2
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 200_000, f"the process grew by {grown_kb} kB"


def test_printf_with_a_huge_width_gives_no_value(shop_db: Path) -> None:
    with assistant(f"sqlite:///{shop_db}") as helper:
        found = rows(helper, "SELECT printf('%.*c', 1000000000, 'x') AS s")
    assert found == [{"s": None}]


def test_values_under_the_limit_still_work(shop_db: Path) -> None:
    with assistant(f"sqlite:///{shop_db}") as helper:
        found = rows(helper, "SELECT length(zeroblob(5000000)) AS n")
    assert found == [{"n": 5_000_000}]
