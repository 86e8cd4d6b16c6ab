"""No false rejects: Spider's 8,563 correct SQLite queries through the real pipeline.

Each gold query of `../shared/spider-train/train_gold.sql` (one per line, `SQL<TAB>db`) is
emitted by the loopback LLM stand-in (tests/llm_stub.py) for a question about its database,
goes through the whole Assistant pipeline (schema, prompt, the `openai` SDK, guard with the
database's own tables allowed, row cap, read-only execution) and must return the same rows
as the query run directly on the file. Every exception is printed: each is a false reject
(or a changed answer) to fix.

Run: .venv/bin/python bench/spider_guard_check.py [--shared ../shared] [--sample N] [--db NAME]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.llm_stub import ChatServer, ChatStub  # noqa: E402

from data_assistant.errors import DataAssistantError  # noqa: E402
from data_assistant.evaluation.compare import is_ordered  # noqa: E402
from data_assistant.pipeline import Assistant  # noqa: E402
from data_assistant.serialize import json_value  # noqa: E402
from data_assistant.settings import SourceSettings, load_settings  # noqa: E402

MAX_ROWS = 100_000
# Spider's schemas have type arguments and foreign keys SQLAlchemy's reflection warns about.
warnings.filterwarnings("ignore", module="sqlalchemy")
warnings.filterwarnings("ignore", message=".*(reflected arguments|foreign key constraint).*")


@dataclass(frozen=True)
class Case:
    """One gold query and the database it was written for."""

    line: int
    sql: str
    db: str


@dataclass(frozen=True)
class Outcome:
    """What became of one case: passed, or the reason it did not."""

    case: Case
    ok: bool
    reason: str = ""
    # The gold query itself fails when run directly (a few in Spider do): not a reject.
    invalid_gold: bool = False


def spider_folder(shared: Path | None = None) -> Path | None:
    """The spider-train folder under `shared`, ../shared or /work/shared; None if absent."""
    candidates = [shared] if shared else [ROOT.parent / "shared", Path("/work/shared")]
    for folder in candidates:
        if folder is not None and (folder / "spider-train" / "train_gold.sql").is_file():
            return folder / "spider-train"
    return None


def read_cases(folder: Path) -> list[Case]:
    """Every gold query, numbered by its line."""
    cases = []
    text = (folder / "train_gold.sql").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            sql, _, db = line.rpartition("\t")
            cases.append(Case(line=number, sql=sql.strip(), db=db.strip()))
    return cases


def sample(cases: Sequence[Case], size: int) -> list[Case]:
    """Every k-th case, `size` of them at most: the same sample on every run."""
    step = max(1, len(cases) // size)
    return list(cases[::step])[:size]


def check(folder: Path, cases: Iterable[Case], llm: ChatStub) -> list[Outcome]:
    """Run each case through the pipeline and directly; one outcome per case."""
    by_db: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_db[case.db].append(case)
    outcomes = []
    for db, group in sorted(by_db.items()):
        path = folder / "database" / db / f"{db}.sqlite"
        assistant = _assistant(path, llm)
        try:
            for case in group:
                outcomes.append(_one(assistant, path, case, llm))
        finally:
            assistant.close()
    return outcomes


def _assistant(path: Path, llm: ChatStub) -> Assistant:
    env = {"OPENAI_BASE_URL": llm.url, "OPENAI_API_KEY": "test-key", "DATA_ASSISTANT_MODEL": "s"}
    settings = load_settings(None, dbs=[f"sqlite:///{path}"], environ=env)
    # A rejection is counted, not corrected; every case asks the same question with another
    # gold query, so no translation is reused.
    settings = settings.merged(
        {"translator": {"max_retries": 0, "max_corrections": 0}, "cache": {"enabled": False}}
    )
    source = SourceSettings(url=f"sqlite:///{path}", max_rows=MAX_ROWS)
    return Assistant(settings.model_copy(update={"sources": {"db": source}}))


def _one(assistant: Assistant, path: Path, case: Case, llm: ChatStub) -> Outcome:
    try:
        expected = _direct(path, case.sql)
    except sqlite3.Error as exc:
        llm.sql(case.sql)
        try:
            assistant.ask("db", "What does the gold query answer?")
            what = "the pipeline answered it"
        except DataAssistantError as rejected:
            llm.replies.clear()
            what = f"the pipeline says {type(rejected).__name__}: {rejected.reason}"
        reason = f"the gold query fails when run directly ({exc}); {what}"
        return Outcome(case, False, reason, invalid_gold=True)
    llm.sql(case.sql)
    try:
        answer = assistant.ask("db", "What does the gold query answer?")
    except DataAssistantError as exc:
        llm.replies.clear()
        return Outcome(case, False, f"{type(exc).__name__}: {exc.reason}")
    got = [list(row.values()) for row in answer.result.rows]
    if answer.truncated:
        if answer.row_count not in (None, len(expected)) or not _within(got, expected):
            return Outcome(case, False, "a capped answer differs from the direct rows")
        return Outcome(case, True)
    if is_ordered(case.sql, "sqlite") and got != expected:
        if _multiset(got) != _multiset(expected):
            return Outcome(case, False, f"rows differ: {got[:3]} vs {expected[:3]}")
        # The same rows in another order: only ties of the ORDER BY may move.
        return Outcome(case, True)
    if _multiset(got) != _multiset(expected):
        return Outcome(case, False, f"rows differ: {got[:3]} vs {expected[:3]}")
    return Outcome(case, True)


def _direct(path: Path, sql: str) -> list[list[Any]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [[json_value(v) for v in row] for row in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def _multiset(rows: Sequence[Sequence[Any]]) -> list[str]:
    return sorted(repr(list(row)) for row in rows)


def _within(part: Sequence[Sequence[Any]], whole: Sequence[Sequence[Any]]) -> bool:
    pool = _multiset(whole)
    for row in _multiset(part):
        if row not in pool:
            return False
        pool.remove(row)
    return True


def main() -> None:
    """Print each failure and the count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=0, help="check only N cases (0: all)")
    parser.add_argument("--db", default=None, help="only this database")
    args = parser.parse_args()
    folder = spider_folder(args.shared)
    if folder is None:
        sys.exit("spider-train not found: pass --shared PATH (the folder holding spider-train)")
    cases = read_cases(folder)
    if args.db:
        cases = [c for c in cases if c.db == args.db]
    if args.sample:
        cases = sample(cases, args.sample)
    started = time.monotonic()
    with ChatServer() as llm:
        outcomes = check(folder, cases, llm)
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        case = outcome.case
        print(f"line {case.line} [{case.db}] {outcome.reason}\n  {case.sql}")
    passed = len(outcomes) - len(failed)
    invalid = sum(o.invalid_gold for o in failed)
    print(
        f"\n{passed} / {len(outcomes)} passed the guard and returned the same rows; "
        f"{len(failed) - invalid} false rejects or changed answers; {invalid} gold queries "
        f"fail when run directly ({time.monotonic() - started:.0f} s)."
    )
    sys.exit(1 if len(failed) > invalid else 0)


if __name__ == "__main__":
    main()
