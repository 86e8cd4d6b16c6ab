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


class FairGate:
    """At most `size` holders at once; waiters admitted in arrival order, those within
    their share first."""

    def __init__(self, size: int, *, share: float = 1.0) -> None:
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
                return True
            turn = threading.Event()
            entry = (turn, key)
            self._waiters.append(entry)
        if turn.wait(timeout):
            return True
        with self._lock:
            if turn.is_set():  # handed a place just as the wait ran out
                return True
            self._waiters.remove(entry)
            return False

    def release(self, key: str = "") -> None:
        """Give the place back, to the longest waiter within its share if there is one."""
        with self._lock:
            self._held[key] -= 1
            if self._held[key] <= 0:
                del self._held[key]
            if not self._waiters:
                self._free += 1
                return
            chosen = next(
                (w for w in self._waiters if self._held[w[1]] < self.share), self._waiters[0]
            )
            self._waiters.remove(chosen)
            self._held[chosen[1]] += 1
            chosen[0].set()
