"""The real server on a loopback port: uvicorn in a thread, or `data-assistant serve`."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn

from data_assistant.app import create_app
from data_assistant.settings import load_settings


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_in_thread(config: Path) -> Iterator[str]:
    """Serve the app built from the YAML file `config` (settings read only from it) with
    uvicorn on a thread; yields the base URL."""
    settings = load_settings(config, environ={})
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start for {config}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        assistant = getattr(app.state, "assistant", None)
        if assistant is not None and hasattr(assistant, "close"):
            assistant.close()


@contextlib.contextmanager
def serve_command(args: list[str], env: dict[str, str], cwd: Path) -> Iterator[str]:
    """Run `data-assistant serve ARGS --port P` as a child process; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "data_assistant.cli", "serve", *args, "--port", str(port)]
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("DATA_ASSISTANT_")}
    child_env.update(env)
    process = subprocess.Popen(
        command, cwd=cwd, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"serve exited with {process.returncode}: {err[-2000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not answer /healthz in 60 s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
