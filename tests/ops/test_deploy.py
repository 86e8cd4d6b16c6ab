"""The deployment files say only what the code does: every command and option they run
exists, the ports and health path match, the configuration they mount loads.

No image can be built or pulled here (no Docker engine), so the files are parsed and
checked against the CLI and the app rather than run.
"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from fastapi.testclient import TestClient
from typer import _click as click  # typer carries its own copy of click

from data_assistant.app import create_app
from data_assistant.cli import app as cli
from data_assistant.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
CONFIG = ROOT / "deploy" / "data-assistant.yaml"
UNIT = ROOT / "deploy" / "data-assistant.service"
ENV_EXAMPLE = ROOT / "deploy" / "example.env"


def check_command(argv: list[str]) -> click.Context:
    """Parse `argv` (starting with `data-assistant`) with the real CLI; fail on anything it
    does not know. Returns the subcommand's parsed context."""
    assert argv[0] == "data-assistant", argv
    group: Any = typer.main.get_command(cli)
    name, args = argv[1], argv[2:]
    command = group.get_command(click.Context(group), name)
    assert command is not None, f"no command {name!r}"
    try:
        return command.make_context(name, list(args))
    except click.exceptions.UsageError as exc:
        pytest.fail(f"{shlex.join(argv)}: {exc.format_message()}")


def expand(text: str, env: dict[str, str]) -> str:
    """${VAR}, ${VAR:-default} and ${VAR:?message} as compose and the config expand them."""

    def value(match: re.Match[str]) -> str:
        name, _, default = match.group(1).partition(":")
        return env.get(name, default.lstrip("-?") if default.startswith("-") else "x")

    return re.sub(r"\$\{([^}]+)\}", value, text)


def example_env() -> dict[str, str]:
    pairs = [
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    ]
    return {k: v for k, v in pairs}


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [tuple(line.split(None, 1)) for line in lines if not line.startswith("#")]  # type: ignore[misc]


def json_form(arguments: str) -> list[str]:
    import json

    return json.loads(arguments)


def test_the_image_is_slim_runs_as_a_user_and_checks_health_on_the_served_port() -> None:
    instructions = dockerfile()
    images = [args.split()[0] for kind, args in instructions if kind == "FROM"]
    assert images and all(image.endswith("-slim") for image in images)
    users = [args for kind, args in instructions if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    expose = [args for kind, args in instructions if kind == "EXPOSE"]
    cmd = json_form(next(args for kind, args in instructions if kind == "CMD"))
    context = check_command(cmd)
    assert expose == [str(context.params["port"])]
    health = next(args for kind, args in instructions if kind == "HEALTHCHECK")
    assert f"http://127.0.0.1:{context.params['port']}/healthz" in health
    assert ("STOPSIGNAL", "SIGTERM") in instructions


def compose() -> dict[str, Any]:
    return yaml.safe_load(expand(COMPOSE.read_text(), example_env()))


def test_every_command_compose_runs_with_the_image_exists() -> None:
    services = compose()["services"]
    ours = {name: s for name, s in services.items() if "build" in s}
    assert set(ours) == {"load-demo", "data-assistant"}
    for service in ours.values():
        assert (COMPOSE.parent / service["build"] / "Dockerfile").is_file()
        check_command([str(part) for part in service["command"]])


def test_compose_publishes_the_served_port_and_loads_the_demo_into_its_postgres() -> None:
    services = compose()["services"]
    serve = check_command([str(p) for p in services["data-assistant"]["command"]])
    assert services["data-assistant"]["ports"] == [f"{serve.params['port']}:{serve.params['port']}"]
    load = check_command([str(p) for p in services["load-demo"]["command"]])
    assert load.params["into"].startswith("postgresql://postgres:")
    assert "@postgres:5432/sales" in load.params["into"]
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "sales"
    depends = services["data-assistant"]["depends_on"]
    assert depends["load-demo"]["condition"] == "service_completed_successfully"


def test_the_mounted_configuration_loads_and_uses_the_compose_services(tmp_path: Path) -> None:
    services = compose()["services"]
    mounts = services["data-assistant"]["volumes"]
    mounted = next(m for m in mounts if m.endswith(":/app/data-assistant.yaml:ro"))
    assert (COMPOSE.parent / mounted.split(":")[0]).resolve() == CONFIG
    serve = check_command([str(p) for p in services["data-assistant"]["command"]])
    assert serve.params["config"] == Path("/app/data-assistant.yaml")
    env = {**example_env(), "BASE_URL": "https://data.example.com"}
    settings = load_settings(CONFIG, environ=env)
    assert settings.redis_url == "redis://redis:6379/0" and "redis" in services
    assert "@postgres:5432/sales" in settings.sources["sales"].url
    assert settings.auth.mode != "none"  # it listens on 0.0.0.0
    assert settings.metrics.token is not None
    # compose waits this long after SIGTERM before it kills.
    grace = int(services["data-assistant"]["stop_grace_period"].rstrip("s"))
    assert settings.server.shutdown_timeout_s < grace
    local = settings.merged(
        {"data_dir": str(tmp_path), "audit": {"path": str(tmp_path / "audit.jsonl")}}
    )
    # Without entering the client the app does not start (nor reach for `postgres`).
    assert TestClient(create_app(local)).get("/healthz").status_code == 200


def test_the_systemd_unit_runs_serve_as_its_own_user_and_stops_gracefully() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/data-assistant")
    context = check_command(["data-assistant", *argv[1:]])
    assert context.info_name == "serve"
    assert service["User"] not in ("root", "0")
    assert service["KillSignal"] == "SIGTERM"
    default_grace = load_settings(None, environ={}).server.shutdown_timeout_s
    assert int(service["TimeoutStopSec"]) > default_grace
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_a_misspelt_option_is_caught_by_the_check() -> None:
    with pytest.raises(pytest.fail.Exception, match="No such option"):
        check_command(["data-assistant", "serve", "--wokers", "2"])
