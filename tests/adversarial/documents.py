"""The document world: twin local containers (Cosmos DB query language) with a row filter
by tenant, the same visible tickets, and other tenants' tickets full of markers."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from tests.adversarial.markers import Markers
from tests.adversarial.served import serve_in_thread
from tests.adversarial.shop import TENANT
from tests.adversarial.worlds import (
    ANSWER_CAP,
    TIMEOUT_S,
    World,
    file_fingerprint,
    marker_folder,
    write_config,
)
from tests.llm_stub import ChatStub

DOC_SOURCES = ("tickets_a", "tickets_b")
VISIBLE = [
    {
        "id": "t1",
        "subject": "Anvil arrived dented",
        "priority": 2,
        "status": "open",
        "tags": ["shipping", "damage"],
        "customer": {"name": "Ada", "tier": "gold"},
    },
    {
        "id": "t2",
        "subject": "Rocket will not start",
        "priority": 1,
        "status": "closed",
        "tags": ["product"],
        "customer": {"name": "Cy", "tier": "silver"},
    },
    {
        "id": "t3",
        "subject": "Invoice question",
        "priority": 3,
        "status": "open",
        "tags": [],
        "customer": {"name": "Eve", "tier": "gold"},
    },
]
HIDDEN_COUNT = {"a": 2, "b": 3}


def tickets(name: str, markers: Markers) -> list[dict[str, Any]]:
    """The twin's documents: the visible ones, then other tenants' (different per twin)."""
    docs = [{**d, "tenantId": TENANT} for d in VISIBLE]
    other = markers.new(f"twin {name}: another tenant's id (documents)")
    for n in range(HIDDEN_COUNT[name]):
        docs.append(
            {
                "id": f"h{n}",
                "tenantId": other,
                "subject": markers.new(f"twin {name}: hidden ticket subject"),
                "priority": 9 + n,
                "status": "open" if n == 0 else markers.new(f"twin {name}: hidden status"),
                "tags": [markers.new(f"twin {name}: hidden tag"), "shipping"],
                "customer": {"name": markers.new(f"twin {name}: hidden customer"), "tier": "gold"},
                # A nested object that itself claims the visible tenant: an alias that binds
                # to it must not pass the filter.
                "forwarded": {"tenantId": TENANT, "note": markers.new(f"twin {name}: forwarded")},
                "regex": "(a+)+$" if n == 0 else "[",
            }
        )
    return docs


@contextlib.contextmanager
def documents_world(stub: ChatStub) -> Iterator[World]:
    markers = Markers()
    with marker_folder(markers) as folder:
        paths = []
        sources = ""
        for name, source in zip(("a", "b"), DOC_SOURCES, strict=True):
            path = folder / f"{source}.jsonl"
            path.write_text("\n".join(json.dumps(d) for d in tickets(name, markers)) + "\n")
            paths.append(path)
            sources += (
                f"  {source}:\n"
                "    kind: documents\n"
                f"    path: {json.dumps(str(path))}\n"
                f"    timeout_s: {TIMEOUT_S}\n"
                "    max_items: 50\n"
                f"    max_answer_bytes: {ANSWER_CAP}\n"
                '    row_filter: "c.tenantId = @claims.tenant"\n'
            )
        vault = folder / "vault.jsonl"
        vault.write_text(json.dumps({"id": "v1", "secret": markers.new("another container")}))
        sources += f"  vault:\n    kind: documents\n    path: {json.dumps(str(vault))}\n"
        paths.append(vault)
        config = write_config(folder, stub, sources)
        with serve_in_thread(config) as url:
            yield World(
                engine="documents",
                url=url,
                stub=stub,
                markers=markers,
                fingerprint=lambda: file_fingerprint(*paths),
                config=config,
                ungranted="vault",
                sources=DOC_SOURCES,
                secret_file=folder / "secret.txt",
            )
