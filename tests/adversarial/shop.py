"""The multi-tenant shop every SQL engine serves, as twin databases A and B.

The principal is tenant `acme`. Both twins hold the same visible data: acme's customers and
orders (minus denied columns, masked columns read as the mask), the products, and the schema
the principal may see. Everything else differs between them and carries markers: other
tenants' rows (and how many there are), denied tables (one of them with a marker for a name),
denied and masked column values, a denied column with a marker for a name, the `vault`
schema or database, comments and constraints. A response that differs between the twins has
shown something hidden, whatever the encoding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.adversarial.markers import Markers

TENANT = "acme"
MASK = "***"
CUSTOMER_COLUMNS = ("id", "name", "tenant", "tier", "email", "ssn")
ORDER_COLUMNS = ("id", "customer_id", "tenant", "amount", "status", "note")
PRODUCTS = [(1, "Anvil", Decimal("19.99")), (2, "Rocket", Decimal("250.00"))]
VISIBLE_CUSTOMERS = [(1, "Ada", "gold"), (2, "Cy", "silver"), (5, "Eve", "gold")]
VISIBLE_ORDERS = [
    (1, 1, Decimal("120.50"), "shipped", "first order"),
    (2, 1, Decimal("80.00"), "pending", "gift wrap"),
    (5, 2, Decimal("15.25"), "shipped", "fragile"),
]
# Hidden rows per twin: (id, customer_id, amount). Different ids, counts and amounts.
HIDDEN_ORDERS = {
    "a": [(3, 3, Decimal("300.00")), (4, 4, Decimal("999.99"))],
    "b": [(3, 3, Decimal("301.50")), (6, 4, Decimal("42.00")), (7, 6, Decimal("7.00"))],
}
HIDDEN_CUSTOMER_IDS = {"a": [3, 4], "b": [3, 4, 6]}
PAYMENT_YEARS = (2024, 2025)


@dataclass
class Twin:
    """One of the two databases: its rows, and the markers they hold."""

    name: str
    customers: list[tuple[Any, ...]] = field(default_factory=list)
    orders: list[tuple[Any, ...]] = field(default_factory=list)
    secrets: list[tuple[Any, ...]] = field(default_factory=list)
    payments: list[tuple[Any, ...]] = field(default_factory=list)
    archive: list[tuple[Any, ...]] = field(default_factory=list)
    vault: list[tuple[Any, ...]] = field(default_factory=list)
    hidden_table: str = ""
    hidden_column: str = ""
    hidden_table_rows: list[tuple[Any, ...]] = field(default_factory=list)
    comment: str = ""
    check_value: str = ""


def make_twin(name: str, markers: Markers) -> Twin:
    """Twin `name` ("a" or "b"), its hidden values fresh markers."""
    twin = Twin(name)
    other = markers.new(f"twin {name}: another tenant's name")
    other2 = markers.new(f"twin {name}: a third tenant's name")
    twin.hidden_column = "x" + markers.new(f"twin {name}: a denied column's name")
    twin.hidden_table = "t" + markers.new(f"twin {name}: a denied table's name")
    for cid, cname, tier in VISIBLE_CUSTOMERS:
        email = markers.new(f"twin {name}: masked email of visible customer {cid}") + "@acme.test"
        ssn = markers.new(f"twin {name}: denied ssn of visible customer {cid}")
        extra = markers.new(f"twin {name}: denied hidden-name column of customer {cid}")
        twin.customers.append((cid, cname, TENANT, tier, email, ssn, extra))
    for n, cid in enumerate(HIDDEN_CUSTOMER_IDS[name]):
        tenant = other if n % 2 == 0 else other2
        twin.customers.append(
            (
                cid,
                markers.new(f"twin {name}: hidden customer {cid}'s name"),
                tenant,
                "gold" if n == 0 else markers.new(f"twin {name}: hidden customer's tier"),
                markers.new(f"twin {name}: hidden customer's email") + "@other.test",
                markers.new(f"twin {name}: hidden customer's ssn"),
                markers.new(f"twin {name}: hidden customer's hidden-name column"),
            )
        )
    for oid, cid, amount, status, note in VISIBLE_ORDERS:
        twin.orders.append((oid, cid, TENANT, amount, status, note))
    for n, (oid, cid, amount) in enumerate(HIDDEN_ORDERS[name]):
        status = "shipped" if n == 0 else markers.new(f"twin {name}: hidden order's status")
        note = markers.new(f"twin {name}: hidden order {oid}'s note")
        twin.orders.append((oid, cid, other if n % 2 == 0 else other2, amount, status, note))
    twin.secrets = [
        (1, markers.new(f"twin {name}: denied table secrets, row 1")),
        (2, markers.new(f"twin {name}: denied table secrets, row 2")),
    ][: 1 if name == "a" else 2]
    twin.hidden_table_rows = [(1, markers.new(f"twin {name}: row of the marker-named table"))]
    twin.payments = [
        (1, TENANT, Decimal("10.00"), "2024-03-01", "visible payment"),
        (2, other, Decimal("500.00"), "2024-05-01", markers.new(f"twin {name}: hidden payment")),
        (3, TENANT, Decimal("20.00"), "2025-02-01", "visible payment 2"),
        (4, other2, Decimal("77.00"), "2025-06-01", markers.new(f"twin {name}: hidden payment")),
    ]
    twin.archive = [(10, 1, TENANT, Decimal("5.00"), "archived", "old acme order")]
    if name == "a":
        # Only twin A has a hidden archived order, and twin B one more hidden payment.
        twin.archive.append(
            (11, 3, other, Decimal("66.00"), "archived", markers.new(f"twin {name}: archived"))
        )
    else:
        twin.payments.append(
            (5, other, Decimal("5.00"), "2024-07-01", markers.new(f"twin {name}: hidden payment"))
        )
    twin.vault = [
        (1, markers.new(f"twin {name}: vault customer name"), TENANT, "gold"),
        (2, markers.new(f"twin {name}: vault customer name"), other, "gold"),
    ]
    twin.comment = markers.new(f"twin {name}: comment on a denied table")
    twin.check_value = markers.new(f"twin {name}: constraint text of a denied table")
    return twin


def visible_customers() -> list[dict[str, Any]]:
    """What `SELECT id, name, tier, email FROM customers ORDER BY id` shows the principal."""
    return [{"id": c, "name": n, "tier": t, "email": MASK} for c, n, t in VISIBLE_CUSTOMERS]


def policies_yaml(*, extra_tables: tuple[str, ...] = (), hidden_column: str) -> str:
    """The `policies:` block every SQL source has (indented for a source)."""
    lines = [
        "    policies:",
        "      tables:",
        "        customers:",
        '          rows: "tenant = :claims.tenant"',
        f"          deny_columns: [ssn, {hidden_column}]",
        "          mask_columns: [email]",
        f'          mask: "{MASK}"',
        "        orders:",
        '          rows: "tenant = :claims.tenant"',
    ]
    for table in extra_tables:
        lines += [f"        {table}:", '          rows: "tenant = :claims.tenant"']
    lines += ["      unfiltered_views: [product_list]"]
    return "\n".join(lines)
