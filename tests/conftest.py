"""Shared fixtures: a loopback chat-completions server, sample SQLite databases, apps."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from data_assistant.settings import Settings, load_settings
from tests.llm_stub import ChatServer, ChatStub
from tests.servers import REQUIRE_SERVERS_ENV, servers_required

# The address test clients call the app at: a loopback name, as the Host check wants.
LOCAL = "http://127.0.0.1"

SHOP_SQL = """
CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT,
    region_id INTEGER REFERENCES regions(id), created_at TEXT,
    is_deleted INTEGER DEFAULT 0, update_count INTEGER DEFAULT 0
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total NUMERIC,
    status TEXT, ordered_at TEXT
);
CREATE TABLE secrets (id INTEGER PRIMARY KEY, token TEXT);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
INSERT INTO regions VALUES (1, 'EMEA'), (2, 'Americas');
INSERT INTO customers VALUES
  (1, 'Ada', 'Germany', 1, '2024-01-02', 0, 1),
  (2, 'Bob', 'USA', 2, '2024-02-03', 0, 0),
  (3, 'Cy', 'France', 1, '2024-03-04', 1, 3);
INSERT INTO orders VALUES
  (1, 1, 120.50, 'shipped', '2024-04-01'), (2, 1, 80, 'pending', '2024-04-02'),
  (3, 2, 300, 'shipped', '2024-05-01'), (4, 3, 15.25, 'cancelled', '2024-06-01');
INSERT INTO secrets VALUES (1, 'hunter2');
"""


@pytest.fixture
def llm() -> Iterator[ChatStub]:
    """A chat-completions server on loopback; queue replies with `llm.sql(...)`."""
    with ChatServer() as stub:
        yield stub


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    """A small shop database in a fresh SQLite file."""
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SHOP_SQL)
    conn.close()
    return path


def llm_env(stub: ChatStub) -> dict[str, str]:
    """The environment a user sets for an OpenAI-compatible endpoint."""
    return {
        "OPENAI_BASE_URL": stub.url,
        "OPENAI_API_KEY": "test-key",
        "DATA_ASSISTANT_MODEL": "stub",
    }


@pytest.fixture
def shop_settings(shop_db: Path, llm: ChatStub) -> Settings:
    """Settings serving the shop database with the loopback LLM, retries kept fast."""
    settings = load_settings(None, dbs=[f"sqlite:///{shop_db}"], environ=llm_env(llm))
    return settings.merged(
        {"translator": {"max_retries": 0}, "sources": {"shop": {"denied_tables": ["secrets"]}}}
    )


@pytest.fixture
def client(shop_settings: Settings) -> Iterator[TestClient]:
    """An HTTP client for the app over the shop database."""
    from data_assistant.app import create_app

    app = create_app(shop_settings)
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.assistant.close()


# Debian's Chromium driven by Playwright (never a browser Playwright downloads). Without it the
# browser tests skip with the reason, unless DATA_ASSISTANT_REQUIRE_SERVERS=1 (as CI sets).
CHROMIUM = os.environ.get("DATA_ASSISTANT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Chromium (Debian's), shared by every browser test (Playwright's sync API
    runs one instance at a time in a process)."""
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
    if reason is None and not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium is not at {CHROMIUM} (apt-get install chromium chromium-driver)"
    if reason is not None:
        if servers_required():
            pytest.fail(f"{reason} ({REQUIRE_SERVERS_ENV}=1)", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
