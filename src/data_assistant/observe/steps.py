"""A timed block per pipeline step: its latency histogram, and a span when tracing is on.

The steps are translate, prepare (guard and policies), execute and count. Errors inside a
step are counted where they say something: a guard rejection by class, a translator error
by type. With tracing off the only cost is two clock reads and a histogram update.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from data_assistant.errors import GuardRejection
from data_assistant.observe import metrics
from data_assistant.observe.tracing import current


@contextmanager
def step(name: str, source: str, **attributes: str) -> Iterator[None]:
    """Time (and trace) the block as pipeline step `name` on `source`."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        tracer = current.tracer
        if tracer is None:
            yield
        else:
            span_attributes = {"data_assistant.source": source}
            span_attributes.update({f"data_assistant.{k}": v for k, v in attributes.items()})
            with tracer.start_as_current_span(name, attributes=span_attributes):
                yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        metrics.step_time(name, source, time.perf_counter() - started)
        if name == "translate":
            metrics.translator_call(attributes.get("translator", "unknown"), error)
        elif isinstance(error, GuardRejection):
            metrics.guard_rejection(source, error)
