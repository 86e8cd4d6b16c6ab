"""Run the shared Cosmos DB conformance cases against data_assistant.cosmosql.

    python scripts/cosmos_conformance.py [--cases PATH] [--rel-tol 1e-12] [--min-pass-rate 0.98]

Reads ../shared/cosmos-conformance/cases.json (next to the repository) unless --cases is
given, runs every case, prints each failure with a short diff and the pass rate. Results
are compared as the file's `conventions` say: in order when `ordered` is true, else as
multisets; numbers by value with a relative tolerance; system properties (_rid, _ts...)
ignored; `expect_error` cases must raise a query error. Exits 1 when the pass rate is
below --min-pass-rate.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from data_assistant.cosmosql import CosmosQueryError, evaluate

DEFAULT_CASES = (
    Path(__file__).resolve().parents[1].parent / "shared" / "cosmos-conformance" / "cases.json"
)
SYSTEM_PROPERTIES = frozenset({"_rid", "_self", "_etag", "_attachments", "_ts"})


def same(actual: Any, expected: Any, rel_tol: float) -> bool:
    """JSON equality with numeric tolerance; bool is never a number."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=1e-300)
    if isinstance(expected, dict) and isinstance(actual, dict):
        a = {k: v for k, v in actual.items() if k not in SYSTEM_PROPERTIES}
        e = {k: v for k, v in expected.items() if k not in SYSTEM_PROPERTIES}
        return a.keys() == e.keys() and all(same(a[k], e[k], rel_tol) for k in e)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            same(x, y, rel_tol) for x, y in zip(actual, expected, strict=True)
        )
    return type(actual) is type(expected) and actual == expected


def same_multiset(actual: list[Any], expected: list[Any], rel_tol: float) -> bool:
    """Order-insensitive comparison: match each expected item to a distinct actual item."""
    if len(actual) != len(expected):
        return False
    remaining = list(actual)
    for item in expected:
        for i, candidate in enumerate(remaining):
            if same(candidate, item, rel_tol):
                del remaining[i]
                break
        else:
            return False
    return True


def short(value: Any, limit: int = 400) -> str:
    """Compact JSON, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def diff(actual: list[Any], expected: list[Any], rel_tol: float) -> list[str]:
    """A few lines naming the items that differ."""
    lines = []
    if len(actual) != len(expected):
        lines.append(f"  {len(actual)} result(s), expected {len(expected)}")
    missing = [e for e in expected if not any(same(a, e, rel_tol) for a in actual)]
    extra = [a for a in actual if not any(same(a, e, rel_tol) for e in expected)]
    lines += [f"  - expected {short(e)}" for e in missing[:3]]
    lines += [f"  + got      {short(a)}" for a in extra[:3]]
    if not missing and not extra:
        lines.append("  same items, different order")
        lines.append(f"  expected {short(expected)}")
        lines.append(f"  got      {short(actual)}")
    return lines


def run_case(case: dict[str, Any], datasets: dict[str, Any], rel_tol: float) -> list[str]:
    """An empty list when the case passes, else lines describing the failure."""
    documents = datasets[case["dataset"]]
    parameters = {p["name"]: p["value"] for p in case.get("parameters", [])}
    try:
        actual = evaluate(case["query"], documents, parameters=parameters)
    except CosmosQueryError as exc:
        if case.get("expect_error"):
            return []
        return [f"  raised {type(exc).__name__}: {exc.reason}"]
    if case.get("expect_error"):
        return [f"  expected a query error, got {short(actual)}"]
    expected = case["expected"]
    ok = (
        same(actual, expected, rel_tol)
        if case["ordered"]
        else same_multiset(actual, expected, rel_tol)
    )
    return [] if ok else diff(actual, expected, rel_tol)


def main(argv: list[str] | None = None) -> int:
    """Run all cases; exit status 1 when the pass rate is below the minimum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="cases.json path")
    parser.add_argument(
        "--rel-tol", type=float, default=1e-12, help="relative tolerance for numbers"
    )
    parser.add_argument(
        "--min-pass-rate", type=float, default=0.98, help="exit 1 below this fraction"
    )
    parser.add_argument("--verbose", action="store_true", help="also print passing cases")
    args = parser.parse_args(argv)
    if not args.cases.is_file():
        print(f"no conformance cases at {args.cases}", file=sys.stderr)
        return 2
    data = json.loads(args.cases.read_text(encoding="utf-8"))
    cases, datasets = data["cases"], data["datasets"]
    failures = 0
    started = time.perf_counter()
    for case in cases:
        problems = run_case(case, datasets, args.rel_tol)
        if problems:
            failures += 1
            print(f"FAIL {case['id']}  ({case['doc'].split(' ')[0]})")
            print("  query: " + " ".join(case["query"].split()))
            print("\n".join(problems))
        elif args.verbose:
            print(f"ok   {case['id']}")
    elapsed = time.perf_counter() - started
    passed = len(cases) - failures
    print(
        f"\n{passed}/{len(cases)} cases passed ({100 * passed / len(cases):.1f}%), "
        f"{failures} failed, in {elapsed:.2f} s"
    )
    return 0 if passed >= args.min_pass_rate * len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
