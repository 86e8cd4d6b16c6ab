"""Class 7: metadata leaks around the questions — what an unauthenticated caller learns,
suggestions and errors that name sources the token does not grant, schema refresh without
limits or audit. (What the translator is sent is checked in the SQL and document corpora.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.adversarial import worlds
from tests.adversarial.harness import Outcome, check, hole_marks
from tests.adversarial.worlds import World
from tests.llm_stub import ChatStub

C = "metadata"
SURFACE = """rate_limit:
  per_minute: 1
  burst: 2
audit:
  path: $DIR/audit.jsonl
"""


@pytest.fixture(scope="module")
def surface(redteam_stub: ChatStub) -> Iterator[World]:
    """The SQLite twins behind a rate limit of two questions, with an audit log."""
    with worlds.sqlite_world(redteam_stub, extra=SURFACE) as world:
        yield world


def names(world: World) -> list[str]:
    return [*world.sources, world.ungranted]


PUBLIC = [
    ("/readyz", None),
    ("/healthz", None),
    ("/openapi.json", None),
    ("/openapi.yaml", None),
    ("/.well-known/ai-plugin.json", None),
    ("/docs", None),
    ("/api/v1/sources", None),
    ("/legal", None),
    ("/api/v1/sources/shop_a/refresh", None),
]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=f"sqlite-{C}-public-{p.strip('/')}", marks=hole_marks(C, h))
        for p, h in PUBLIC
    ],
)
def test_an_unauthenticated_caller_learns_no_source_name(sqlite_world, path):
    method = "POST" if path.endswith("refresh") else "GET"
    response = httpx.request(method, sqlite_world.url + path, timeout=30)
    text = response.text + json.dumps(dict(response.headers))
    assert response.status_code != 500
    # A name the caller put in the path is no news to it.
    assert not [n for n in names(sqlite_world) if n in text and n not in path], text[:400]
    assert not sqlite_world.markers.find(text)


def ask_database(world: World, database: str, **claims: Any) -> httpx.Response:
    world.stub.replies.clear()
    world.stub.sql("SELECT name FROM products")
    return httpx.post(
        world.url + "/api/v1/query/sql",
        json={"database": database, "question": "products?"},
        headers=world.headers(**claims),
        timeout=30,
    )


def test_a_misspelt_grant_never_suggests_an_ungranted_source(sqlite_world):
    # The token grants a name no source has (a stale or misspelt grant) close to one it
    # does not grant: the 404 may say there is no such source, nothing more.
    guess = sqlite_world.ungranted[:-1]
    response = ask_database(sqlite_world, guess, databases=[*sqlite_world.sources, guess])
    assert response.status_code == 404
    assert sqlite_world.ungranted not in response.text


def test_a_misspelt_grant_gets_a_clear_404(sqlite_world):
    response = ask_database(sqlite_world, "shop_x", databases=[*sqlite_world.sources, "shop_x"])
    assert response.status_code == 404


def scrub(response: httpx.Response, *names: str) -> tuple[int, str]:
    text = response.text
    for name in names:
        text = text.replace(name, "NAME")
    return response.status_code, text


def test_an_ungranted_source_looks_like_an_unknown_one(sqlite_world):
    unknown = sqlite_world.ungranted.replace("payroll", "nothing")
    a = ask_database(sqlite_world, sqlite_world.ungranted)
    b = ask_database(sqlite_world, unknown)
    assert scrub(a, sqlite_world.ungranted) == scrub(b, unknown)


def test_refreshing_an_ungranted_source_looks_like_an_unknown_one(sqlite_world):
    unknown = sqlite_world.ungranted.replace("payroll", "nothing")
    responses = [
        httpx.post(
            f"{sqlite_world.url}/api/v1/sources/{name}/refresh",
            headers=sqlite_world.headers(),
            timeout=30,
        )
        for name in (sqlite_world.ungranted, unknown)
    ]
    assert scrub(responses[0], sqlite_world.ungranted) == scrub(responses[1], unknown)


def test_a_wildcard_value_in_the_token_claim_grants_nothing(sqlite_world):
    # The configured sources are intersected with the names the token lists; '*' names none.
    response = ask_database(sqlite_world, sqlite_world.ungranted, databases=["*"])
    assert response.status_code in (403, 404)


def test_only_granted_sources_are_listed(sqlite_world):
    response = httpx.get(
        sqlite_world.url + "/api/v1/sources", headers=sqlite_world.headers(), timeout=30
    )
    assert sorted(s["name"] for s in response.json()["sources"]) == sorted(sqlite_world.sources)


def test_questions_are_rate_limited(surface):
    statuses = [ask_database(surface, "shop_a", sub="rate-q").status_code for _ in range(3)]
    assert statuses[-1] == 429, statuses


def test_schema_refresh_is_rate_limited(surface):
    statuses = [
        httpx.post(
            surface.url + "/api/v1/sources/shop_a/refresh",
            headers=surface.headers(sub="rate-r"),
            timeout=30,
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429, statuses


def test_schema_refresh_is_audited(surface):
    httpx.post(
        surface.url + "/api/v1/sources/shop_b/refresh",
        headers=surface.headers(sub="auditor-probe"),
        timeout=30,
    )
    audit = surface.config.parent / "audit.jsonl"
    records = (
        [json.loads(line) for line in audit.read_text().splitlines()] if audit.exists() else []
    )
    assert any("auditor-probe" in json.dumps(r) for r in records), records[-3:]


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param(e, id=f"{e}-{C}-describe-source")
        for e in ("sqlite", "postgres", "mariadb", "duckdb", "documents")
    ],
)
def test_the_schema_a_caller_can_read_shows_nothing_hidden(engine, world_for):
    # describeSource returns the schema the caller's translator is sent: the same rule.
    world = world_for(engine)
    outcomes = []
    for source in world.sources:
        response = httpx.get(
            f"{world.url}/api/v1/sources/{source}/schema", headers=world.headers(), timeout=30
        )
        outcomes.append(
            Outcome(source, response.status_code, dict(response.headers), response.text, "", [], 0)
        )
    assert outcomes[0].status == 200, outcomes[0].text[:300]
    problems = check(world, outcomes)
    assert not problems, "\n".join(problems)
