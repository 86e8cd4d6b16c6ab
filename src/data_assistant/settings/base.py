"""The base of every settings model, and the one way a validation error becomes a message."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

# Tags of the source kinds, which pydantic puts in an error's location but a user never
# writes (sources.NAME.sql.max_rows).
SOURCE_KIND_TAGS = ("sql", "documents", "cosmos")


class Frozen(BaseModel):
    """A settings model: a typo fails at start, and nothing changes a value after load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def first_error(exc: ValidationError) -> tuple[list[str], str]:
    """The location (as the user writes keys) and message of a validation error's first
    problem."""
    first = exc.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if len(loc) > 2 and loc[0] == "sources" and loc[2] in SOURCE_KIND_TAGS:
        del loc[2]
    return loc, first["msg"]
