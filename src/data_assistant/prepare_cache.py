"""Prepared queries kept for reuse: the guard's work is done once per query, principal and
schema.

Preparing a query (parse, guard, policies, row cap, render) is a pure function of the
query text, the row limit, the principal's identity and claims, and the source's schema
snapshot, so an identical request gets the identical prepared query: nothing is checked
less. An entry is used only while the source still has the very snapshot it was prepared
against (a refresh makes a new one), and only for a principal equal in every field the
policies read. Rejections are not kept: a refused query is checked again each time.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from data_assistant.auth.principal import Principal
from data_assistant.schema.model import SchemaSnapshot
from data_assistant.sources import Source
from data_assistant.sources.source import Prepared

DEFAULT_SIZE = 2048


def principal_key(principal: Principal) -> tuple[Any, ...]:
    """Every field of a principal that preparing a query may read."""
    return (
        principal.subject,
        principal.method,
        None if principal.scopes is None else tuple(sorted(principal.scopes)),
        None if principal.sources is None else tuple(sorted(principal.sources)),
        json.dumps(dict(principal.claims), sort_keys=True, default=repr),
    )


class PrepareCache:
    """A bounded, thread-safe cache of prepared queries in front of `Source.prepare`."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], tuple[SchemaSnapshot, Prepared]] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, source: Source, query: str, limit: int, principal: Principal) -> Prepared:
        """`source.prepare(query, limit, principal)`, or the same result prepared before."""
        if self.size <= 0:
            return source.prepare(query, limit, principal)
        snapshot = source.schema()
        key = (source.name, query, limit, principal_key(principal))
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is snapshot:
                self._entries.move_to_end(key)
                return entry[1]
        prepared = source.prepare(query, limit, principal)
        with self._lock:
            self._entries[key] = (snapshot, prepared)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return prepared
