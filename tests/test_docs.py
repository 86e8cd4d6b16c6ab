"""Drift becomes a failing test: every setting and every command is in the README."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from data_assistant.cli import app as cli
from data_assistant.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
# Keys written in the YAML reference: "  name:" at the start of a line, or "{name:".
DOCUMENTED = set(re.findall(r"^\s*#?\s*(?:- )?([a-z_]+):", README, re.MULTILINE)) | set(
    re.findall(r"[{,]\s*([a-z_]+):", README)
)


def keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted setting names of a model and its nested models."""
    found = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = field.alias or name
        found.append(prefix + key)
        for candidate in models_in(field.annotation):
            found += keys(candidate, f"{prefix}{key}.")
    return found


def models_in(annotation: object) -> list[type[BaseModel]]:
    """The models inside an annotation: unions, Annotated, lists and dict values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in models_in(arg)]


SETTINGS = sorted(set(keys(Settings)))


@pytest.mark.parametrize("key", SETTINGS)
def test_every_setting_is_in_the_configuration_reference(key):
    assert key.rsplit(".", 1)[-1] in DOCUMENTED, f"{key} is not documented in README.md"


@pytest.mark.parametrize(
    "command", [c.name or c.callback.__name__ for c in cli.registered_commands]
)
def test_every_command_is_in_the_readme(command):
    assert f"data-assistant {command}" in README
