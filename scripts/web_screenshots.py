"""Take the README's screenshots of the web page (docs/screenshots/*.png) on the demo data.

Run: .venv/bin/python scripts/web_screenshots.py   (needs Debian's chromium)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from web_bench import ARGS, CHROMIUM, serve

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def ask(page, question: str, kind: str | None, n: int) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")
    if kind:
        page.wait_for_selector(f'#chart[data-drawn="{n}:{kind}"]', state="attached")
    else:
        page.wait_for_selector("#error:not([hidden])")
    page.wait_for_timeout(300)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server, url = serve(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1100})
        page.emulate_media(color_scheme="light")
        page.goto(url + "/")
        page.wait_for_selector("#schema details", state="attached")
        ask(page, "revenue by region in 2024", "bar", 1)
        page.screenshot(path=OUT / "bar-chart.png")
        ask(page, "revenue per month in 2024", "line", 2)
        page.screenshot(path=OUT / "line-chart.png")
        page.fill("#question", "orders per")
        page.click("#schema summary:text-is('orders')")
        page.click("#schema summary:text-is('customers')")
        page.click('#schema button[data-column="status"] >> visible=true')
        page.screenshot(path=OUT / "schema-browser.png")
        ask(page, "what is the weather", None, 3)
        page.screenshot(path=OUT / "error.png")
        narrow = browser.new_page(viewport={"width": 375, "height": 812})
        narrow.emulate_media(color_scheme="light")
        narrow.goto(url + "/?source=sales&q=top+5+customers+by+revenue")
        narrow.wait_for_selector('#chart[data-drawn="1:bar"]', state="attached")
        narrow.wait_for_timeout(300)
        narrow.screenshot(path=OUT / "narrow-375.png", full_page=True)
        browser.close()
        server.should_exit = True
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(OUT.parents[1]), path.stat().st_size)


if __name__ == "__main__":
    main()
