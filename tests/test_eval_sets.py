"""`data-assistant eval` over several sets: a line per set, rates per construct, and each case
asked of the database it names (`--databases`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from data_assistant.evaluation import load_cases, run_eval
from data_assistant.evaluation.sqlite_target import SqliteTarget
from data_assistant.translate.base import TranslationRequest
from data_assistant.translate.offline import OfflineTranslator
from tests.test_cli import run


@pytest.fixture(scope="module")
def garden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "garden.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE plants (plant_id INTEGER PRIMARY KEY, common_name TEXT, "
            "habit TEXT, height_cm REAL);"
        )
        habits = ["shrub", "climber", "tree"]
        conn.executemany(
            "INSERT INTO plants VALUES (?, ?, ?, ?)",
            [(i, f"Plant {i}", habits[i % 3], 10.0 * i) for i in range(1, 31)],
        )
    return path


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "harbour.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript("CREATE TABLE Vessels (VesselId INTEGER PRIMARY KEY, Flag TEXT);")
        conn.executemany(
            "INSERT INTO Vessels VALUES (?, ?)", [(i, ["Malta", "Peru"][i % 2]) for i in range(7)]
        )
    return path


def _write(path: Path, cases: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n")
    return path


GARDEN_CASES = [
    {"question": "how many plants", "sql": "SELECT COUNT(*) FROM plants", "constructs": ["count"]},
    {
        "question": "number of plants per habit",
        "sql": "SELECT habit, COUNT(*) FROM plants GROUP BY habit",
        "constructs": ["count", "group"],
    },
    {"question": "how many plants", "rows": [[999]], "constructs": ["count", "paraphrase"]},
    {"question": "sing me a song", "rows": [[1]], "constructs": ["group"]},
]


def _lines(stdout: str) -> list[str]:
    # The progress bar leaves a blank line behind.
    return [line for line in stdout.splitlines() if line.strip()]


def _table(stdout: str) -> dict[str, list[str]]:
    lines = _lines(stdout)
    start = next(i for i, line in enumerate(lines) if line.startswith("construct"))
    return {line.split()[0]: line.split()[1:] for line in lines[start + 1 :]}


def test_the_construct_table_gives_cases_answered_and_precision_per_tag(garden, tmp_path):
    cases = _write(tmp_path / "garden.jsonl", GARDEN_CASES)
    result = run("eval", str(cases), "--db", str(garden), "--by-construct")
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    # The summary line stays first and unchanged for one file.
    assert lines[0].startswith("4 cases  answered 75.0%  accuracy 50.0%  precision 66.7%")
    assert _table(result.stdout) == {
        "count": ["3", "100.0%", "66.7%", "1"],
        "group": ["2", "50.0%", "100.0%", "0"],
        "paraphrase": ["1", "100.0%", "0.0%", "1"],
    }


def test_a_construct_with_nothing_answered_shows_no_precision(garden, tmp_path):
    cases = _write(tmp_path / "refused.jsonl", [GARDEN_CASES[3] | {"constructs": ["nested"]}])
    result = run("eval", str(cases), "--db", str(garden), "--by-construct")
    assert _table(result.stdout) == {"nested": ["1", "0.0%", "-", "0"]}


def test_several_files_give_a_line_per_set_and_one_for_all(garden, tmp_path):
    first = _write(tmp_path / "first.jsonl", GARDEN_CASES[:2])
    second = _write(tmp_path / "second.jsonl", GARDEN_CASES[2:])
    reports = tmp_path / "reports"
    result = run("eval", str(first), str(second), "--db", str(garden), "--report", str(reports))
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert lines[0].startswith(f"{first}   2 cases  answered 100.0%  accuracy 100.0%")
    assert lines[1].startswith(f"{second}  2 cases  answered 50.0%  accuracy 0.0%")
    assert lines[2].startswith("all" + " " * (len(str(second)) - 1) + "4 cases  answered 75.0%")
    report = [json.loads(line) for line in (reports / "second.jsonl").read_text().splitlines()]
    assert [(r["outcome"], r["constructs"]) for r in report] == [
        ("wrong", ["count", "paraphrase"]),
        ("refused", ["group"]),
    ]


def test_reports_of_two_sets_with_one_name_are_kept_apart(garden, tmp_path):
    (tmp_path / "tune").mkdir()
    (tmp_path / "other").mkdir()
    first = _write(tmp_path / "tune" / "set.jsonl", GARDEN_CASES[:1])
    second = _write(tmp_path / "other" / "set.jsonl", GARDEN_CASES[3:])
    reports = tmp_path / "reports"
    result = run("eval", str(first), str(second), "--db", str(garden), "--report", str(reports))
    assert result.exit_code == 0, result.output
    outcomes = {path.name: json.loads(path.read_text())["outcome"] for path in reports.iterdir()}
    assert outcomes == {"tune-set.jsonl": "correct", "other-set.jsonl": "refused"}


def test_databases_map_asks_each_case_of_the_database_it_names(garden, harbour, tmp_path):
    databases = tmp_path / "databases.json"
    databases.write_text(json.dumps({"garden": str(garden), "harbour": str(harbour)}))
    cases = _write(
        tmp_path / "mixed.jsonl",
        [
            {"db": "garden", "question": "how many plants", "sql": "SELECT COUNT(*) FROM plants"},
            {"db": "harbour", "question": "how many vessels", "rows": [[7]]},
            {"db": "harbour", "question": "vessels per flag", "rows": [["Malta", 4], ["Peru", 3]]},
        ],
    )
    result = run("eval", str(cases), "--databases", str(databases))
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout)[0].startswith("3 cases  answered 100.0%  accuracy 100.0%")


def test_databases_map_leaves_the_default_config_file_unread_as_db_does(
    garden, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    Path("data-assistant.yaml").write_text("translator:\n  provider: nonsense\n")
    Path("databases.json").write_text(json.dumps({"garden": str(garden)}))
    _write(Path("cases.jsonl"), [{"db": "garden", **GARDEN_CASES[0]}])
    result = run("eval", "cases.jsonl", "--databases", "databases.json")
    assert result.exit_code == 0, result.output
    assert run("eval", "cases.jsonl", "--source", "garden").exit_code == 2


@pytest.mark.parametrize(
    ("databases", "case", "message"),
    [
        ({}, {"db": "moon", "question": "q", "rows": [[1]]}, "'moon' is not in"),
        ({"x": "x.sqlite"}, {"question": "q", "rows": [[1]]}, "names no 'db'"),
        ({"moon": "/nowhere/moon.sqlite"}, {"db": "moon", "question": "q", "rows": [[1]]}, "exist"),
    ],
)
def test_a_case_whose_database_cannot_be_found_is_a_usage_error(tmp_path, databases, case, message):
    mapping = tmp_path / "databases.json"
    mapping.write_text(json.dumps(databases))
    cases = _write(tmp_path / "cases.jsonl", [case])
    result = run("eval", str(cases), "--databases", str(mapping))
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_invalid_gold_query_still_exits_1_among_several_sets(garden, tmp_path):
    good = _write(tmp_path / "good.jsonl", GARDEN_CASES[:1])
    bad = _write(tmp_path / "bad.jsonl", [{"question": "how many plants", "sql": "SELECT nope"}])
    result = run("eval", str(good), str(bad), "--db", str(garden))
    assert result.exit_code == 1
    assert "cannot score" in result.stderr


def test_run_eval_keeps_each_case_s_constructs_in_its_result(garden, tmp_path):
    cases = load_cases(_write(tmp_path / "garden.jsonl", GARDEN_CASES))
    target = SqliteTarget(garden)
    translator = OfflineTranslator()

    def answer(question: str):
        from data_assistant.evaluation import Prediction

        request = TranslationRequest(question, "garden", "sqlite", target.schema)
        sql = translator.translate(request).query
        return Prediction(sql=sql, rows=target.run(sql))

    summary = run_eval(cases, answer, target.run)
    assert [r.constructs for r in summary.results] == [tuple(c["constructs"]) for c in GARDEN_CASES]
    parts = summary.by_construct()
    assert {name: (p.total, p.answered, p.correct) for name, p in parts.items()} == {
        "count": (3, 3, 2),
        "group": (2, 1, 1),
        "paraphrase": (1, 1, 0),
    }
