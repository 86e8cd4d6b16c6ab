"""The pool: `pool_size` connections, taken in turn, and a clear 503 when all stay busy."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from data_assistant.errors import DataAssistantError, QueryTimeout, SourceUnavailable
from data_assistant.settings import SourceSettings
from data_assistant.sources.gate import FairGate
from data_assistant.sources.sql import SqlSource

HEAVY = (
    "SELECT COUNT(*) FROM order_items a CROSS JOIN order_items b CROSS JOIN products p "
    "WHERE (a.id + b.id * 3 + p.id) % 7 = 3"
)


def test_the_gate_admits_waiters_in_the_order_they_came():
    gate = FairGate(1)
    assert gate.acquire(0)
    order: list[int] = []

    def wait(i: int) -> None:
        assert gate.acquire(5)
        order.append(i)
        gate.release()

    threads = []
    for i in range(5):
        t = threading.Thread(target=wait, args=(i,))
        t.start()
        threads.append(t)
        time.sleep(0.02)  # let each one queue before the next
    gate.release()
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]


def test_the_gate_gives_up_after_the_timeout_and_forgets_the_waiter():
    gate = FairGate(1)
    assert gate.acquire(0)
    started = time.monotonic()
    assert not gate.acquire(0.1)
    assert time.monotonic() - started >= 0.1
    gate.release()
    assert gate.acquire(0)  # the place went back, not to the waiter that left


def test_the_pool_size_bounds_the_connections_to_the_server(demo_postgres_url: str):
    source = SqlSource("demo", SourceSettings(url=demo_postgres_url, pool_size=3))
    try:
        threads = [
            threading.Thread(
                target=source.execute, args=("SELECT pg_sleep(0.2)",), kwargs={"max_rows": 1}
            )
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        pool = source.engine.pool
        assert pool.size() == 3 and pool.checkedin() == 3 and pool.overflow() <= 0
    finally:
        source.close()


def test_questions_queued_behind_a_full_pool_for_too_long_are_told_it_is_busy(
    demo_sqlite_path: Path,
):
    source = SqlSource(
        "demo", SourceSettings(url=f"sqlite:///{demo_sqlite_path}", pool_size=1, timeout_s=0.5)
    )
    errors: list[DataAssistantError] = []

    def ask() -> None:
        try:
            source.execute(HEAVY, max_rows=1)
        except DataAssistantError as exc:
            errors.append(exc)

    try:
        threads = [threading.Thread(target=ask) for _ in range(3)]
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join()
    finally:
        source.close()
    # The first runs out of time; the last waits longer than the limit behind the second.
    assert len(errors) == 3 and any(isinstance(e, QueryTimeout) for e in errors)
    busy = [e for e in errors if isinstance(e, SourceUnavailable)]
    assert busy, [type(e).__name__ for e in errors]
    assert busy[0].reason == (
        "Source 'demo' is busy: all 1 of its connections are in use; try again shortly."
    )


@pytest.mark.parametrize("size", [1, 4])
def test_pool_size_is_a_setting_with_a_default_of_five(size: int):
    assert SourceSettings(url="sqlite:///x.db").pool_size == 5
    assert SourceSettings(url="sqlite:///x.db", pool_size=size).pool_size == size
