"""The time budget of one evaluation: a deadline, looked at as the work is done.

    with Budget(seconds).active():
        compile_query(text).run(documents)     # raises CosmosTimeout past the deadline

The evaluator spends one unit per row it makes (FROM, JOIN, subqueries); walks over
arrays and objects (equality, DISTINCT and GROUP BY keys, ordering, JSON text, spatial
functions) spend one unit per element. The clock is read every CHECK_EVERY units, so
neither a JOIN that multiplies rows nor one huge value can run on far past the deadline.
Without an active budget nothing is counted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import CosmosTimeout
from .limits import CHECK_EVERY

_active: ContextVar[Budget | None] = ContextVar("cosmosql_budget", default=None)


class Budget:
    """A deadline `seconds` from now, checked every CHECK_EVERY units spent."""

    __slots__ = ("_left", "deadline")

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self._left = CHECK_EVERY

    def spend(self, units: int = 1) -> None:
        """Count work; raise CosmosTimeout once the deadline has passed."""
        self._left -= units
        if self._left <= 0:
            self._left = CHECK_EVERY
            if time.monotonic() > self.deadline:
                raise CosmosTimeout

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once past)."""
        return self.deadline - time.monotonic()

    @contextmanager
    def active(self) -> Iterator[Budget]:
        """Make this the budget that evaluation in this thread (or task) spends."""
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)


def current() -> Budget | None:
    """The active budget, if any."""
    return _active.get()


def spend(units: int = 1) -> None:
    """Spend from the active budget; nothing when there is none."""
    budget = _active.get()
    if budget is not None:
        budget.spend(units)
