"""Validate the blind question sets: fields, tags, split, and that every gold SQL runs."""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HALVES = ("tune", "holdout")
FIELDS = ("id", "db", "group", "question", "sql", "constructs", "difficulty")
DIFFICULTIES = {"easy", "medium"}
TAGS = {
    "lookup", "filter", "or_in", "compare", "count", "count_distinct", "sum", "avg",
    "min_max", "multi_agg", "multi_column", "distinct", "order", "top_n", "group",
    "having", "argmax", "join", "link_join", "self_join", "not_in", "except", "nested",
    "date", "abbreviation", "paraphrase",
}  # fmt: skip
MAX_ROWS = 100


OWN_SETS = ("sakila", "spider-a", "spider-c", "spider-d", "spider-e", "spider-f", "spider-g")


def rank_split(groups: list[str]) -> dict[str, str]:
    """The documented split: groups ordered by sha256(group id), alternately tune/holdout."""
    ordered = sorted(groups, key=lambda g: hashlib.sha256(g.encode("utf-8")).hexdigest())
    return {g: HALVES[i % 2] for i, g in enumerate(ordered)}


def load(root: Path) -> tuple[list[tuple[str, str, int, dict]], list[str]]:
    """Read every set file under root/{tune,holdout}; return (set, half, line, record)."""
    records, errors = [], []
    for half in HALVES:
        # The sets written with this checker; check_sets_b.py and check_docs.py check the rest.
        for path in sorted(root / half / f"{name}.jsonl" for name in OWN_SETS):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{path.name}:{n}: not JSON ({exc.msg})")
                    continue
                records.append((path.stem, half, n, rec))
    return records, errors


def check_record(where: str, rec: dict) -> list[str]:
    """Field-level problems of one record."""
    errors = [f"{where}: missing field {f!r}" for f in FIELDS if f not in rec]
    if errors:
        return errors
    for f in ("id", "db", "group", "question", "sql", "difficulty"):
        if not isinstance(rec[f], str) or not rec[f].strip():
            errors.append(f"{where}: field {f!r} must be a non-empty string")
    if rec["difficulty"] not in DIFFICULTIES:
        errors.append(f"{where}: difficulty {rec['difficulty']!r} not in {sorted(DIFFICULTIES)}")
    tags = rec["constructs"]
    if not isinstance(tags, list) or not tags:
        errors.append(f"{where}: constructs must be a non-empty list")
    else:
        errors += [f"{where}: unknown construct {t!r}" for t in tags if t not in TAGS]
    return errors


def run_gold(sql: str, path: Path, cache: dict[Path, sqlite3.Connection]) -> int:
    """Run a gold query read-only and return its row count."""
    if path not in cache:
        cache[path] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return len(cache[path].execute(sql).fetchall())


def main(argv: list[str] | None = None) -> int:
    """Check all set files; print counts; return 1 when anything is wrong."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=HERE, help="folder with tune/ and holdout/")
    parser.add_argument("--no-sql", action="store_true", help="skip running the gold SQL")
    args = parser.parse_args(argv)

    records, errors = load(args.root)
    dbmap = json.loads((args.root / "databases.json").read_text(encoding="utf-8"))
    if list(dbmap) != sorted(dbmap):
        errors.append("databases.json: keys are not sorted")

    ids: Counter[str] = Counter()
    group_half: dict[str, set[str]] = defaultdict(set)
    group_set: dict[str, set[str]] = defaultdict(set)
    group_db: dict[str, set[str]] = defaultdict(set)
    group_sql: dict[str, set[str]] = defaultdict(set)
    group_originals: Counter[str] = Counter()
    cache: dict[Path, sqlite3.Connection] = {}
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    constructs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)

    for set_name, half, n, rec in records:
        where = f"{half}/{set_name}.jsonl:{n}"
        problems = check_record(where, rec)
        errors += problems
        if problems:
            continue
        ids[rec["id"]] += 1
        g = rec["group"]
        group_half[g].add(half)
        group_set[g].add(set_name)
        group_db[g].add(rec["db"])
        group_sql[g].add(rec["sql"])
        if "paraphrase" not in rec["constructs"]:
            group_originals[g] += 1
        counts[(set_name, half)]["questions"] += 1
        counts[(set_name, half)][f"db:{rec['db']}"] += 1
        counts[(set_name, half)][rec["difficulty"]] += 1
        constructs[(set_name, half)].update(rec["constructs"])
        if rec["db"] not in dbmap:
            errors.append(f"{where}: database {rec['db']!r} not in databases.json")
            continue
        if args.no_sql:
            continue
        db_path = (REPO / dbmap[rec["db"]]).resolve()
        if not db_path.is_file():
            errors.append(f"{where}: database file {db_path} not found")
            continue
        try:
            rows = run_gold(rec["sql"], db_path, cache)
        except sqlite3.Error as exc:
            errors.append(f"{where}: gold SQL fails on {rec['db']}: {exc}")
            continue
        if not 1 <= rows <= MAX_ROWS:
            errors.append(f"{where}: gold SQL returns {rows} rows (want 1..{MAX_ROWS})")

    errors += [f"id {i!r} used {c} times" for i, c in ids.items() if c > 1]
    for g in group_half:
        if len(group_half[g]) > 1:
            errors.append(f"group {g!r} is in both halves")
        if len(group_set[g]) > 1 or len(group_db[g]) > 1:
            errors.append(f"group {g!r} spans several sets or databases")
        if len(group_sql[g]) > 1:
            errors.append(f"group {g!r} has different gold SQL across its paraphrases")
        if group_originals[g] != 1:
            errors.append(f"group {g!r} has {group_originals[g]} questions not tagged paraphrase")

    print_report(counts, constructs, group_half, group_set, group_db)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


def print_report(
    counts: dict[tuple[str, str], Counter[str]],
    constructs: dict[tuple[str, str], Counter[str]],
    group_half: dict[str, set[str]],
    group_set: dict[str, set[str]],
    group_db: dict[str, set[str]],
) -> None:
    """Print counts per set and half, per database, per construct, and the split rule."""
    empty: Counter[str] = Counter()
    for s in sorted({s for s, _ in counts}):
        tune, hold = counts.get((s, "tune"), empty), counts.get((s, "holdout"), empty)
        print(f"== set {s}")
        for half, c in (("tune", tune), ("holdout", hold)):
            groups = sum(1 for g in group_half if group_set[g] == {s} and group_half[g] == {half})
            print(
                f"  {half:8s} questions={c['questions']:4d} groups={groups:4d} "
                f"easy={c['easy']} medium={c['medium']}"
            )
        for key in sorted(k for k in set(tune) | set(hold) if k.startswith("db:")):
            print(f"    {key[3:]:24s} tune={tune[key]}  holdout={hold[key]}")
        ctune, chold = constructs.get((s, "tune"), empty), constructs.get((s, "holdout"), empty)
        print("  constructs (tune / holdout):")
        for t in sorted(set(ctune) | set(chold)):
            print(f"    {t:16s} {ctune[t]:4d} / {chold[t]:4d}")
        by_db: dict[str, list[str]] = defaultdict(list)
        for g in group_half:
            if group_set[g] == {s} and len(group_db[g]) == 1 and len(group_half[g]) == 1:
                by_db[next(iter(group_db[g]))].append(g)
        follows = all(
            rank_split(gs) == {g: next(iter(group_half[g])) for g in gs} for gs in by_db.values()
        )
        print(f"  split by sha256 rank of group id per database: {'yes' if follows else 'no'}")


if __name__ == "__main__":
    sys.exit(main())
