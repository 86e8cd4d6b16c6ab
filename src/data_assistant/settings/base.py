"""The base of every settings model: unknown keys are errors, values frozen once loaded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A settings model: a typo fails at start, and nothing changes a value after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)
