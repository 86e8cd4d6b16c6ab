"""Split a frozen blind question set into its tuning and held-out halves.

Within each database, paraphrase groups are ordered by the SHA-256 hex digest of the group id
and assigned alternately, the first to `tune/`, so every paraphrase of a question lands in
the same half (the rule of evals/blind/README.md). Prints counts only: the held-out half is
not to be read while tuning.

Run from the repository root: python3 evals/blind/split_set.py NAME RAW.jsonl [RAW.jsonl ...]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def split(cases: list[dict]) -> dict[str, list[dict]]:
    """`tune` and `holdout` cases, in their original order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        if case["group"] not in groups[case["db"]]:
            groups[case["db"]].append(case["group"])
    half: dict[str, str] = {}
    for names in groups.values():
        ranked = sorted(names, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
        for rank, group in enumerate(ranked):
            half[group] = "tune" if rank % 2 == 0 else "holdout"
    out: dict[str, list[dict]] = {"tune": [], "holdout": []}
    for case in cases:
        out[half[case["group"]]].append(case)
    return out


def main() -> None:
    name, raws = sys.argv[1], sys.argv[2:]
    cases = [
        json.loads(line)
        for raw in raws
        for line in Path(raw).read_text().splitlines()
        if line.strip()
    ]
    for half, chosen in split(cases).items():
        path = HERE / half / f"{name}.jsonl"
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in chosen))
        print(f"{half}: {len(chosen)} questions, {len({c['group'] for c in chosen})} groups")


if __name__ == "__main__":
    main()
