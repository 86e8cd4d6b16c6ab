"""Figures for schemas at scale: introspection of 2,000 tables (cold, warm from the disk
cache, after one table changed), prompt-building time, and the gold-table recall of the
prompt builder at a 4,000-token budget.

`python bench/knowledge_scale.py [--budget 4000] [--derived 1000]`

The 2,000-table SQLite database is made by merging every Spider training database
(../shared/spider-train) with Chinook, Northwind and Sakila (../shared/sample-data), each
table renamed `<database>__<table>` with its rows, keys and types, plus generated noise
tables whose names and columns reuse common business words (`stg_customer_history`,
`invoice_snapshot_2021`). It is written to bench/results/ (not the repository).

Questions with gold tables (the tables their gold SQL reads, found with sqlglot):
- natural: questions people wrote, with gold SQL, from evals/ (chinook, northwind, and
  the blind spider-b sets written by a helper who had not seen the translator);
- derived: a sample of ../shared/spider-train/train_gold.sql, each question made from its
  query's words (columns, values, tables' words) as a terse user would type them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlglot
from sqlglot import exp

from data_assistant.schema.context import quote_identifier, render_context
from data_assistant.settings import load_settings
from data_assistant.sources.registry import SourceRegistry

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared"
SPIDER = SHARED / "spider-train" / "database"
SAMPLES = {
    "chinook": SHARED / "sample-data" / "chinook" / "Chinook_Sqlite.sqlite",
    "northwind": SHARED / "sample-data" / "northwind" / "northwind.db",
    "sakila": SHARED / "sample-data" / "sakila" / "sakila_1.spider.sqlite",
}
TOTAL = 2000
NOISE_WORDS = [
    "customer",
    "order",
    "invoice",
    "payment",
    "product",
    "account",
    "employee",
    "department",
    "shipment",
    "supplier",
    "inventory",
    "warehouse",
    "campaign",
    "lead",
    "ticket",
    "event",
    "session",
    "user",
    "subscription",
    "plan",
    "region",
    "store",
    "transaction",
    "ledger",
    "budget",
    "contract",
    "vendor",
    "asset",
    "claim",
    "policy",
    "student",
    "course",
    "flight",
    "airport",
    "movie",
    "song",
    "artist",
    "album",
    "player",
    "team",
    "match",
    "game",
    "school",
    "hospital",
    "doctor",
    "patient",
    "car",
    "driver",
    "city",
    "country",
    "member",
    "club",
    "book",
    "author",
    "review",
    "rating",
    "visit",
]
PREFIXES = ("stg", "tmp", "raw", "dim", "fact", "audit", "archive", "bak", "etl", "rpt", "")
SUFFIXES = ("history", "snapshot", "daily", "v2", "log", "staging", "2019", "2021", "old", "")
NOISE_COLUMNS = [
    "name",
    "status",
    "amount",
    "created_at",
    "updated_at",
    "code",
    "description",
    "type",
    "category",
    "quantity",
    "price",
    "total",
    "country",
    "city",
    "email",
    "notes",
    "source",
    "flag",
    "score",
    "level",
    "title",
]
STATUS = ("active", "closed", "pending", "archived", "new", "failed", "done")


def sources() -> Iterator[tuple[str, Path]]:
    """(database id, SQLite file) of every merged database."""
    yield from SAMPLES.items()
    for folder in sorted(SPIDER.iterdir()):
        for path in folder.glob("*.sqlite"):
            yield folder.name, path


def build_merged(path: Path) -> None:
    """Write the 2,000-table database (see the module docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = sqlite3.connect(path)
    out.execute("PRAGMA journal_mode=OFF")
    out.execute("PRAGMA synchronous=OFF")
    count = 0
    for db, file in sources():
        out.execute("ATTACH DATABASE ? AS src", (f"file:{file}?mode=ro",))
        names = [
            r[0]
            for r in out.execute(
                "SELECT name FROM src.sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for name in names:
            cols = out.execute(f'PRAGMA src.table_info("{name}")').fetchall()
            fks = out.execute(f'PRAGMA src.foreign_key_list("{name}")').fetchall()
            pk = [c[1] for c in sorted(cols, key=lambda c: c[5]) if c[5]]
            lines = [f'"{c[1]}" {c[2] or ""}'.strip() for c in cols]
            if pk:
                lines.append("PRIMARY KEY (" + ", ".join(f'"{p}"' for p in pk) + ")")
            for fk in fks:
                target = f"{db}__{fk[2]}"
                ref = f'("{fk[4]}")' if fk[4] else ""
                lines.append(f'FOREIGN KEY ("{fk[3]}") REFERENCES "{target}"{ref}')
            merged = f"{db}__{name}"
            out.execute(f'CREATE TABLE "{merged}" (\n  ' + ",\n  ".join(lines) + "\n)")
            columns = ", ".join(f'"{c[1]}"' for c in cols)
            # A few Spider tables hold rows their own keys reject: keep the shape.
            with contextlib.suppress(sqlite3.Error):
                out.execute(
                    f'INSERT INTO "{merged}" ({columns}) SELECT {columns} FROM src."{name}"'
                )
            count += 1
        out.commit()
        out.execute("DETACH DATABASE src")
    rng = random.Random(14)
    made: set[str] = set()
    while count < TOTAL:
        words = rng.sample(NOISE_WORDS, rng.choice((1, 1, 2)))
        parts = [rng.choice(PREFIXES), *words, rng.choice(SUFFIXES)]
        name = "_".join(p for p in parts if p)
        if name in made:
            continue
        made.add(name)
        chosen = rng.sample(NOISE_COLUMNS, rng.randint(3, 8))
        lines = ["id INTEGER PRIMARY KEY"] + [
            f"{c} {'NUMERIC' if c in ('amount', 'price', 'total', 'quantity', 'score') else 'TEXT'}"
            for c in chosen
        ]
        out.execute(f'CREATE TABLE "{name}" ({", ".join(lines)})')
        for i in range(3):
            values = [i] + [
                rng.choice(STATUS) if c in ("status", "type", "level") else None for c in chosen
            ]
            marks = ", ".join("?" for _ in values)
            out.execute(f'INSERT INTO "{name}" VALUES ({marks})', values)
        count += 1
    out.commit()
    out.close()


def registry(db: Path, data_dir: Path) -> SourceRegistry:
    settings = load_settings(None, dbs=[f"sqlite:///{db}"], environ={})
    return SourceRegistry(settings.merged({"data_dir": str(data_dir)}))


def timed_schema(db: Path, data_dir: Path):
    sources_ = registry(db, data_dir)
    source = sources_.get(db.stem)
    started = time.perf_counter()
    snapshot = source.schema()
    elapsed = time.perf_counter() - started
    sources_.close()
    return snapshot, elapsed


def gold_tables(sql: str) -> set[str] | None:
    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    return {t.name.lower() for t in tree.find_all(exp.Table) if t.name.lower() not in ctes}


def natural_questions() -> list[tuple[str, str, str, str]]:
    """(set, database, question, gold SQL) of the question sets people wrote."""
    found = []
    for name in ("chinook", "northwind"):
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text().splitlines():
            case = json.loads(line)
            found.append((name, name, case["question"], case["sql"]))
    spider_dbs = {p.parent.name for _, p in sources()}
    for part in ("tune", "holdout"):
        for line in (ROOT / "evals" / "blind" / part / "spider-b.jsonl").read_text().splitlines():
            case = json.loads(line)
            if case["db"] in spider_dbs:
                found.append(("spider-b", case["db"], case["question"], case["sql"]))
    return found


def derived_question(sql: str) -> str | None:
    """A terse question from a query's words: what it selects, of what, where what."""
    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None
    words: list[str] = []
    if tree.find(exp.Count):
        words.append("how many")
    for agg, said in ((exp.Avg, "average"), (exp.Sum, "total"), (exp.Max, "highest")):
        if tree.find(agg):
            words.append(said)
    for column in tree.find_all(exp.Column):
        name = re.sub(r"[_]+", " ", column.name).lower()
        if name and name not in words:
            words.append(name)
    for table in tree.find_all(exp.Table):
        words.append(re.sub(r"[_]+", " ", table.name).lower())
    for literal in tree.find_all(exp.Literal):
        if literal.is_string and len(literal.this) < 30:
            words.append(literal.this)
    return " ".join(dict.fromkeys(words)) or None


def derived_questions(count: int) -> list[tuple[str, str, str, str]]:
    lines = (SHARED / "spider-train" / "train_gold.sql").read_text().splitlines()
    rng = random.Random(14)
    rng.shuffle(lines)
    found = []
    for line in lines:
        sql, _, db = line.rpartition("\t")
        question = derived_question(sql)
        if question:
            found.append(("derived", db.strip(), question, sql))
        if len(found) >= count:
            break
    return found


def recall(snapshot, cases, budget: int):
    names = {t.name.lower(): t.name for t in snapshot.tables}
    results: dict[str, list[bool]] = {}
    timings: list[float] = []
    misses = []
    for kind, db, question, sql in cases:
        gold = gold_tables(sql)
        if not gold:
            continue
        wanted = [names.get(f"{db}__{g}".lower()) for g in gold]
        if None in wanted:
            continue
        started = time.perf_counter()
        prompt = render_context(snapshot, question, token_budget=budget)
        timings.append((time.perf_counter() - started) * 1000)
        full = all(f"CREATE TABLE {quote_identifier(w, 'sqlite')} (" in prompt for w in wanted)
        ok = all(
            f"CREATE TABLE {quote_identifier(w, 'sqlite')} (" in prompt
            or f"\n{quote_identifier(w, 'sqlite')}(" in prompt
            for w in wanted
        )
        results.setdefault(kind, []).append(ok)
        results.setdefault(kind + " (in full)", []).append(full)
        if not ok:
            misses.append((kind, question, sorted(w for w in wanted if w)))
    return results, timings, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=4000)
    parser.add_argument("--derived", type=int, default=1000)
    parser.add_argument("--misses", type=int, default=0, help="Print this many misses.")
    args = parser.parse_args()
    db = RESULTS / "merged2000.db"
    if not db.exists():
        print("building the 2,000-table database ...", file=sys.stderr)
        build_merged(db)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        snapshot, cold = timed_schema(db, data_dir)
        _, warm = timed_schema(db, data_dir)
        changed = Path(tmp) / "changed.db"
        shutil.copy(db, changed)
        with sqlite3.connect(changed) as conn:
            conn.execute('ALTER TABLE "chinook__Track" ADD COLUMN rating INTEGER')
        conn.close()
        # A copy is another URL, so another cache file: read in full once, then again
        # after a second table changed.
        timed_schema(changed, data_dir)
        with sqlite3.connect(changed) as conn:
            conn.execute('ALTER TABLE "chinook__Album" ADD COLUMN label TEXT')
        conn.close()
        _, incremental = timed_schema(changed, data_dir)
    print(f"tables: {len(snapshot.tables)}")
    print(
        f"introspection: cold {cold:.1f} s, warm from the disk cache {warm:.2f} s, "
        f"one table changed {incremental:.2f} s"
    )
    cases = natural_questions() + derived_questions(args.derived)
    results, timings, misses = recall(snapshot, cases, args.budget)
    total = [ok for kind, oks in results.items() if "(" not in kind for ok in oks]
    for kind, oks in results.items():
        print(f"recall {kind}: {sum(oks)}/{len(oks)} = {100 * sum(oks) / len(oks):.1f}%")
    natural = [
        ok
        for kind, oks in results.items()
        if kind in ("chinook", "northwind", "spider-b")
        for ok in oks
    ]
    print(
        f"recall natural (all sets): {sum(natural)}/{len(natural)} = "
        f"{100 * sum(natural) / len(natural):.1f}%"
    )
    print(f"recall all: {sum(total)}/{len(total)} = {100 * sum(total) / len(total):.1f}%")
    timings.sort()
    print(
        f"prompt building at {len(snapshot.tables)} tables, budget {args.budget} tokens: "
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(0.95 * len(timings))]:.1f} ms ({len(timings)} questions)"
    )
    for kind, question, wanted in misses[: args.misses]:
        print(f"  miss [{kind}] {question!r}: {wanted}")


if __name__ == "__main__":
    main()
