"""Schemathesis against the published OpenAPI document, on a real server with auth on.

A `data-assistant serve` process over the demo data (a SQL source and the tickets
container), JWT auth, the offline translator. Every operation of /openapi.json gets
generated requests, valid and invalid, with a deterministic seed and a bounded number of
examples: no answer may be a 5xx, and every answer must be one the document declares, in
its declared shape and content type.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis import GenerationMode, checks

from data_assistant.auth.tokens import mint_token
from data_assistant.sample_data.tickets import ensure_demo_tickets
from tests.ops.live import ServerProcess

SECRET = "fuzz-secret-" + "f" * 32
EXAMPLES = 60  # per operation and mode (valid, invalid); the document has three
NAMES = {"database": "sales", "container": "tickets"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_sqlite_path: Path) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("fuzz")
    config = {
        "data_dir": str(folder / "data"),
        "translator": {"provider": "offline"},
        "sources": {
            "sales": {"url": f"sqlite:///{demo_sqlite_path}", "max_rows": 20},
            "tickets": {
                "kind": "documents",
                "path": str(ensure_demo_tickets(folder, demo_sqlite_path)),
                "max_items": 20,
            },
        },
        "auth": {"mode": "jwt", "jwt": {"secret": SECRET}},
    }
    with ServerProcess(folder, config) as process:
        yield process


TOKEN = mint_token(SECRET, sub="fuzzer", databases=["*"], scopes=["read:data"], ttl_s=3600)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_no_operation_answers_a_5xx_or_outside_its_document(server: ServerProcess) -> None:
    # Loaded from the running server; the strategies are driven by Hypothesis directly
    # (schemathesis' pytest fixture loader does not run under pytest 9).
    api = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert {op.definition.raw["operationId"] for op in operations} >= {
        "querySqlDatabase",
        "queryCosmosDb",
        "listSources",
    }
    for operation, mode in itertools.product(operations, GenerationMode):
        strategy = operation.as_strategy(generation_mode=mode)
        if mode is GenerationMode.POSITIVE:
            # Valid requests name a real source, so that they reach the pipeline.
            strategy = strategy.map(with_real_names)

        @seed(20261205)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def fuzz(case: Any) -> None:
            case.call_and_validate(
                base_url=server.url,
                headers={"Authorization": f"Bearer {TOKEN}"},
                checks=CHECKS,
                timeout=30,
            )

        fuzz()


def with_real_names(case: Any) -> Any:
    if isinstance(case.body, dict):
        for key, name in NAMES.items():
            if key in case.body:
                case.body[key] = name
    return case
