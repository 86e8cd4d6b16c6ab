"""Progress of a long schema read, reported to whoever is watching (the CLI's progress bar)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (source, tables read, tables to read) -> None
Reporter = Callable[[str, int, int], None]
_REPORTER: ContextVar[Reporter | None] = ContextVar("schema_progress", default=None)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send the progress of schema reads in this block (this thread) to `reporter`."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def reporter_for(source: str) -> Callable[[int, int], None] | None:
    """The progress callback of one source's read, when someone is watching."""
    reporter = _REPORTER.get()
    if reporter is None:
        return None
    return lambda done, total: reporter(source, done, total)
