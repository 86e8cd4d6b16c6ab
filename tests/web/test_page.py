"""The web page in a real browser (headless Chromium) on the demo data, offline translator."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from data_assistant.cli import DEMO_CONTAINER_QUESTION, DEMO_QUESTIONS
from tests.llm_stub import Reply
from tests.web.conftest import ask, mint


def drawn(page, kind: str) -> None:
    """Wait until the current answer's chart of `kind` is drawn."""
    answer = page.get_attribute("#answer", "data-answer")
    page.wait_for_selector(f'#chart[data-drawn="{answer}:{kind}"]', state="attached")


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )


def header(page) -> list[str]:
    return page.eval_on_selector_all("#table thead th", "cells => cells.map(c => c.textContent)")


def download_csv(page) -> list[list[str]]:
    with page.expect_download() as info:
        page.click("#download-csv")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("question", DEMO_QUESTIONS)
def test_each_demo_question_shows_the_query_a_bar_chart_the_table_and_its_csv(page, question):
    ask(page, question)
    drawn(page, "bar")
    assert page.inner_text("#query").startswith("SELECT")
    assert page.inner_text("#explanation")
    assert page.input_value("#chart-kind") == "bar"
    assert page.locator("#chart svg .mark-rect path").count() == len(table_rows(page))
    rows = table_rows(page)
    assert rows and len(header(page)) == 2
    saved = download_csv(page)
    assert saved[0] == header(page)
    assert len(saved) == len(rows) + 1
    assert [r[0] for r in saved[1:]] == [r[0] for r in rows]
    assert page.watch.problems() == []


def test_orders_per_status_match_the_database(page, demo_dir):
    ask(page, DEMO_QUESTIONS[0])
    shown = {status: int(count.replace(",", "")) for status, count in table_rows(page)}
    expected = dict(
        sqlite3.connect(demo_dir / "sales.db").execute(
            "SELECT status, COUNT(*) FROM orders GROUP BY status"
        )
    )
    assert shown == expected
    assert page.inner_text("#row-note") == f"{len(expected)} rows."


def test_a_monthly_series_is_a_line_chart_and_the_user_can_switch_or_hide_it(page):
    ask(page, "revenue per month in 2024")
    drawn(page, "line")
    assert page.locator("#chart svg .mark-line path").count() == 1
    page.select_option("#chart-kind", "bar")
    drawn(page, "bar")
    assert page.locator("#chart svg .mark-rect path").count() == 12
    page.select_option("#chart-kind", "table")
    drawn(page, "table")
    assert page.is_hidden("#chart")
    assert len(table_rows(page)) == 12


def test_a_single_count_is_a_big_number(page, demo_dir):
    ask(page, "how many orders")
    drawn(page, "number")
    (count,) = (
        sqlite3.connect(demo_dir / "sales.db").execute("SELECT COUNT(*) FROM orders").fetchone()
    )
    assert page.inner_text("#chart .big-number .value").replace(",", "") == str(count)


def test_the_chart_downloads_as_svg_and_png(page):
    ask(page, DEMO_QUESTIONS[0])
    drawn(page, "bar")
    with page.expect_download() as svg:
        page.click("#download-svg")
    assert Path(svg.value.path()).read_text().lstrip().startswith("<svg")
    assert svg.value.suggested_filename == "sales.svg"
    with page.expect_download() as png:
        page.click("#download-png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_container_question_shows_documents_as_a_table_and_a_chart(page):
    ask(page, DEMO_CONTAINER_QUESTION, source="tickets")
    drawn(page, "bar")
    assert "FROM c" in page.inner_text("#query")
    assert header(page) == ["status", "count"]
    assert len(table_rows(page)) >= 2


def test_a_refused_question_shows_the_translators_reason(page):
    ask(page, "what is the weather")
    error = page.locator("#error")
    assert error.is_visible()
    assert error.get_attribute("data-status") == "422"
    assert "not understood" in error.inner_text()
    assert "configure an LLM" in error.inner_text()
    assert page.is_hidden("#answer")


def open_llm_page(new_page, llm_site):
    site, stub = llm_site
    tab = new_page()
    tab.goto(site.url + "/")
    tab.wait_for_selector("#source option", state="attached")
    return tab, stub


def test_a_query_the_guard_rejects_is_shown_with_the_reason_and_the_query(new_page, llm_site):
    tab, stub = open_llm_page(new_page, llm_site)
    stub.sql("DELETE FROM orders WHERE 1 = 1")
    ask(tab, "remove the orders")
    assert tab.get_attribute("#error", "data-status") == "400"
    assert "The query was not run" in tab.inner_text("#error")
    assert "DELETE FROM orders" in tab.inner_text("#error pre")
    assert tab.is_hidden("#answer")


def test_a_translator_that_takes_too_long_is_shown_as_timed_out(new_page, llm_site):
    tab, stub = open_llm_page(new_page, llm_site)
    stub.replies.append(Reply(content="```sql\nSELECT 1\n```", delay_s=3))
    ask(tab, "how many orders")
    assert tab.get_attribute("#error", "data-status") == "504"
    assert "Timed out" in tab.inner_text("#error")


def test_suggested_questions_of_a_refusal_are_buttons_that_ask_them(page):
    # The refusal is answered in the browser with a fixed problem (the server's suggestions
    # depend on the translator), and the suggestion then goes to the real server.
    refusal = {
        "type": "https://data-assistant.dev/problems/question-not-understood",
        "title": "Question not understood",
        "status": 422,
        "detail": "I could not read 'weather'.",
        "suggestions": ["how many orders per status", "<b>not markup</b>"],
    }

    page.route(
        "**/api/v1/query/sql",
        lambda route: route.fulfill(
            status=422, json=refusal, content_type="application/problem+json"
        ),
        times=1,
    )
    ask(page, "what is the weather")
    buttons = page.locator("#error .suggestions button")
    assert buttons.all_inner_texts() == refusal["suggestions"]
    assert page.locator("#error b").count() == 0
    buttons.first.click()
    page.wait_for_selector("#answer[data-answer='2']")
    assert page.input_value("#question") == "how many orders per status"
    assert header(page) == ["status", "count"]


def test_clicking_a_column_in_the_schema_browser_inserts_its_name(page):
    page.fill("#question", "orders per")
    page.click("#schema summary:text-is('orders')")
    page.click('#schema button[data-column="status"] >> visible=true')
    assert page.input_value("#question") == "orders per status"
    assert page.evaluate("document.activeElement.id") == "question"
    assert "delivered" in page.inner_text("#schema")  # sample values are shown


def test_the_link_to_a_question_asks_it_on_load(page, new_page, site):
    ask(page, DEMO_QUESTIONS[1])
    link = page.get_attribute("#share-link", "href")
    assert urlsplit(link).query == "source=sales&" + urlencode({"q": DEMO_QUESTIONS[1]})
    assert "token" not in link
    fresh = new_page()
    fresh.goto(site.url + link)
    fresh.wait_for_selector("#answer[data-answer='1'] #table tbody tr")
    assert fresh.input_value("#question") == DEMO_QUESTIONS[1]
    assert len(table_rows(fresh)) == 5


def test_the_history_re_asks_a_question_when_clicked(page):
    ask(page, DEMO_QUESTIONS[0])
    ask(page, DEMO_QUESTIONS[2])
    items = page.locator("#history button")
    assert items.all_inner_texts() == [DEMO_QUESTIONS[2], DEMO_QUESTIONS[0]]
    items.nth(1).click()
    page.wait_for_selector("#answer[data-answer='3']")
    assert page.input_value("#question") == DEMO_QUESTIONS[0]
    assert header(page) == ["status", "count"]


def test_the_table_sorts_by_a_column_when_its_header_is_clicked(page):
    ask(page, DEMO_QUESTIONS[0])
    page.click("#table thead th:nth-child(2) button")
    counts = [int(c.replace(",", "")) for _, c in table_rows(page)]
    assert counts == sorted(counts, reverse=True)
    assert page.get_attribute("#table thead th:nth-child(2)", "aria-sort") == "descending"
    page.click("#table thead th:nth-child(2) button")
    assert [int(c.replace(",", "")) for _, c in table_rows(page)] == sorted(counts)


def test_the_page_loads_nothing_from_another_origin(page, site):
    ask(page, DEMO_QUESTIONS[0])
    drawn(page, "bar")
    ask(page, "revenue per month in 2024")
    drawn(page, "line")
    origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in page.watch.requests}
    assert origins == {site.url}
    assert any("/vendor/vega.js" in u for u in page.watch.requests)
    assert page.watch.problems() == []  # CSP violations would be listed here


def test_hovering_a_bar_shows_its_values_without_breaking_the_csp(page):
    ask(page, DEMO_QUESTIONS[0])
    drawn(page, "bar")
    page.hover("#chart svg .mark-rect path >> nth=0")
    tooltip = page.wait_for_selector("#vg-tooltip-element.visible")
    assert "count" in tooltip.inner_text()
    assert page.watch.problems() == []


def test_vega_is_loaded_only_when_a_chart_is_drawn(page):
    assert not any("vega" in u for u in page.watch.requests)
    ask(page, "how many orders")  # a big number: no Vega needed
    drawn(page, "number")
    assert not any("vega" in u for u in page.watch.requests)


def test_at_375_px_wide_nothing_overflows_sideways(new_page, site):
    tab = new_page(width=375, height=800)
    tab.goto(site.url + "/")
    tab.wait_for_selector("#source option", state="attached")
    ask(tab, DEMO_QUESTIONS[1])
    drawn(tab, "bar")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    assert tab.is_visible("#question") and tab.is_visible("#ask-button")


def test_with_auth_on_the_page_asks_for_a_token_and_uses_it(new_page, secured_site):
    tab = new_page()
    tab.goto(secured_site.url + "/")
    assert tab.is_visible("#token-form")
    assert tab.evaluate("document.activeElement.id") == "token"
    tab.fill("#token", "not-a-token")
    tab.press("#token", "Enter")
    tab.wait_for_selector("#error:not([hidden])")
    assert tab.get_attribute("#error", "data-status") == "401"
    assert tab.is_visible("#token-form")

    token = mint(secured_site.config, "--sub", "ada", "--databases", "sales")
    tab.fill("#token", token)
    tab.press("#token", "Enter")
    tab.wait_for_selector("#source option", state="attached")
    # Only the granted source is offered.
    assert tab.eval_on_selector_all("#source option", "os => os.map(o => o.value)") == ["sales"]
    ask(tab, DEMO_QUESTIONS[0])
    assert len(table_rows(tab)) == 5
    assert token not in tab.url
    assert tab.evaluate("sessionStorage.getItem('data-assistant.token')") == token
    assert tab.evaluate("localStorage.length") == 0


def test_a_link_to_a_source_the_token_does_not_grant_says_so_and_asks_nothing(
    new_page, secured_site
):
    tab = new_page()
    tab.goto(f"{secured_site.url}/?source=tickets&q=how+many+tickets")
    tab.fill("#token", mint(secured_site.config, "--sub", "bo", "--databases", "sales"))
    tab.press("#token", "Enter")
    tab.wait_for_selector("#error:not([hidden])")
    assert tab.get_attribute("#error", "data-status") == "403"
    assert "'tickets'" in tab.inner_text("#error")
    assert tab.input_value("#source") == "sales"
    assert not any("/api/v1/query/" in u for u in tab.watch.requests)


def test_a_token_without_the_read_scope_is_shown_no_permission(new_page, secured_site):
    tab = new_page()
    tab.goto(secured_site.url + "/")
    token = mint(secured_site.config, "--sub", "cy", "--databases", "sales", "--scope", "other")
    tab.fill("#token", token)
    tab.press("#token", "Enter")
    tab.wait_for_selector("#source option", state="attached")
    ask(tab, DEMO_QUESTIONS[0])
    assert tab.get_attribute("#error", "data-status") == "403"
    assert "No permission" in tab.inner_text("#error")
    assert "read:data" in tab.inner_text("#error")
