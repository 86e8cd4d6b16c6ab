"""Check the blind document question set generated-docs.

Validates the fields, ids, tags and split as check_sets_b.py does, checks that every document
of the container has a string "id", and runs every gold Cosmos DB query with this project's
own evaluator (`data-assistant cosmos-query`), which must return 1..100 items.

Run from the repository root with the project's venv active:
  python3 evals/blind/check_docs.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from check_sets_b import HALVES, MAX_ROWS, check_structure, databases, load, report

SETNAME = "generated-docs"


def cli() -> str:
    """Path of the data-assistant command, preferring the one beside this Python."""
    beside = Path(sys.executable).with_name("data-assistant")
    found = str(beside) if beside.exists() else shutil.which("data-assistant")
    if not found:
        sys.exit("data-assistant not found: activate the project's venv first")
    return found


def check_container(path: Path) -> list[str]:
    """Documents without a string id, or ids used twice."""
    problems, seen = [], set()
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            doc = json.loads(line)
            if not isinstance(doc.get("id"), str):
                problems.append(f"{path.name}:{n}: no string id")
            elif doc["id"] in seen:
                problems.append(f"{path.name}:{n}: duplicate id {doc['id']}")
            seen.add(doc.get("id"))
    return problems


def check_gold(halves: dict[str, list[dict]], dbs: dict[str, Path]) -> list[str]:
    """Gold queries that fail or return no items or more than MAX_ROWS."""
    problems, command = [], cli()
    for half in HALVES:
        for c in halves[half]:
            path = dbs[c["db"]]
            done = subprocess.run(
                [command, "cosmos-query", "--data", str(path), c["query"]],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                problems.append(f"{c['id']}: gold fails: {done.stderr.strip()[-300:]}")
                continue
            n = len(json.loads(done.stdout))
            if not 1 <= n <= MAX_ROWS:
                problems.append(f"{c['id']}: gold returns {n} items")
    return problems


def main() -> int:
    """Check the document set; exit status 1 when anything is wrong."""
    dbs = databases()
    halves = load(SETNAME)
    problems = check_structure(SETNAME, halves, "query", dbs)
    for name in sorted({c["db"] for h in HALVES for c in halves[h]}):
        if not dbs[name].exists():
            problems.append(f"{dbs[name]} missing: run evals/blind/make_schemas.py")
        else:
            problems += check_container(dbs[name])
    if not problems:
        problems += check_gold(halves, dbs)
    report(SETNAME, halves)
    for p in problems:
        print("PROBLEM", p)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
