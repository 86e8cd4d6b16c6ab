"""Fixtures for document containers: small folders written per test, and the demo data."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from data_assistant.sample_data import ensure_demo_db
from data_assistant.sample_data.tickets import generate_tickets
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource

TICKETS = [
    {"id": "t1", "status": "open", "priority": "high", "customer": {"country": "France"},
     "tags": ["billing", "vip"], "items": [{"sku": "A", "qty": 2}], "satisfaction": 4},
    {"id": "t2", "status": "closed", "priority": "low", "customer": {"country": "Germany"},
     "tags": ["delivery"], "items": [{"sku": "B", "qty": 1}, {"sku": "A", "qty": 5}]},
    {"id": "t3", "status": "open", "priority": "low", "customer": {"country": "France"},
     "tags": [], "items": [], "satisfaction": None},
    {"id": "t4", "status": "pending", "priority": "high", "customer": {"country": "Spain"},
     "tags": ["vip"], "items": [{"sku": "C", "qty": 3}], "satisfaction": 2},
]  # fmt: skip


def write_jsonl(path: Path, docs: list[Any]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def touch_later(path: Path) -> None:
    """Move a file's mtime forward, so a change shows even within one clock tick."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def make_source(tmp_path: Path) -> Callable[..., DocumentsSource]:
    """A local container source over `path` (the test's folder by default)."""

    def make(path: Path | None = None, **options: Any) -> DocumentsSource:
        settings = DocumentsSourceSettings(path=str(path or tmp_path), **options)
        return DocumentsSource("support", settings)

    return make


@pytest.fixture
def tickets_source(tmp_path: Path, make_source: Callable[..., DocumentsSource]) -> DocumentsSource:
    """A container of the four TICKETS in one JSON Lines file."""
    write_jsonl(tmp_path / "tickets.jsonl", TICKETS)
    return make_source(tmp_path, container="tickets")


@pytest.fixture(scope="session")
def sales_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_demo_db(tmp_path_factory.mktemp("sales"))


@pytest.fixture(scope="session")
def demo_tickets(tmp_path_factory: pytest.TempPathFactory, sales_db: Path) -> Path:
    """The demo tickets container folder (20,000 documents)."""
    return generate_tickets(tmp_path_factory.mktemp("demo") / "tickets", sales_db=sales_db)
