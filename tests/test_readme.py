"""The newcomer's path: every shell example in the README runs as written.

The README's ```sh blocks run in order, in one bash session (variables carry from block to
block), in a fresh working folder holding copies of `examples/` and `evals/`, as if it
were this repository's folder on a new machine. A line that starts a server (`demo`,
`serve`) starts it in the background on a free port and waits for it to answer, stopping
the one before; URLs to 127.0.0.1:8000 go to that port. The blocks listed in NOT_RUN are
left out, each with its reason (they install, or need a cloud account or a server of yours).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# A block is not run when it holds one of these; the reason is said in the skip.
NOT_RUN = {
    "&& pytest": "runs this test suite",
    "postgresql://postgres@127.0.0.1/demo": "loads into a database server you name",
    "docker compose": "needs a Docker engine",
}
PROMPT_ANSWERS = "a long readme passphrase\n" * 4
# The package is installed already: `pip install ... &&` is dropped from a line.
INSTALL = re.compile(r"^pip install \S+ && ")


def shell_blocks(text: str) -> list[tuple[str, str]]:
    """(heading, code) of every ```sh block, in order."""
    blocks, heading = [], ""
    for match in re.finditer(r"^(#{2,4} [^\n]+)$|^```sh\n(.*?)^```", text, re.M | re.S):
        if match.group(1):
            heading = match.group(1).lstrip("# ")
        else:
            blocks.append((heading, match.group(2)))
    return blocks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Each block runs in bash with these helpers: `background` starts a server (stopping the
# one before) and waits until it answers; state is kept in `state.sh` between blocks.
PRELUDE = r"""
set -eu
set -a
[ -f state.sh ] && . ./state.sh
background() {
  if [ -f server.pid ]; then kill "$(cat server.pid)" 2>/dev/null || true; sleep 0.5; fi
  "$@" > server.log 2>&1 &
  echo $! > server.pid
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; then return 0; fi
    if ! kill -0 "$(cat server.pid)" 2>/dev/null; then cat server.log >&2; return 1; fi
    sleep 0.2
  done
  cat server.log >&2
  return 1
}
"""
EPILOGUE = "\nexport -p | grep -v -E ' (PWD|OLDPWD|SHLVL|PORT|_)=' > state.sh\n"


def runnable(code: str, port: int) -> str:
    """The block as the test runs it: servers in the background on `port`."""
    lines = []
    for line in code.replace("\\\n", " ").splitlines():
        line = INSTALL.sub("", line)
        command = line.split("#", 1)[0].strip()
        if re.match(r"^data-assistant (serve|demo)\b", command) and "--into" not in command:
            if "--port" in command:
                command = re.sub(r"--port \d+", f"--port {port}", command)
            else:
                command += f" --port {port}"
            line = f"background {command}"
        lines.append(line.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory):
    """A working folder like this repository's: the examples and question sets."""
    path = tmp_path_factory.mktemp("newcomer")
    for name in ("examples", "evals"):
        shutil.copytree(ROOT / name, path / name)
    yield path
    pid_file = path / "server.pid"
    if pid_file.exists():
        subprocess.run(["kill", pid_file.read_text().strip()], check=False)


def environment(port: int) -> dict[str, str]:
    """A newcomer's environment: no config, no LLM key, the installed command on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATA_ASSISTANT_", "OPENAI_", "AZURE_OPENAI_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PORT"] = str(port)
    return env


BLOCKS = shell_blocks(README.read_text())


def test_the_readme_has_the_two_setup_commands():
    codes = [code.strip() for _, code in BLOCKS]
    assert codes[0] == "pip install . && data-assistant demo"
    assert "pip install -e '.[test]' && pytest" in codes


def test_every_shell_example_runs_as_written(folder: Path):
    port = free_port()
    env = environment(port)
    outputs: dict[str, str] = {}
    for heading, code in BLOCKS:
        if any(marker in code for marker in NOT_RUN):
            continue
        script = PRELUDE + runnable(code, port) + EPILOGUE
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=folder,
            env=env,
            # What a person types at a prompt (a password, and its confirmation).
            input=PROMPT_ANSWERS,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (
            f"README block under '{heading}' failed:\n{code}\n"
            f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
        )
        for line in result.stdout.splitlines():
            if line.startswith("{") and '"type": "https://' in line:
                problem = json.loads(line)
                assert problem["status"] == 404, f"'{heading}' answered a problem: {line}"
        outputs[code] = result.stdout
    assert len(outputs) >= 5
    # The demo answers the first example with rows and the query that found them.
    first = next(code for code in outputs if "top 5 customers by revenue" in code)
    answer = json.loads(outputs[first])
    assert len(answer["results"]) == 5 and "LIMIT" in answer["sql"].upper()
