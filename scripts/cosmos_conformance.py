"""Run the shared Cosmos DB conformance cases against data_assistant.cosmosql.

    python scripts/cosmos_conformance.py [--cases PATH] [--path evaluator|container|both]
                                         [--rel-tol 1e-12] [--min-pass-rate 0.98]

Reads ../shared/cosmos-conformance/cases.json (next to the repository, else
/work/shared/...) unless --cases is given, runs every case, prints each failure with a
short diff and the pass rate of each path:

    evaluator   cosmosql.evaluate over the case's items
    container   as a user's question runs: the items written to a JSON file, loaded as a
                local container (DocumentsSource), the query checked and parameterised by
                the document guard and run by the source within its time limit

Results are compared as the file's `conventions` say: in order when `ordered` is true,
else as multisets; numbers by value with a relative tolerance; system properties (_rid,
_ts...) ignored, and on the container path the ids it generates for items without one;
`expect_error` cases must raise a query error. Exits 1 when a path's pass rate is below
--min-pass-rate.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from data_assistant.cosmosql import CosmosQueryError, evaluate
from data_assistant.errors import RequestError
from data_assistant.guard.cosmos_guard import check_cosmos_query
from data_assistant.settings import DocumentsSourceSettings
from data_assistant.sources.documents import DocumentsSource

CASES_FILE = Path("cosmos-conformance") / "cases.json"
SHARED_FOLDERS = (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared"))
DEFAULT_CASES = next(
    (folder / CASES_FILE for folder in SHARED_FOLDERS if (folder / CASES_FILE).is_file()),
    SHARED_FOLDERS[0] / CASES_FILE,
)
PATHS = ("evaluator", "container")
# Results the container path may hold: far more than any case expects.
MAX_ITEMS = 1000
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


def run_case(
    case: dict[str, Any],
    datasets: dict[str, Any],
    rel_tol: float,
    path: str = "evaluator",
    workdir: Path | None = None,
) -> list[str]:
    """An empty list when the case passes on `path`, else lines describing the failure."""
    documents = datasets[case["dataset"]]
    parameters = {p["name"]: p["value"] for p in case.get("parameters", [])}
    try:
        if path == "container":
            actual = run_in_container(case, documents, parameters, workdir)
        else:
            actual = evaluate(case["query"], documents, parameters=parameters)
    except (CosmosQueryError, RequestError) as exc:
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


def run_in_container(
    case: dict[str, Any],
    documents: list[Any],
    parameters: dict[str, Any],
    workdir: Path | None,
) -> list[Any]:
    """The case as a user's question runs: a local container file, the guard, the source."""
    folder = Path(tempfile.mkdtemp(dir=workdir))
    data = folder / f"{case['dataset']}.json"
    data.write_text(json.dumps(documents), encoding="utf-8")
    source = DocumentsSource(case["dataset"], DocumentsSourceSettings(path=str(data)))
    given = {doc.get("id") for doc in documents if isinstance(doc, dict)}
    generated = {doc["id"] for doc in source.documents()} - given
    guarded = check_cosmos_query(
        case["query"], container=source.container, max_items=MAX_ITEMS, parameters=parameters
    )
    result = source.execute(
        guarded.query,
        parameters=guarded.parameters,
        max_items=MAX_ITEMS,
        count_query=guarded.count_query,
    )
    return [without_ids(item, generated) for item in result.documents]


def without_ids(value: Any, generated: set[Any]) -> Any:
    """`value` without the ids the container generated (the case's items had none)."""
    if isinstance(value, dict):
        return {
            k: without_ids(v, generated)
            for k, v in value.items()
            if not (k == "id" and v in generated)
        }
    if isinstance(value, list):
        return [without_ids(v, generated) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    """Run all cases on each path; exit status 1 when a pass rate is below the minimum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="cases.json path")
    parser.add_argument("--path", choices=[*PATHS, "both"], default="both", help="what runs")
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
    paths = PATHS if args.path == "both" else (args.path,)
    summaries = []
    status = 0
    with tempfile.TemporaryDirectory() as workdir:
        for path in paths:
            failures = 0
            started = time.perf_counter()
            for case in cases:
                problems = run_case(case, datasets, args.rel_tol, path, Path(workdir))
                if problems:
                    failures += 1
                    print(f"FAIL [{path}] {case['id']}  ({case['doc'].split(' ')[0]})")
                    print("  query: " + " ".join(case["query"].split()))
                    print("\n".join(problems))
                elif args.verbose:
                    print(f"ok   [{path}] {case['id']}")
            elapsed = time.perf_counter() - started
            passed = len(cases) - failures
            summaries.append(
                f"{path}: {passed}/{len(cases)} cases passed "
                f"({100 * passed / len(cases):.1f}%), {failures} failed, in {elapsed:.2f} s"
            )
            if passed < args.min_pass_rate * len(cases):
                status = 1
    print()
    print("\n".join(summaries))
    return status


if __name__ == "__main__":
    sys.exit(main())
