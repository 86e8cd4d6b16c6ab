"""Denied columns are never read and masked ones read as the mask, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
import sqlglot

from data_assistant.auth import SourcePolicy
from data_assistant.errors import ConfigError, Forbidden, GuardRejection
from data_assistant.guard.column_policy import ColumnRules, check_columns, filter_schema, mask_rows
from data_assistant.schema.introspect import introspect
from data_assistant.schema.model import Column, ForeignKey, SchemaSnapshot, Table
from data_assistant.settings import SourcePolicies
from tests.auth.policy_db import CLAIMS, Database, guarded

POLICIES = SourcePolicies(
    tables={
        "customers": {
            "rows": "tenant IN (:claims.tenants)",
            "deny_columns": ["email"],
            "mask_columns": ["ssn"],
        },
    }
)


@pytest.fixture
def policy(policy_db: Database) -> SourcePolicy:
    return SourcePolicy("shop", POLICIES, dialect=policy_db.dialect)


@pytest.fixture
def snapshot(policy_db: Database) -> SchemaSnapshot:
    return introspect(policy_db.full, source="shop", dialect=policy_db.dialect)


def run(policy_db: Database, policy: SourcePolicy, snapshot, sql: str):
    def rewrite(tree):
        result = policy.enforce(tree, claims=CLAIMS, snapshot=snapshot)
        return result.expression, result.params

    final, params, _ = guarded(sql, policy_db.dialect, rewrite)
    return policy_db.columns(final, params), policy_db.run(policy_db.full, final, params)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM customers",
        "SELECT c.* FROM customers c",
        "SELECT * FROM (SELECT * FROM customers) AS x",
        "WITH x AS (SELECT * FROM customers) SELECT * FROM x",
        "SELECT * FROM customers JOIN contacts ON contacts.id = customers.id",
    ],
    ids=["star", "qualified-star", "derived-star", "cte-star", "join-star"],
)
def test_star_leaves_denied_columns_out_and_masks(policy_db, policy, snapshot, sql) -> None:
    columns, rows = run(policy_db, policy, snapshot, sql)
    customer_columns = ["id", "name", "tenant", "ssn"]
    assert columns[:4] == customer_columns
    assert "email" not in columns[:4]
    assert {row[3] for row in rows} == {"***"}
    assert {row[2] for row in rows} == {"acme"}  # the row policy still holds
    assert not any("@acme.test" in str(value) for row in rows for value in row)


def test_masked_column_reads_as_the_mask(policy_db, policy, snapshot) -> None:
    columns, rows = run(policy_db, policy, snapshot, "SELECT name, ssn AS s FROM customers")
    assert columns == ["name", "s"]
    assert rows == [("Ada", "***"), ("Cy", "***")]


def test_whole_row_reference_holds_no_denied_or_masked_value(policy_db, policy, snapshot) -> None:
    if policy_db.dialect != "postgres":
        pytest.skip("PostgreSQL whole-row references")
    _, rows = run(policy_db, policy, snapshot, "SELECT row_to_json(c)::text FROM customers c")
    text = " ".join(row[0] for row in rows)
    assert "email" not in text and "111-11" not in text and '"ssn":"***"' in text


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT email FROM customers", "'email' of table 'customers' is not available"),
        ("SELECT c.email FROM customers c", "not available"),
        ("SELECT name FROM customers WHERE email LIKE '%acme%'", "not available"),
        ("SELECT COUNT(DISTINCT email) FROM customers", "not available"),
        ("WITH x AS (SELECT * FROM customers) SELECT email FROM x", "not available"),
        ("SELECT name FROM customers WHERE ssn = '111-11-1111'", "masked"),
        ("SELECT name FROM customers ORDER BY ssn", "masked"),
        ("SELECT ssn, COUNT(*) FROM customers GROUP BY ssn", "masked"),
        ("SELECT c.name FROM customers c JOIN customers d ON c.ssn = d.ssn", "masked"),
        ("SELECT SUBSTR(ssn, 1, 3) FROM customers", "masked"),
        ("SELECT name FROM customers WHERE ssn LIKE '1%'", "masked"),
    ],
    ids=[
        "select-denied",
        "qualified-denied",
        "denied-in-where",
        "denied-in-aggregate",
        "denied-through-cte",
        "masked-in-where",
        "masked-in-order-by",
        "masked-in-group-by",
        "masked-in-join",
        "masked-in-function",
        "masked-in-like",
    ],
)
def test_naming_a_protected_column_is_rejected(policy_db, policy, snapshot, sql, message) -> None:
    with pytest.raises(GuardRejection, match=message):
        run(policy_db, policy, snapshot, sql)


def test_same_named_column_of_another_table_is_fine(policy_db, policy, snapshot) -> None:
    sql = "SELECT k.email, c.name FROM contacts k JOIN customers c ON c.id = k.id"
    _, rows = run(policy_db, policy, snapshot, sql)
    assert rows == [("x@contacts.test", "Ada")]


def test_unqualified_same_name_without_the_protected_table_is_fine() -> None:
    tree = sqlglot.parse_one("SELECT email FROM contacts")
    check_columns(tree, dialect="sqlite", rules={"customers": ColumnRules.of(["email"])})


def test_anonymous_principal_cannot_read_a_filtered_table(policy_db, policy, snapshot) -> None:
    from data_assistant.auth import ANONYMOUS

    tree = sqlglot.parse_one("SELECT name FROM customers", read=policy_db.dialect)
    with pytest.raises(Forbidden):
        policy.enforce(tree, principal=ANONYMOUS, snapshot=snapshot)


def test_policy_typos_fail_closed(snapshot) -> None:
    typo = SourcePolicies(tables={"customers": {"deny_columns": ["emial"]}})
    with pytest.raises(ConfigError, match="emial"):
        SourcePolicy("shop", typo, dialect="sqlite").schema_for(snapshot)
    typo = SourcePolicies(tables={"customer": {"mask_columns": ["ssn"]}})
    with pytest.raises(ConfigError, match="no such table"):
        SourcePolicy("shop", typo, dialect="sqlite").schema_for(snapshot)
    typo = SourcePolicies(tables={"orders": {"rows": "regoin = :claims.region"}})
    with pytest.raises(ConfigError, match="regoin"):
        SourcePolicy("shop", typo, dialect="sqlite").schema_for(snapshot)
    with pytest.raises(ConfigError, match=r"tables\.orders\.rows"):
        SourcePolicy(
            "shop", SourcePolicies(tables={"orders": {"rows": "region = :x"}}), dialect="sqlite"
        )


def test_denied_and_masked_at_once_is_refused() -> None:
    with pytest.raises(ValueError, match="both denied and masked"):
        SourcePolicies(tables={"t": {"deny_columns": ["a"], "mask_columns": ["A"]}})


# --- schema and rows ------------------------------------------------------------------------


def test_translator_never_sees_denied_columns_or_protected_samples() -> None:
    snapshot = SchemaSnapshot(
        source="shop",
        dialect="sqlite",
        tables=(
            Table(
                name="customers",
                columns=(
                    Column("id", "INTEGER", primary_key=True),
                    Column("name", "TEXT", samples=("Ada", "Bob")),
                    Column("email", "TEXT", samples=("ada@acme.test",)),
                    Column("ssn", "TEXT", samples=("111-11-1111",)),
                ),
            ),
            Table(
                name="contacts",
                columns=(Column("id", "INTEGER"), Column("kind", "TEXT", samples=("home",))),
                foreign_keys=(ForeignKey(("id",), "secrets", ("id",)),),
            ),
            Table(name="secrets", columns=(Column("id", "INTEGER"),)),
        ),
    )
    seen = filter_schema(
        snapshot,
        denied_tables=["secrets"],
        denied_columns={"customers": ["email"]},
        masked_columns={"customers": ["ssn"]},
        row_filtered_tables=["customers"],
    )
    customers = seen.table("customers")
    assert customers is not None
    assert [c.name for c in customers.columns] == ["id", "name", "ssn"]
    assert all(c.samples == () for c in customers.columns)
    assert seen.table("secrets") is None
    contacts = seen.table("contacts")
    assert contacts is not None and contacts.foreign_keys == ()
    assert contacts.column("kind").samples == ("home",)
    assert dataclasses.asdict(seen)["tables"][0]["name"] == "customers"


def test_policy_schema_for_uses_the_settings(policy_db, policy, snapshot) -> None:
    seen = policy.schema_for(snapshot)
    customers = seen.table("customers")
    assert customers is not None and customers.column("email") is None
    assert customers.column("ssn") is not None


def test_mask_rows() -> None:
    rows = mask_rows(["id", "SSN", "email"], [(1, "111", "a@b"), (2, None, "c@d")], {"ssn": "***"})
    assert rows == [[1, "***", "a@b"], [2, None, "c@d"]]
    assert mask_rows(["id"], [(1,)], {"ssn": "x"}) == [[1]]


def test_a_sql_source_compiles_its_policies_in_its_own_dialect(tmp_path) -> None:
    from data_assistant.settings import SourceSettings
    from data_assistant.sources import SqlSource

    shop = SqlSource("shop", SourceSettings(url=str(tmp_path / "shop.db"), policies=POLICIES))
    plain = SqlSource("plain", SourceSettings(url="postgresql://h/db"))
    assert shop.policy is not None and shop.policy.dialect == "sqlite" and shop.policy.active
    assert plain.policy is None


# --- views ----------------------------------------------------------------------------------


def orders_policy(dialect: str, **extra) -> SourcePolicy:
    tables = {"orders": {"rows": "region = :claims.region"}, **extra.pop("tables", {})}
    return SourcePolicy("shop", SourcePolicies(tables=tables, **extra), dialect=dialect)


def test_views_are_closed_under_policies(policy_db, snapshot) -> None:
    policy = orders_policy(policy_db.dialect)
    assert policy.schema_for(snapshot).table("big_orders") is None
    for sql in ("SELECT * FROM big_orders", "SELECT o.id FROM orders o JOIN BIG_ORDERS b ON 1 = 1"):
        tree = sqlglot.parse_one(sql, read=policy_db.dialect)
        with pytest.raises(GuardRejection, match="View 'big_orders' is not available"):
            policy.enforce(tree, claims=CLAIMS, snapshot=snapshot)


def test_a_view_with_its_own_policy_is_filtered(policy_db, snapshot) -> None:
    policy = orders_policy(
        policy_db.dialect, tables={"big_orders": {"rows": "region = :claims.region"}}
    )

    def rewrite(tree):
        result = policy.enforce(tree, claims=CLAIMS, snapshot=snapshot)
        return result.expression, result.params

    final, params, _ = guarded("SELECT id FROM big_orders", policy_db.dialect, rewrite)
    assert policy_db.run(policy_db.full, final, params) == [(3,), (5,)]


def test_listed_views_are_open_as_configured(policy_db, snapshot) -> None:
    policy = orders_policy(policy_db.dialect, unfiltered_views=["big_orders"])
    assert policy.schema_for(snapshot).table("big_orders") is not None
    tree = sqlglot.parse_one("SELECT id FROM big_orders", read=policy_db.dialect)
    result = policy.enforce(tree, claims=CLAIMS, snapshot=snapshot)
    assert result.params == {}  # the operator vouched for this view; it is not rewritten
