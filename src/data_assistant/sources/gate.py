"""A first-come, first-served gate in front of a connection pool.

SQLAlchemy's pool hands a returned connection to whichever thread asks next, and under
the GIL that is usually the thread that just returned it: with more clients than
connections, some questions wait seconds while others never do. The gate admits at most
`size` holders and passes a freed place straight to the longest waiter.
"""

from __future__ import annotations

import threading
from collections import deque


class FairGate:
    """At most `size` holders at once; waiters admitted in arrival order."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def acquire(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a place; whether one was had."""
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._lock:
            if turn.is_set():  # handed a place just as the wait ran out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        """Give the place back, to the longest waiter if there is one."""
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._free += 1
