"""Real server processes for the production tests: `data-assistant serve` as an operator runs it.

A `ServerProcess` writes a configuration file, starts the command in a subprocess on a free
loopback port, waits until /healthz answers, and stops it with a signal, keeping what it
logged. Nothing of the test process is shared with it but the files and servers named in
its configuration.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

# Variables of the test's own environment that must not reach the server as settings.
_SCRUBBED = ("DATA_ASSISTANT_", "OPENAI_", "AZURE_OPENAI_", "OTEL_", "PROMETHEUS_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """One `data-assistant serve` process on a loopback port."""

    def __init__(
        self,
        folder: Path,
        config: dict[str, Any],
        *,
        name: str = "server",
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.folder = folder
        self.name = name
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config_path = folder / f"{name}.yaml"
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        self.log_path = folder / f"{name}.log"
        self.args = args
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
        self.env.update(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, wait_s: float = 60.0) -> ServerProcess:
        command = [
            sys.executable,
            "-m",
            "data_assistant.cli",
            "serve",
            "--config",
            str(self.config_path),
            "--port",
            str(self.port),
            *self.args,
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited at start:\n{self.log()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop(signal.SIGKILL)
        raise AssertionError(f"{self.name} did not answer /healthz:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, *, wait_s: float = 30.0) -> int:
        """Signal the process and wait for it; its exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            message = f"{self.name} did not stop within {wait_s} s:\n{self.log()}"
            raise AssertionError(message) from None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_records(self) -> list[dict[str, Any]]:
        """The JSON log lines (logs.format: json) it wrote."""
        records = []
        for line in self.log().splitlines():
            if line.startswith("{"):
                records.append(json.loads(line))
        return records

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.stop()


def llm_config(url: str, **overrides: Any) -> dict[str, Any]:
    """The translator section for the loopback chat stub."""
    return {
        "provider": "openai",
        "base_url": url,
        "api_key": "test-key",
        "model": "stub",
        "max_retries": 0,
        **overrides,
    }
