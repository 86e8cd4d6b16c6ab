"""The web page in headless Chromium: time from Enter to the table, and first-load bytes.

Serves the demo data (offline translator, no auth) with uvicorn on 127.0.0.1, opens the page
in Debian's Chromium through Playwright, and measures:
- for each demo question, the time from the Enter key's event to the frame after the table
  is in the page (the page's `da:answer` performance measure), median of `--runs`, and how
  much of it the API call took (Resource Timing);
- the bytes transferred on a first load with an empty cache (page, scripts, styles and the
  API calls the page makes before a question), and what the first chart adds (Vega).

Run: .venv/bin/python bench/web_bench.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from data_assistant.app import create_app
from data_assistant.cli import DEMO_QUESTIONS, demo_sources
from data_assistant.sample_data.sales import ensure_demo_db
from data_assistant.sample_data.tickets import ensure_demo_tickets
from data_assistant.settings import load_settings

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def serve(folder: Path, port: int = 0) -> tuple[uvicorn.Server, str]:
    sales = ensure_demo_db(folder)
    sources = demo_sources(sales, ensure_demo_tickets(folder, sales))
    settings = load_settings(None, environ={}).model_copy(update={"sources": sources})
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def transferred(requests: list) -> int:
    """Bytes on the wire: headers plus the (compressed) body of each response."""
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return total


def first_load(browser, url: str) -> dict[str, int]:
    context = browser.new_context()
    page = context.new_page()
    responses: list = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url + "/", wait_until="networkidle")
    page.wait_for_selector("#schema details", state="attached")
    page.wait_for_load_state("networkidle")
    before = list(responses)
    page.fill("#question", DEMO_QUESTIONS[0])
    page.press("#question", "Enter")
    page.wait_for_selector('#chart[data-drawn="1:bar"]', state="attached")
    page.wait_for_load_state("networkidle")
    chart = [r for r in responses if r not in before]
    figures = {
        "page": transferred(before),
        "page_requests": len(before),
        "first_answer": transferred(chart),
        "first_answer_requests": len(chart),
    }
    context.close()
    return figures


def enter_to_table(browser, url: str, question: str, runs: int) -> list[tuple[float, float]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_selector("#source option", state="attached")
    timings = []
    for run in range(runs + 1):  # the first run loads Vega and warms caches: not counted
        page.fill("#question", question)
        page.press("#question", "Enter")
        page.wait_for_function("n => performance.getEntriesByName('da:answer').length > n", arg=run)
        page.wait_for_selector(f'#chart[data-drawn^="{run + 1}:"]', state="attached")
        if run:
            timings.append(
                page.evaluate(
                    """() => [
                        performance.getEntriesByName('da:answer').at(-1).duration,
                        performance.getEntriesByType('resource')
                            .filter(e => e.name.includes('/api/v1/query/')).at(-1).duration,
                    ]"""
                )
            )
    context.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server, url = serve(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            load = first_load(browser, url)
            print(
                "| question | median ms, Enter to table | min ms | max ms "
                "| median ms of it in the API call |"
            )
            print("|---|---|---|---|---|")
            for question in DEMO_QUESTIONS:
                runs = enter_to_table(browser, url, question, args.runs)
                t = [total for total, _ in runs]
                api = statistics.median(call for _, call in runs)
                print(
                    f"| {question} | {statistics.median(t):.1f} | {min(t):.1f} | {max(t):.1f} "
                    f"| {api:.1f} |"
                )
            print()
            print(
                f"First load (empty cache, gzip): {load['page']:,} bytes in "
                f"{load['page_requests']} requests; the first answer with its chart adds "
                f"{load['first_answer']:,} bytes in {load['first_answer_requests']} requests "
                "(Vega, loaded once)."
            )
        finally:
            browser.close()
            server.should_exit = True


if __name__ == "__main__":
    main()
