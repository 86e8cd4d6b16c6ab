"""Fixtures for the web page: the demo data served by uvicorn on loopback, and Chromium.

The browser (`browser`, tests/conftest.py) is shared with the sign-in tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from data_assistant.app import create_app
from data_assistant.cli import app as cli
from data_assistant.settings import load_settings
from tests.llm_stub import ChatServer, ChatStub

SECRET = "web-page-test-secret-" + "x" * 20


@dataclass
class Served:
    """A running server: its base URL and its config file (to mint tokens for it)."""

    url: str
    config: Path


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo sales database and tickets container, generated once per session."""
    from data_assistant.sample_data.sales import ensure_demo_db
    from data_assistant.sample_data.tickets import ensure_demo_tickets

    folder = tmp_path_factory.mktemp("web-demo")
    ensure_demo_tickets(folder, ensure_demo_db(folder))
    return folder


def demo_config(folder: Path, auth: str) -> Path:
    """A config serving the demo sources as `data-assistant demo` does, with `auth`."""
    path = folder / f"web-{'jwt' if 'jwt' in auth else 'none'}.yaml"
    path.write_text(
        f"""
{auth}
sources:
  sales:
    url: sqlite:///{folder / "sales.db"}
    description: Demo sales data.
  tickets:
    kind: documents
    path: {folder / "tickets"}
    description: Demo support tickets.
"""
    )
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def serve(demo_dir: Path) -> Iterator:
    """Start a real uvicorn server for a config; each server stops at the end of the session."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(config: Path) -> Served:
        settings = load_settings(config, environ={})
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the web test server did not start")
            time.sleep(0.05)
        servers.append((server, thread))
        return Served(f"http://127.0.0.1:{port}", config)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site(serve, demo_dir: Path) -> Served:
    """The demo, no auth (as `data-assistant demo` serves it)."""
    return serve(demo_config(demo_dir, "auth: {mode: none}"))


@pytest.fixture(scope="session")
def llm_site(serve, demo_dir: Path) -> Iterator[tuple[Served, ChatStub]]:
    """The demo sales data with an LLM translator: the loopback chat-completions stub."""
    with ChatServer() as stub:
        translator = (
            f"translator: {{provider: openai, base_url: '{stub.url}', api_key: test-key, "
            "model: stub, max_retries: 0, max_corrections: 0, timeout_s: 1}"
        )
        path = demo_config(demo_dir, "auth: {mode: none}\n" + translator)
        yield serve(path.rename(demo_dir / "web-llm.yaml")), stub


@pytest.fixture(scope="session")
def secured_site(serve, demo_dir: Path) -> Served:
    """The demo with JWT auth (shared secret)."""
    return serve(demo_config(demo_dir, f'auth: {{mode: jwt, jwt: {{secret: "{SECRET}"}}}}'))


def mint(config: Path, *args: str) -> str:
    """A token from `data-assistant token`, as a user makes one."""
    result = CliRunner().invoke(cli, ["token", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


class PageWatch:
    """What a page did: every request URL, console errors and CSP violations."""

    def __init__(self, page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        # A CSP violation is reported to the page as an event: make it an error we can see.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
        )

    def problems(self) -> list[str]:
        """Errors other than the HTTP errors the tests provoke on purpose (a 422, a 401)."""
        return [e for e in self.errors if not e.startswith("Failed to load resource")]


@pytest.fixture
def new_page(browser) -> Iterator:
    """Open fresh tabs (each with its own session storage), watched, closed after the test."""
    contexts = []

    def open_page(width: int = 1440, height: int = 1000):
        context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        contexts.append(context)
        tab = context.new_page()
        tab.watch = PageWatch(tab)
        return tab

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, site: Served):
    """A fresh 1440 px tab on the demo, sources loaded."""
    tab = new_page()
    tab.goto(site.url + "/")
    tab.wait_for_selector("#source option", state="attached")
    return tab


def ask(page, question: str, source: str = "sales") -> None:
    """Type a question and press Enter; wait until its answer or its error is shown."""
    done = page.evaluate("document.getElementById('answer').dataset.answer || '0'")
    page.select_option("#source", source)
    page.fill("#question", question)
    page.press("#question", "Enter")
    page.wait_for_function(
        "done => (document.getElementById('answer').dataset.answer || '0') !== done"
        " || !document.getElementById('error').hidden",
        arg=done,
    )
