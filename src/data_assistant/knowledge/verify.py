"""`golden verify`: each golden query prepared (guard and policies) and run on the live schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from data_assistant.auth.principal import Principal
from data_assistant.errors import DataAssistantError
from data_assistant.knowledge.model import GoldenQuery


@dataclass(frozen=True)
class VerifyResult:
    """Whether one golden query still works, and why not."""

    golden: GoldenQuery
    ok: bool
    reason: str | None = None


def verify_golden(
    source: Any, golden: Sequence[GoldenQuery], principal: Principal
) -> list[VerifyResult]:
    """Prepare and run each golden query for one row, under `principal`'s policies."""
    results = []
    for entry in golden:
        try:
            source.run(source.prepare(entry.query, 1, principal))
        except DataAssistantError as exc:
            results.append(VerifyResult(entry, False, exc.reason))
            continue
        results.append(VerifyResult(entry, True))
    return results
