"""Loading local containers: file kinds, bad documents reported, incremental reloads."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from data_assistant.errors import SourceUnavailable
from data_assistant.sources.documents import DocumentsSource
from tests.documents.conftest import TICKETS, touch_later, write_jsonl

MakeSource = Callable[..., DocumentsSource]


def ids(source: DocumentsSource) -> list[str]:
    return [doc["id"] for doc in source.documents()]


def test_a_folder_holds_json_lines_json_arrays_and_single_json_documents(
    tmp_path: Path, make_source: MakeSource
) -> None:
    write_jsonl(tmp_path / "a.jsonl", TICKETS[:2])
    (tmp_path / "b.json").write_text(json.dumps(TICKETS[2:]), encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"id": "one"}), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a container file", encoding="utf-8")
    source = make_source()
    assert ids(source) == ["t1", "t2", "t3", "t4", "one"]
    assert source.problems == []


def test_the_container_is_named_after_the_folder_or_file_unless_configured(
    tmp_path: Path, make_source: MakeSource
) -> None:
    folder = tmp_path / "support_tickets"
    folder.mkdir()
    assert make_source(folder).container == "support_tickets"
    assert make_source(write_jsonl(tmp_path / "orders.jsonl", [])).container == "orders"
    assert make_source(folder, container="tickets").container == "tickets"


def test_a_single_json_lines_file_is_a_container(tmp_path: Path, make_source: MakeSource) -> None:
    path = write_jsonl(tmp_path / "tickets.jsonl", TICKETS)
    assert ids(make_source(path)) == ["t1", "t2", "t3", "t4"]


def test_a_sqlite_file_with_a_documents_table_is_a_container(
    tmp_path: Path, make_source: MakeSource
) -> None:
    path = tmp_path / "tickets.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, body TEXT)")
        con.executemany(
            "INSERT INTO documents VALUES (?, ?)",
            [("t1", json.dumps(TICKETS[0])), ("t9", json.dumps({"status": "open"})),
             ("bad", "{not json"), ("t2", json.dumps({"id": "other"}))],
        )  # fmt: skip
    con.close()
    source = make_source(path)
    assert ids(source) == ["t1", "t9"]  # the row's id fills in a body without one
    assert [p.split(": ")[0] for p in source.problems] == ["tickets.db:3", "tickets.db:4"]
    assert "differs from row id" in source.problems[1]


def test_a_sqlite_file_without_the_documents_table_is_reported(
    tmp_path: Path, make_source: MakeSource
) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).close()
    source = make_source(path)
    assert source.documents() == []
    assert "no readable table documents" in source.problems[0]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['{"id": "a"}', "{oops", '{"id": "b"}'], ["t.jsonl:2: invalid JSON"]),
        (['{"id": "a"}', '{"id": null}'], ["t.jsonl:2: id must be a string, not null"]),
        (['{"id": "a", "d": ' + "[" * 129 + "]" * 129 + "}"], ["t.jsonl:1: the document nests"]),
        (
            ['{"id": "a", "d": ' + "[" * 5000 + "]" * 5000 + "}"],
            ["t.jsonl:1: the document is nested too deeply"],
        ),
        (['{"id": "a", "n": ' + "1" * 5000 + "}"], ["t.jsonl:1: not readable JSON"]),
        (['{"id": 7}'], ["t.jsonl:1: id must be a string, not 7"]),
        (['{"id": ""}'], ["t.jsonl:1: id is empty"]),
        (["[1, 2]", '"text"'], ["t.jsonl:1: not a JSON object", "t.jsonl:2: not a JSON object"]),
        (['{"id": "a"}, {"id": "b"}'], ["t.jsonl:1: invalid JSON"]),
        (['{"id": "a", "x": [', "1]}"], ["t.jsonl:1: invalid JSON", "t.jsonl:2: invalid JSON"]),
        (['{"id": "a"}', '{"id": "a"}'], ["t.jsonl:2: duplicate id 'a' (first at t.jsonl:1)"]),
    ],
)
def test_a_bad_json_lines_document_is_reported_with_its_file_and_line(
    tmp_path: Path, make_source: MakeSource, lines: list[str], expected: list[str]
) -> None:
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = make_source()
    problems = source.problems
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_good_documents_around_bad_ones_are_kept(tmp_path: Path, make_source: MakeSource) -> None:
    lines = [json.dumps({"id": f"d{i}"}) for i in range(2500)]
    lines[1200] = "{broken"
    (tmp_path / "big.jsonl").write_text("\n\n".join(lines), encoding="utf-8")  # blank lines too
    source = make_source()
    assert len(source.documents()) == 2499
    assert source.problems == ["big.jsonl:2401: invalid JSON: Expecting property name enclosed "
                               "in double quotes"]  # fmt: skip


def test_a_json_file_that_does_not_parse_is_reported_with_the_error_line(
    tmp_path: Path, make_source: MakeSource
) -> None:
    (tmp_path / "broken.json").write_text('[\n  {"id": "a"},\n  {"id": \n]', encoding="utf-8")
    write_jsonl(tmp_path / "good.jsonl", TICKETS[:1])
    source = make_source()
    assert ids(source) == ["t1"]
    assert source.problems[0].startswith("broken.json:4: invalid JSON")


def test_a_bad_element_of_a_json_array_is_reported_with_its_line(
    tmp_path: Path, make_source: MakeSource
) -> None:
    text = '[\n  {"id": "a"},\n  {"id": 2},\n  {"id": "c",\n   "n": 1}\n]'
    (tmp_path / "docs.json").write_text(text, encoding="utf-8")
    source = make_source()
    assert ids(source) == ["a", "c"]
    assert source.problems == ["docs.json:3: id must be a string, not 2"]


def test_a_duplicate_in_a_json_array_is_reported_with_its_line(
    tmp_path: Path, make_source: MakeSource
) -> None:
    text = '[\n  {"id": "a"},\n\n  {"id": "a"}\n]'
    (tmp_path / "docs.json").write_text(text, encoding="utf-8")
    assert make_source().problems == ["docs.json:4: duplicate id 'a' (first at docs.json:2)"]


def test_ids_need_only_be_unique_within_a_partition_key_value(
    tmp_path: Path, make_source: MakeSource
) -> None:
    docs = [
        {"id": "1", "tenant": {"id": "x"}},
        {"id": "1", "tenant": {"id": "y"}},
        {"id": "1", "tenant": {"id": "x"}},
    ]
    write_jsonl(tmp_path / "t.jsonl", docs)
    source = make_source(partition_key="/tenant/id")
    assert len(source.documents()) == 2
    assert source.problems == ["t.jsonl:3: duplicate id '1' (first at t.jsonl:1)"]


def test_bad_documents_are_logged_as_a_warning_when_loaded(
    tmp_path: Path, make_source: MakeSource, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "t.jsonl").write_text('{"id": "a"}\n{"id": 1}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="data_assistant.sources.documents"):
        make_source().documents()
    assert "skipped 1 document(s)" in caplog.text
    assert "t.jsonl:2: id must be a string, not 1" in caplog.text


def test_text_that_is_not_utf8_is_reported_on_its_line(
    tmp_path: Path, make_source: MakeSource
) -> None:
    (tmp_path / "t.jsonl").write_bytes(b'{"id": "a"}\n{"id": "\xff"}\n')
    source = make_source()
    assert ids(source) == ["a"]
    assert source.problems[0].startswith("t.jsonl:2: not UTF-8 text")


def test_a_byte_order_mark_is_not_a_problem(tmp_path: Path, make_source: MakeSource) -> None:
    (tmp_path / "t.jsonl").write_bytes(b'\xef\xbb\xbf{"id": "a"}\n')
    assert ids(make_source()) == ["a"]


def test_a_changed_file_is_read_again_and_unchanged_files_are_not(
    tmp_path: Path, make_source: MakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data_assistant.sources import documents

    write_jsonl(tmp_path / "a.jsonl", TICKETS[:2])
    changing = write_jsonl(tmp_path / "b.jsonl", TICKETS[2:3])
    source = make_source()
    assert ids(source) == ["t1", "t2", "t3"]
    read: list[str] = []
    real = documents._read_file
    monkeypatch.setattr(
        documents, "_read_file", lambda path, sig: read.append(path.name) or real(path, sig)
    )
    assert ids(source) == ["t1", "t2", "t3"]
    assert read == []
    write_jsonl(changing, TICKETS[2:4])
    touch_later(changing)
    assert ids(source) == ["t1", "t2", "t3", "t4"]
    assert read == ["b.jsonl"]


def test_new_and_removed_files_are_picked_up(tmp_path: Path, make_source: MakeSource) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", TICKETS[:1])
    source = make_source()
    assert ids(source) == ["t1"]
    write_jsonl(tmp_path / "b.jsonl", TICKETS[1:2])
    assert ids(source) == ["t1", "t2"]
    first.unlink()
    assert ids(source) == ["t2"]


def test_fixing_a_file_clears_its_problems(tmp_path: Path, make_source: MakeSource) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a"}\n{oops\n', encoding="utf-8")
    source = make_source()
    assert len(source.problems) == 1
    write_jsonl(path, [{"id": "a"}, {"id": "b"}])
    touch_later(path)
    assert source.problems == []
    assert ids(source) == ["a", "b"]


def test_a_missing_container_is_unavailable(tmp_path: Path, make_source: MakeSource) -> None:
    source = make_source(tmp_path / "nowhere")
    with pytest.raises(SourceUnavailable, match="cannot be read"):
        source.ping()
    assert source.problems == []


# ---------------------------------------------------------------- generated ids


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("docs.json", '[{"n": 1}, {"id": "given", "n": 2}, {"n": 3}]'),
        ("docs.json", '{"n": 1}'),
        ("docs.jsonl", '{"n": 1}\n\n{"id": "given", "n": 2}\n{"n": 3}\n'),
        ("docs.jsonl", '{"n": 1}\n{broken\n{"n": 3}\n'),
    ],
)
def test_a_document_without_an_id_gets_one_that_survives_a_reload(
    tmp_path: Path, make_source: MakeSource, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    first = {d["n"]: d["id"] for d in make_source().documents()}
    again = {d["n"]: d["id"] for d in make_source().documents()}
    assert first == again and 1 in first
    assert first.get(2, "given") == "given"
    generated = [v for v in first.values() if v != "given"]
    assert len(set(generated)) == len(generated)
    assert all(len(v) == 36 and v.count("-") == 4 for v in generated)  # UUID text


def test_a_generated_id_depends_on_the_file_and_the_position_only(
    tmp_path: Path, make_source: MakeSource
) -> None:
    (tmp_path / "a.jsonl").write_text('{"n": 1}\n{"n": 2}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"n": 1}\n', encoding="utf-8")
    source = make_source()
    ids_by_file = [d["id"] for d in source.documents()]
    assert len(set(ids_by_file)) == 3  # same content in two files: two ids
    (tmp_path / "a.jsonl").write_text('{"n": 1, "edited": true}\n{"n": 2}\n', encoding="utf-8")
    assert [d["id"] for d in source.documents()] == ids_by_file


def test_generated_ids_are_logged_not_reported_as_problems(
    tmp_path: Path, make_source: MakeSource, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "t.jsonl").write_text('{"x": 1}\n{"x": 2}\n', encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="data_assistant.sources.documents"):
        source = make_source()
        assert len(source.documents()) == 2
    assert source.problems == []
    assert "gave 2 document(s) without an id" in caplog.text


def test_a_query_finds_documents_that_had_no_id(tmp_path: Path, make_source: MakeSource) -> None:
    (tmp_path / "people.json").write_text(
        json.dumps([{"name": "Ana", "age": 31}, {"name": "Bo", "age": 25}]), encoding="utf-8"
    )
    result = make_source().execute(
        "SELECT VALUE p.name FROM people p WHERE p.age > 30", max_items=10
    )
    assert result.documents == ["Ana"]
