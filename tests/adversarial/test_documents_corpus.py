"""The document corpus: attacks on the local container engine (Cosmos DB query language)
with a row filter, through the real server (see README.md)."""

from __future__ import annotations

import pytest

from tests.adversarial.cases import documents, metadata
from tests.adversarial.conftest import run_sql_case
from tests.adversarial.harness import params


@pytest.mark.parametrize(
    ("engine", "attack"), params([*documents.CASES, *metadata.DOC_CASES], ("documents",))
)
def test_a_document_attack_shows_nothing_hidden(engine, attack, documents_world):
    run_sql_case(documents_world, attack, documents=True)
