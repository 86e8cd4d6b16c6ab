"""The demo tickets: many, deterministic, realistic, and about the demo sales orders."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from data_assistant.sample_data.tickets import (
    PRIORITIES,
    STATUSES,
    TICKETS_FILE,
    ensure_demo_tickets,
    generate_tickets,
)
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource


@pytest.fixture(scope="module")
def tickets(demo_tickets: Path) -> list[dict]:
    lines = (demo_tickets / TICKETS_FILE).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_there_are_twenty_thousand_tickets_with_unique_ids(tickets: list[dict]) -> None:
    assert len(tickets) == 20_000
    assert len({t["id"] for t in tickets}) == 20_000


def test_the_same_seed_gives_the_same_file(
    demo_tickets: Path, sales_db: Path, tmp_path: Path
) -> None:
    # Tickets are drawn one after another, so a shorter run is the start of a longer one.
    demo = (demo_tickets / TICKETS_FILE).read_text(encoding="utf-8").splitlines()
    again = generate_tickets(tmp_path / "again", sales_db=sales_db, count=500)
    assert (again / TICKETS_FILE).read_text(encoding="utf-8").splitlines() == demo[:500]
    other = generate_tickets(tmp_path / "other", sales_db=sales_db, seed=7, count=500)
    assert (other / TICKETS_FILE).read_text(encoding="utf-8").splitlines() != demo[:500]


def test_tickets_point_at_real_orders_customers_and_products(
    tickets: list[dict], sales_db: Path
) -> None:
    con = sqlite3.connect(sales_db)
    orders = dict(con.execute("SELECT id, customer_id FROM orders"))
    customers = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT c.id, c.name, c.country, r.name, c.segment FROM customers c "
            "JOIN regions r ON r.id = c.region_id"
        )
    }
    lines = {
        (order, product)
        for order, product in con.execute("SELECT order_id, product_id FROM order_items")
    }
    con.close()
    for ticket in tickets[:2000]:
        customer = ticket["customer"]
        assert orders[ticket["orderId"]] == customer["id"]
        assert customers[customer["id"]] == (
            customer["name"], customer["country"], customer["region"], customer["segment"]
        )  # fmt: skip
        for item in ticket["items"]:
            assert (ticket["orderId"], item["productId"]) in lines


def test_tickets_have_the_documented_shape(tickets: list[dict]) -> None:
    statuses = Counter(t["status"] for t in tickets)
    assert set(statuses) == set(STATUSES)
    assert {t["priority"] for t in tickets} == set(PRIORITIES)
    for ticket in tickets[:1000]:
        assert "2023-01-01" <= ticket["createdAt"][:10] <= "2025-12-31"
        assert ticket["createdAt"].endswith("Z")
        assert isinstance(ticket["tags"], list) and ticket["tags"]
        assert ticket["comments"][0]["author"] == "customer"
        assert [c["at"] for c in ticket["comments"]] == sorted(c["at"] for c in ticket["comments"])
        assert {"author", "at", "text", "sentiment"} <= ticket["comments"][0].keys()
        assert ticket["slaHours"] in (4, 24, 48, 72)
        resolved = ticket["status"] in ("resolved", "closed")
        assert ("resolvedAt" in ticket) is resolved
        if resolved:
            assert ticket["resolvedAt"] > ticket["createdAt"]
        else:
            assert "satisfaction" not in ticket


def test_satisfaction_is_sometimes_missing_never_null(tickets: list[dict]) -> None:
    answered = [t["satisfaction"] for t in tickets if "satisfaction" in t]
    assert 0.3 * len(tickets) < len(answered) < 0.9 * len(tickets)
    assert set(answered) == {1, 2, 3, 4, 5}


def test_the_demo_container_loads_without_problems(demo_tickets: Path) -> None:
    source = DocumentsSource("tickets", DocumentsSourceSettings(path=str(demo_tickets)))
    assert len(source.documents()) == 20_000
    assert source.problems == []
    assert source.container == "tickets"


def test_the_demo_tickets_are_made_once(
    tmp_path: Path, sales_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data_assistant.sample_data import tickets as module

    calls: list[Path] = []
    real = module.generate_tickets
    monkeypatch.setattr(
        module,
        "generate_tickets",
        lambda path, **kw: calls.append(path) or real(path, **kw, count=50),
    )
    folder = ensure_demo_tickets(tmp_path, sales_db)
    assert folder == tmp_path / "tickets"
    assert ensure_demo_tickets(tmp_path, sales_db) == folder
    assert calls == [folder]
