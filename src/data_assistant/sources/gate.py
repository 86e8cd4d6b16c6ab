"""A first-come, first-served gate in front of a connection pool, with a fair share each.

SQLAlchemy's pool hands a returned connection to whichever thread asks next, and under
the GIL that is usually the thread that just returned it: with more clients than
connections, some questions wait seconds while others never do. The gate admits at most
`size` holders and passes a freed place to the longest waiter — but to a waiter holding
less than its `share` of the places before one holding more, so that one principal's burst
of slow questions cannot keep everyone else waiting. When nobody else waits, a principal may
use every place (the gate never idles a connection to be fair).
"""

from __future__ import annotations

import math
import threading
from collections import Counter, deque
from collections.abc import Callable


class FairGate:
    """At most `size` holders at once; waiters admitted in arrival order, those within
    their share first."""

    def __init__(
        self,
        size: int,
        *,
        share: float = 1.0,
        listener: Callable[[int, int], None] | None = None,
    ) -> None:
        """`listener` is told (places held, holders waiting) after each change: metrics."""
        self.size = size
        self.listener = listener
        self._free = size
        # Places one key may hold while others wait for one.
        self.share = max(1, math.ceil(size * share))
        self._waiters: deque[tuple[threading.Event, str]] = deque()
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, timeout: float, key: str = "") -> bool:
        """Wait up to `timeout` seconds for a place for `key`; whether one was had."""
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                self._held[key] += 1
                self._tell()
                return True
            turn = threading.Event()
            entry = (turn, key)
            self._waiters.append(entry)
            self._tell()
        if turn.wait(timeout):
            return True
        with self._lock:
            if turn.is_set():  # handed a place just as the wait ran out
                return True
            self._waiters.remove(entry)
            self._tell()
            return False

    def _tell(self) -> None:
        # Called with the lock held, so that the values told are never out of order.
        if self.listener is not None:
            self.listener(self.size - self._free, len(self._waiters))

    def release(self, key: str = "") -> None:
        """Give the place back, to the longest waiter within its share if there is one."""
        with self._lock:
            self._held[key] -= 1
            if self._held[key] <= 0:
                del self._held[key]
            if not self._waiters:
                self._free += 1
                self._tell()
                return
            chosen = next(
                (w for w in self._waiters if self._held[w[1]] < self.share), self._waiters[0]
            )
            self._waiters.remove(chosen)
            self._held[chosen[1]] += 1
            self._tell()
            chosen[0].set()
