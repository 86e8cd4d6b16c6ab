"""Demo documents: support tickets about the demo sales orders, as one JSON Lines container.

Each ticket is about one order of the sales database: its customer (`customer {id, name,
country, region, segment}`) and some of its lines (`items [{productId, name, category,
quantity}]`). Tickets open 2023-01-01 .. 2025-12-31 and are seen "as of" the sales data's
last day, so recent ones are still open or pending. `resolvedAt` exists only once resolved,
`assignee` is missing on some new tickets, and `satisfaction` (1-5) only where the customer
answered the survey: properties that are missing (undefined), not null, as in real
document stores. The same sales database and seed always give the same documents.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import tempfile
from bisect import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from data_assistant.sample_data.sales import DEMO_SEED, LAST_DAY

TICKETS_FILE = "tickets.jsonl"
DEMO_TICKETS = 20_000

STATUSES = ("open", "pending", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
CHANNELS = ("email", "chat", "phone", "web")
TOPICS = ("delivery", "defect", "setup", "billing", "return", "account")
SENTIMENTS = ("positive", "neutral", "negative")


class _Weighted:
    """Values drawn by weight; the running totals are summed once, not on every draw."""

    def __init__(self, weights: dict[Any, float]) -> None:
        self.values = list(weights)
        self.totals = list(accumulate(weights.values()))

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect(self.totals, rng.random() * self.totals[-1])]


# Times are naive datetimes in UTC, written with a "Z".
_NOW = datetime.combine(LAST_DAY, datetime.max.time().replace(microsecond=0))
_SLA_HOURS = {"low": 72, "medium": 48, "high": 24, "urgent": 4}
# Typical hours to resolve, by priority (median of a log-normal spread).
_RESOLVE_HOURS = {"low": 60.0, "medium": 30.0, "high": 14.0, "urgent": 3.0}
_AGENTS = (
    "Alex Morgan", "Priya Nair", "Tom Becker", "Lucia Romero", "Kenji Sato", "Sara Lindqvist",
    "Omar Haddad", "Emma Wilson", "Jonas Weber", "Chloe Martin", "Diego Torres", "Mei Tan",
    "Noah Cohen", "Ana Silva", "Ryan Clark", "Fatima Rahman", "Leon Fischer", "Hannah Young",
)  # fmt: skip
# What an order in each state tends to be asked about.
_TOPIC_WEIGHTS: dict[str, dict[str, float]] = {
    "pending": {"delivery": 70, "billing": 20, "account": 10},
    "shipped": {"delivery": 80, "billing": 10, "account": 10},
    "delivered": {"defect": 30, "setup": 22, "billing": 14, "return": 12, "delivery": 12,
                  "account": 10},
    "cancelled": {"billing": 75, "account": 25},
    "returned": {"return": 70, "billing": 30},
}  # fmt: skip
_SUBJECTS = {
    "delivery": ("Where is my order #{order}?", "Order #{order} arrived damaged",
                 "Tracking for order #{order} has not moved"),
    "defect": ("{product} stopped working", "{product} is faulty",
               "Problem with my {product}"),
    "setup": ("Help setting up {product}", "How do I connect my {product}?",
              "{product}: driver or firmware question"),
    "billing": ("Charged twice for order #{order}", "Invoice needed for order #{order}",
                "Refund for order #{order} not received"),
    "return": ("Return request for {product}", "How do I send back {product}?",
               "Exchange {product} for another model"),
    "account": ("Cannot sign in to my account", "Change the email on my account",
                "Update billing address"),
}  # fmt: skip
_TOPIC_BY_ORDER = {status: _Weighted(w) for status, w in _TOPIC_WEIGHTS.items()}
# Companies escalate more: keyed by "is corporate".
_PRIORITY = {
    corporate: _Weighted({"low": 30, "medium": 45, "high": 20 + 10 * corporate, "urgent": 5})
    for corporate in (False, True)
}
_CHANNEL = _Weighted({"email": 40, "chat": 25, "phone": 20, "web": 15})
_COMMENT_COUNT = _Weighted({1: 20, 2: 30, 3: 22, 4: 14, 5: 8, 6: 6})
# A customer's tone, keyed by "is upset" (high priority, or the opening message).
_MOOD = {
    upset: _Weighted({"negative": 50 if upset else 25, "neutral": 60, "positive": 10})
    for upset in (False, True)
}
# Survey answers, keyed by "solved within the SLA".
_SATISFACTION = {
    True: _Weighted({1: 3, 2: 5, 3: 12, 4: 30, 5: 50}),
    False: _Weighted({1: 18, 2: 22, 3: 30, 4: 20, 5: 10}),
}
_CUSTOMER_LINES = {
    "negative": ("This is not acceptable, I need this fixed now.",
                 "Still waiting, nobody has answered.", "I am very disappointed."),
    "neutral": ("Any update on this?", "Here are the details you asked for.",
                "I tried that, same result."),
    "positive": ("That worked, thank you!", "Thanks for the quick help.",
                 "Great, all sorted."),
}  # fmt: skip
_AGENT_LINES = (
    "Thanks for reaching out, I am looking into it.",
    "Could you send a photo of the serial number?",
    "I have escalated this to our logistics partner.",
    "A replacement is on its way.",
    "The refund has been issued; it shows in 3-5 business days.",
    "Please try a factory reset and let me know.",
)


@dataclass(frozen=True)
class _Order:
    id: int
    day: date
    status: str
    customer: tuple  # id, name, country, region, segment
    lines: tuple[tuple, ...]  # productId, name, category, quantity


def generate_tickets(
    path: Path, *, sales_db: Path, seed: int = DEMO_SEED, count: int = DEMO_TICKETS
) -> Path:
    """Write `path/tickets.jsonl` with `count` tickets about `sales_db`'s orders; return `path`.

    Written atomically; the same database, seed and count give the same file.
    """
    orders = _load_orders(Path(sales_db))
    if not orders:
        raise ValueError(f"{sales_db} holds no orders to write tickets about")
    rng = random.Random(seed)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / TICKETS_FILE
    fd, tmp_name = tempfile.mkstemp(prefix=f".{TICKETS_FILE}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for number in range(1, count + 1):
                ticket = _ticket(rng, number, orders[rng.randrange(len(orders))])
                out.write(json.dumps(ticket, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")
        Path(tmp_name).chmod(0o644)  # demo data, readable like the sales database
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return folder


def ensure_demo_tickets(data_dir: Path, sales_db: Path) -> Path:
    """Return the `data_dir/tickets` container folder, generating it when missing."""
    folder = Path(data_dir) / "tickets"
    if not (folder / TICKETS_FILE).exists():
        generate_tickets(folder, sales_db=sales_db)
    return folder


def _load_orders(sales_db: Path) -> list[_Order]:
    """Orders with their customer and lines, as tuples: dicts are made per ticket."""
    con = sqlite3.connect(f"file:{sales_db}?mode=ro", uri=True)
    try:
        customers = {
            row[0]: row
            for row in con.execute(
                "SELECT c.id, c.name, c.country, r.name, c.segment FROM customers c "
                "JOIN regions r ON r.id = c.region_id ORDER BY c.id"
            )
        }
        lines: dict[int, list[tuple]] = defaultdict(list)
        for order_id, *line in con.execute(
            "SELECT i.order_id, p.id, p.name, k.name, i.quantity FROM order_items i "
            "JOIN products p ON p.id = i.product_id JOIN categories k ON k.id = p.category_id "
            "ORDER BY i.order_id, i.id"
        ):
            lines[order_id].append(tuple(line))
        return [
            _Order(oid, date.fromisoformat(day), status, customers[cid], tuple(lines[oid]))
            for oid, cid, day, status in con.execute(
                "SELECT id, customer_id, order_date, status FROM orders ORDER BY id"
            )
            if lines[oid]
        ]
    finally:
        con.close()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def _choice(rng: random.Random, values: Sequence[Any]) -> Any:
    # random() is several times cheaper than choice()'s exact _randbelow, and as fair here.
    return values[int(rng.random() * len(values))]


_HOURS_OF_DAY = (8, 9, 10, 11, 13, 14, 15, 16, 17, 20)


def _ticket(rng: random.Random, number: int, order: _Order) -> dict[str, Any]:
    topic = _TOPIC_BY_ORDER[order.status].pick(rng)
    cid, name, country, region, segment = order.customer
    corporate = segment == "Corporate"
    priority = _PRIORITY[corporate].pick(rng)
    # Delivery questions come soon after the order, defects weeks later.
    soon = topic in ("delivery", "billing")
    days_after = 1 + int(rng.random() * (12 if soon else 73)) + (0 if soon else 2)
    seconds = _choice(rng, _HOURS_OF_DAY) * 3600 + int(rng.random() * 3600)
    created = datetime.combine(order.day, datetime.min.time()) + timedelta(
        days=days_after, seconds=seconds
    )
    if created > _NOW:
        created = _NOW - timedelta(seconds=int(rng.random() * 72 * 3600) + 3600)
    hours = rng.lognormvariate(0, 0.9) * _RESOLVE_HOURS[priority]
    done = created + timedelta(hours=hours)
    resolved = done if done <= _NOW else None
    if resolved is None:
        status = "pending" if rng.random() < 0.35 else "open"
    else:
        old = (_NOW - resolved).days > 7
        status = "closed" if old and rng.random() < 0.85 else "resolved"
    items = list(order.lines)
    if topic in ("defect", "setup", "return") and len(items) > 1:
        items = rng.sample(items, 1 if rng.random() < 0.8 else 2)
    subject = _choice(rng, _SUBJECTS[topic]).format(order=order.id, product=items[0][1])
    ticket: dict[str, Any] = {
        "id": f"T{number:06d}",
        "subject": subject,
        "topic": topic,
        "status": status,
        "priority": priority,
        "channel": _CHANNEL.pick(rng),
        "createdAt": _iso(created),
        "orderId": order.id,
        "customer": {
            "id": cid,
            "name": name,
            "country": country,
            "region": region,
            "segment": segment,
        },
        "items": [
            {"productId": pid, "name": pname, "category": category, "quantity": qty}
            for pid, pname, category, qty in items
        ],
        "tags": _tags(rng, topic, priority, corporate, items),
        "slaHours": _SLA_HOURS[priority],
    }
    if resolved is not None or rng.random() < 0.8:
        ticket["assignee"] = _choice(rng, _AGENTS)
    if resolved is not None:
        ticket["resolvedAt"] = _iso(resolved)
    assignee = ticket.get("assignee")
    ticket["comments"] = _comments(rng, subject, created, resolved, priority, assignee)
    if resolved is not None and rng.random() < 0.65:
        ticket["satisfaction"] = _SATISFACTION[hours <= _SLA_HOURS[priority]].pick(rng)
    return ticket


def _tags(
    rng: random.Random, topic: str, priority: str, corporate: bool, items: list[tuple]
) -> list[str]:
    tags = [topic, items[0][2].lower()]
    if corporate:
        tags.append("vip")
    if priority in ("high", "urgent") and rng.random() < 0.3:
        tags.append("escalated")
    if topic in ("billing", "return") and rng.random() < 0.5:
        tags.append("refund")
    if rng.random() < 0.1:
        tags.append("repeat-contact")
    return tags


def _comments(
    rng: random.Random,
    subject: str,
    created: datetime,
    resolved: datetime | None,
    priority: str,
    assignee: str | None,
) -> list[dict[str, Any]]:
    """The thread: the customer's opening message, then agent and customer in turn."""
    end = resolved or min(_NOW, created + timedelta(days=10))
    span = max((end - created).total_seconds(), 60.0)
    count = _COMMENT_COUNT.pick(rng)
    offsets = sorted(rng.random() * span for _ in range(count - 1))
    upset = priority in ("high", "urgent")
    opening = _MOOD[True].pick(rng)
    comments = [
        {"author": "customer", "at": _iso(created), "text": subject + ".", "sentiment": opening}
    ]
    for i, offset in enumerate(offsets, start=1):
        if i % 2 == 0 or assignee is None:
            # Once the ticket is solved, the customer often says thanks.
            thanks = resolved is not None and i == count - 1 and rng.random() < 0.7
            sentiment = "positive" if thanks else _MOOD[upset].pick(rng)
            text, author = _choice(rng, _CUSTOMER_LINES[sentiment]), "customer"
        else:
            sentiment = "positive" if rng.random() < 0.3 else "neutral"
            text, author = _choice(rng, _AGENT_LINES), assignee
        at = _iso(created + timedelta(seconds=offset))
        comments.append({"author": author, "at": at, "text": text, "sentiment": sentiment})
    return comments
