"""The chart-choice rules and the page's CSV, evaluated in the browser from their ES modules."""

from __future__ import annotations

import pytest

from data_assistant.present.csv import to_csv

# (columns, rows, chart chosen, charts offered)
CASES = [
    (["status", "count"], [["open", 3], ["closed", 5]], "bar", ["bar", "line", "table"]),
    (["name", "revenue"], [["Ada", 10.5]], "bar", ["bar", "line", "number", "table"]),
    (["month", "revenue"], [["2024-01", 1.5], ["2024-02", 2.5]], "line", None),
    (["day", "count"], [["2025-12-01", 3], ["2025-12-02", 4]], "line", None),
    (["at", "n"], [["2025-12-01T10:00:00Z", 3], ["2025-12-01T11:00:00Z", 4]], "line", None),
    (["year", "revenue"], [["2023", 1.0], ["2024", 2.0]], "line", None),
    (["year", "revenue"], [[2023, 1.0], [2024, 2.0]], "line", None),
    (["month", "orders", "revenue"], [["2024-01", 1, 2.0], ["2024-02", 3, 4.0]], "line", None),
    (
        ["month", "region", "revenue"],
        [["2024-01", "EU", 2.0], ["2024-01", "US", 4.0]],
        "line",
        None,
    ),
    (["price", "quantity"], [[1.0, 2], [2.0, 3], [3.5, 1]], "scatter", None),
    (["product", "price", "quantity"], [["a", 1.0, 2], ["b", 2.0, 3]], "scatter", None),
    (["count"], [[29982]], "number", ["number", "table"]),
    (["count"], [[1], [2]], "table", ["table"]),
    (["total", "average"], [[10, 2.5]], "table", ["scatter", "number", "table"]),
    (["name"], [["Ada"], ["Bob"]], "table", ["table"]),
    (["status", "count"], [], "table", ["table"]),
    # An id is a label, not a quantity.
    (["customer_id", "revenue"], [[1, 2.0], [2, 3.0]], "bar", None),
    (["id", "total"], [[7, 2.0]], "bar", None),
    # Nested or mixed values: a table, never a guess.
    (["status", "tags"], [["open", ["a"]], ["closed", ["b"]]], "table", None),
    (["status", "count"], [["open", 3], ["closed", "many"]], "table", None),
    (["status", "count"], [["open", 3], ["closed", "NaN"]], "table", None),
    # Nulls are skipped when typing a column.
    (["status", "count"], [["open", None], ["closed", 5]], "bar", None),
    (["a", "b", "c"], [["x", "y", 1]], "table", None),
    (["name", "n"], [[f"c{i}", i] for i in range(51)], "table", None),
    (["name", "n"], [[f"c{i}", i] for i in range(50)], "bar", None),
]


@pytest.fixture(scope="module")
def modules(browser, site):
    """A tab on the page, with the chart and CSV modules imported into `window`."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(site.url + "/")
    prefix = tab.eval_on_selector('link[rel="stylesheet"]', "l => l.getAttribute('href')")
    prefix = prefix.rsplit("/", 1)[0]
    tab.evaluate(
        """async prefix => {
            window.chart = await import(prefix + '/chart.js');
            window.csv = await import(prefix + '/csv.js');
            window.rows = await import(prefix + '/rows.js');
        }""",
        prefix,
    )
    yield tab
    context.close()


@pytest.mark.parametrize(("columns", "rows", "chosen", "offered"), CASES)
def test_the_chart_follows_the_shape_of_the_result(modules, columns, rows, chosen, offered):
    got = modules.evaluate(
        "([c, r]) => [chart.chooseChart(c, r), chart.chartOptions(c, r)]", [columns, rows]
    )
    assert got[0] == chosen
    assert chosen in got[1]
    if offered is not None:
        assert got[1] == offered


@pytest.mark.parametrize(("columns", "rows", "chosen", "offered"), CASES)
def test_every_offered_chart_has_a_spec_built_from_the_columns(
    modules, columns, rows, chosen, offered
):
    specs = modules.evaluate(
        """([c, r]) => chart.chartOptions(c, r).map(k => [k, chart.chartSpec(k, c, r)])""",
        [columns, rows],
    )
    for kind, spec in specs:
        if kind in ("table", "number"):
            assert spec is None
            continue
        assert spec["data"] == {"values": [dict(zip(columns, row, strict=True)) for row in rows]}
        assert "url" not in str(spec) and "signals" not in spec
        fields = {e.get("field") for e in spec["encoding"].values() if isinstance(e, dict)} - {
            None,
            "amount",
            "series",
        }
        assert fields <= set(columns)


def test_a_monthly_axis_is_read_as_utc_months(modules):
    spec = modules.evaluate(
        "chart.chartSpec('line', ['month', 'revenue'], [['2024-01', 1], ['2024-02', 2]])"
    )
    assert spec["encoding"]["x"] == {
        "field": "month",
        "type": "temporal",
        "timeUnit": "utcyearmonth",
        "title": "month",
    }


def test_dots_and_brackets_in_column_names_are_not_read_as_paths(modules):
    spec = modules.evaluate(
        "chart.chartSpec('bar', ['c.status', 'n[0]'], [['open', 1], ['closed', 2]])"
    )
    assert spec["encoding"]["y"]["field"] == "c\\.status"
    assert spec["encoding"]["x"]["field"] == "n\\[0\\]"
    assert spec["encoding"]["y"]["title"] == "c.status"


def test_a_column_named_like_markup_is_drawn_as_text(modules):
    # Names and values are data in the spec: Vega draws them as text, never as markup.
    name = "<img src=x onerror=alert(1)>"
    drawn = modules.evaluate(
        """async name => {
            const prefix = document.querySelector('link[rel="stylesheet"]')
                .getAttribute('href').replace(/\\/app\\.css$/, '');
            const { drawChart } = await import(prefix + '/draw.js');
            const box = document.createElement('div');
            document.body.append(box);
            await drawChart(box, 'bar', [name, 'n'], [[name, 1]]);
            return [box.querySelectorAll('img').length, box.querySelector('svg').textContent];
        }""",
        name,
    )
    assert drawn[0] == 0
    assert name in drawn[1]


CSV_CASES = [
    (["a", "b"], [[1, "x"], [2.5, None]]),
    (["text"], [["has,comma"], ['has "quote"'], ["two\nlines"], ["cr\rhere"], [""], [None]]),
    (["formula"], [["=1+1"], ["+1"], ["-1"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["a=b"]]),
    (["n"], [[-5], [0], [1.25], [True], [False], [10**15]]),
    (["nested"], [[{"a": 1, "b": [1, 2]}], [["x", {"y": None}]], [{"é": "ü"}]]),
    (["=bad header", "+h"], [["1", "2"]]),
    (["é", "日本"], [["ü", "語"]]),
]


@pytest.mark.parametrize(("columns", "rows"), CSV_CASES)
def test_the_page_writes_the_same_csv_as_the_api(modules, columns, rows):
    assert modules.evaluate("([c, r]) => csv.toCsv(c, r)", [columns, rows]) == to_csv(columns, rows)


DOCUMENTS = [
    [{"status": "open", "n": 1}, {"n": 2, "extra": {"x": 1}}],
    [1, 2, 3],
    ["a", {"status": "open"}, None],
    [],
]


@pytest.mark.parametrize("documents", DOCUMENTS)
def test_documents_are_laid_out_as_the_api_lays_them_out(modules, documents):
    from data_assistant.answers import DocumentsResult

    result = DocumentsResult(
        query="", parameters={}, documents=documents, count=None, truncated=False
    )
    columns, rows = result.table()
    assert modules.evaluate("d => rows.tableOf([], d)", documents) == {
        "columns": columns,
        "rows": rows,
    }
