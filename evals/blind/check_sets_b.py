"""Check the blind SQL question sets spider-b and generated (standard library + sqlite3 only).

Validates the fields of every case, unique ids, known construct tags, that each paraphrase
group sits wholly in one half and in the half the split rule gives, and that every gold query
runs read-only and returns 1..100 rows. Prints counts per set, half, database and construct.

Run from the repository root: python3 evals/blind/check_sets_b.py
(run evals/blind/make_schemas.py first: the generated databases live in the git-ignored data/).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HALVES = ("tune", "holdout")
SQL_SETS = ("spider-b", "generated")
TAGS = frozenset(
    [
        "lookup",
        "filter",
        "or_in",
        "compare",
        "count",
        "count_distinct",
        "sum",
        "avg",
        "min_max",
        "multi_agg",
        "multi_column",
        "distinct",
        "order",
        "top_n",
        "group",
        "having",
        "argmax",
        "join",
        "link_join",
        "self_join",
        "not_in",
        "except",
        "nested",
        "date",
        "abbreviation",
        "paraphrase",
        "array",
        "nested_path",
    ]
)
DIFFICULTIES = frozenset({"easy", "medium"})
MAX_ROWS = 100
# Fixed salt of the split hash, picked (from blind-b-1: .. blind-b-1000:, by construct tags only)
# so that every construct tag used by two or more groups of a set falls in both halves.
SPLIT_SALT = "blind-b-263:"


def databases() -> dict[str, Path]:
    """Database name -> absolute path, from evals/blind/databases.json."""
    raw = json.loads((HERE / "databases.json").read_text(encoding="utf-8"))
    return {name: (ROOT / rel).resolve() for name, rel in raw.items()}


def load(setname: str) -> dict[str, list[dict]]:
    """The cases of one set, per half."""
    out = {}
    for half in HALVES:
        path = HERE / half / f"{setname}.jsonl"
        with path.open(encoding="utf-8") as f:
            out[half] = [json.loads(line) for line in f if line.strip()]
    return out


def split_rule(cases: list[dict]) -> dict[str, str]:
    """Group -> half: per database, groups ordered by sha256(salt + group id); even rank tune."""
    by_db: dict[str, set[str]] = defaultdict(set)
    for c in cases:
        by_db[c["db"]].add(c["group"])
    half = {}
    for groups in by_db.values():
        ordered = sorted(groups, key=lambda g: hashlib.sha256((SPLIT_SALT + g).encode()).digest())
        for rank, group in enumerate(ordered):
            half[group] = HALVES[rank % 2]
    return half


def check_structure(
    setname: str, halves: dict[str, list[dict]], gold_key: str, dbs: dict
) -> list[str]:
    """Field, id, tag, group and split problems of one set."""
    problems = []
    seen_ids: set[str] = set()
    group_half: dict[str, str] = {}
    group_gold: dict[str, str] = {}
    every = [c for half in HALVES for c in halves[half]]
    expected = split_rule(every)
    fields = {"id", "db", "group", "question", gold_key, "constructs", "difficulty"}
    for half in HALVES:
        for c in halves[half]:
            cid = c.get("id", "?")
            missing = fields - c.keys()
            if missing:
                problems.append(f"{cid}: missing {sorted(missing)}")
                continue
            if not all(isinstance(c[k], str) and c[k].strip() for k in fields - {"constructs"}):
                problems.append(f"{cid}: empty or non-string field")
            if not cid.startswith(setname + "-"):
                problems.append(f"{cid}: id does not start with {setname}-")
            if cid in seen_ids:
                problems.append(f"{cid}: duplicate id")
            seen_ids.add(cid)
            if c["db"] not in dbs:
                problems.append(f"{cid}: db {c['db']!r} not in databases.json")
            if not c["constructs"] or set(c["constructs"]) - TAGS:
                problems.append(f"{cid}: unknown or no constructs {c['constructs']}")
            if c["difficulty"] not in DIFFICULTIES:
                problems.append(f"{cid}: difficulty {c['difficulty']!r}")
            g = c["group"]
            if group_half.setdefault(g, half) != half:
                problems.append(f"{cid}: group {g} is split across halves")
            if group_gold.setdefault(g, c[gold_key]) != c[gold_key]:
                problems.append(f"{cid}: group {g} has different gold answers")
            if expected[g] != half:
                problems.append(f"{cid}: group {g} is in {half}, the split rule says {expected[g]}")
    return problems


def run_sql(path: Path, sql: str) -> list[tuple]:
    """Rows of one gold query, the database opened read-only."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def check_gold(halves: dict[str, list[dict]], dbs: dict[str, Path]) -> list[str]:
    """Gold SQL that fails or returns no rows or more than MAX_ROWS."""
    problems = []
    for half in HALVES:
        for c in halves[half]:
            path = dbs.get(c.get("db"))
            if path is None or not path.exists():
                problems.append(f"{c['id']}: database file {path} missing")
                continue
            try:
                n = len(run_sql(path, c["sql"]))
            except sqlite3.Error as e:
                problems.append(f"{c['id']}: gold fails: {e}")
                continue
            if not 1 <= n <= MAX_ROWS:
                problems.append(f"{c['id']}: gold returns {n} rows")
    return problems


def report(setname: str, halves: dict[str, list[dict]]) -> None:
    """Print counts per half, database and construct."""
    for half in HALVES:
        cases = halves[half]
        groups = {c["group"] for c in cases}
        print(f"{setname} {half}: {len(cases)} questions, {len(groups)} groups")
    per_db: dict[str, Counter] = defaultdict(Counter)
    for half in HALVES:
        for c in halves[half]:
            per_db[c["db"]][half] += 1
    for db in sorted(per_db):
        print(f"  {db:20s} tune {per_db[db]['tune']:3d}  holdout {per_db[db]['holdout']:3d}")
    tags: dict[str, Counter] = defaultdict(Counter)
    for half in HALVES:
        for c in halves[half]:
            for t in c["constructs"]:
                tags[t][half] += 1
    print(
        "  constructs (tune/holdout): "
        + ", ".join(f"{t} {tags[t]['tune']}/{tags[t]['holdout']}" for t in sorted(tags))
    )


def main() -> int:
    """Check both SQL sets; exit status 1 when anything is wrong."""
    dbs = databases()
    problems = []
    for setname in SQL_SETS:
        halves = load(setname)
        problems += check_structure(setname, halves, "sql", dbs)
        problems += check_gold(halves, dbs)
        report(setname, halves)
    for p in problems:
        print("PROBLEM", p)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
