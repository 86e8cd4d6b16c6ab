"""Question sets over several databases: a JSON map of each case's `db` to its file.

`{"sakila": "../shared/sample-data/sakila/sakila_1.spider.sqlite", "recipes": "data/r.jsonl"}`:
relative paths are read from the current directory; a `.json` / `.jsonl` file or a folder is
a local document container, anything else a SQLite file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from data_assistant.evaluation.cases import EvalCase, EvalFileError
from data_assistant.settings import normalise_db_url

_CONTAINER_SUFFIXES = (".json", ".jsonl")


def load_databases(path: str | Path) -> dict[str, str]:
    """The `db` name -> file map of a JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EvalFileError(f"{path}: not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise EvalFileError(f"{path}: must map each database name to a file path")
    return data


def sources_for(cases: Iterable[EvalCase], databases: dict[str, str]) -> dict[str, Any]:
    """Source settings (as in a config file) for every database the cases name."""
    sources: dict[str, Any] = {}
    for case in cases:
        if case.db is None:
            raise EvalFileError(f"case {case.id or case.question!r} names no 'db'")
        if case.db in sources:
            continue
        if case.db not in databases:
            raise EvalFileError(f"database {case.db!r} is not in the databases file")
        path = Path(databases[case.db])
        if not path.exists():
            raise EvalFileError(f"database {case.db!r}: {path} does not exist")
        if path.is_dir() or path.suffix in _CONTAINER_SUFFIXES:
            sources[case.db] = {"kind": "documents", "path": str(path)}
        else:
            sources[case.db] = {"kind": "sql", "url": normalise_db_url(str(path))}
    return sources
