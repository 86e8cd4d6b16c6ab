"""Fixtures: one LLM stand-in, and one world (twin databases + a real server) per engine."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.adversarial import documents, worlds
from tests.adversarial.harness import Case, ask, ask_mcp, check, shared_client, unchanged
from tests.adversarial.worlds import World
from tests.llm_stub import ChatServer, ChatStub
from tests.servers import MARIADB, POSTGRES, require_module


@pytest.fixture(scope="session")
def redteam_stub() -> Iterator[ChatStub]:
    """The chat-completions stand-in every world's translator talks to."""
    with ChatServer() as stub:
        yield stub


@pytest.fixture(scope="session")
def sqlite_world(redteam_stub: ChatStub) -> Iterator[World]:
    with worlds.sqlite_world(redteam_stub) as world:
        yield world


@pytest.fixture(scope="session")
def duckdb_world(redteam_stub: ChatStub) -> Iterator[World]:
    require_module("duckdb_engine", "duckdb duckdb-engine")
    with worlds.duckdb_world(redteam_stub) as world:
        yield world


@pytest.fixture(scope="session")
def postgres_world(redteam_stub: ChatStub) -> Iterator[World]:
    POSTGRES.check()
    with worlds.postgres_world(redteam_stub, POSTGRES) as world:
        yield world


@pytest.fixture(scope="session")
def mariadb_world(redteam_stub: ChatStub) -> Iterator[World]:
    MARIADB.check()
    with worlds.mariadb_world(redteam_stub, MARIADB) as world:
        yield world


@pytest.fixture(scope="session")
def documents_world(redteam_stub: ChatStub) -> Iterator[World]:
    with documents.documents_world(redteam_stub) as world:
        yield world


@pytest.fixture
def world_for(request: pytest.FixtureRequest):
    """The world of an engine, by name."""
    return lambda engine: request.getfixturevalue(f"{engine}_world")


_baselines: dict[int, object] = {}


def baseline(world: World) -> object:
    """The world's fingerprint once the server has settled: the schema read at start-up
    (a background thread, holding locks while it reads) finished for every source."""
    key = id(world)
    if key not in _baselines:
        for source in world.sources:
            shared_client().get(
                f"{world.url}/api/v1/sources/{source}/schema", headers=world.headers()
            )
        previous, current = None, world.fingerprint()
        for _ in range(40):
            if current == previous:
                break
            time.sleep(0.25)
            previous, current = current, world.fingerprint()
        _baselines[key] = current
    return _baselines[key]


def run_mcp_case(world: World, case: Case) -> None:
    """Run `case`'s first query as an MCP client's own query against both twins."""
    baseline(world)
    outcomes = [
        ask_mcp(world, source, case.queries[0], claims=case.claims) for source in world.sources
    ]
    problems = check(world, outcomes, differential=case.differential)
    if case.refused:
        problems += [
            f"{o.source}: expected a refusal, got {o.text[:300]}"
            for o in outcomes
            if '"isError":true' not in o.text.replace(" ", "") and o.status < 400
        ]
    changed, _baselines[id(world)] = unchanged(world, _baselines[id(world)])
    problems += changed
    assert not problems, "\n".join(problems)


def run_sql_case(world: World, case: Case, *, documents: bool = False) -> None:
    """Run `case` against both twins of `world` and fail with every problem found."""
    key = id(world)
    baseline(world)
    outcomes = [
        ask(
            world,
            source,
            case.queries,
            question=case.question,
            claims=case.claims,
            body=case.body,
            documents=documents,
        )
        for source in world.sources
    ]
    problems = check(
        world,
        outcomes,
        refused=case.refused,
        differential=case.differential,
        schema_prompt=case.schema_prompt,
    )
    changed, _baselines[key] = unchanged(world, _baselines[key])
    problems += changed
    assert not problems, "\n".join(problems)


# Resource cases: generous bounds, far above what a bounded server needs, far below what an
# unbounded one takes; they only catch a freeze or a runaway, never measure speed.
RESOURCE_SECONDS = 20.0
HEALTH_STALL_S = 1.5
# The sources' byte cap, and room for the answer's own fields.
ANSWER_BYTES = worlds.ANSWER_CAP + 100_000


def run_resource_case(world: World, case: Case, *, documents: bool = False) -> None:
    """Run `case` against the first twin while /healthz is polled: a clean 4xx/504 (or a
    bounded, truncated answer) within bounded time, never a 500, the server answering
    meanwhile, nothing changed, nothing hidden shown."""
    key = id(world)
    baseline(world)
    # When each /healthz answer came back: the longest gap between two is how long the
    # server (and, for a GIL held by the server thread, this whole process) stood still.
    answered: list[float] = [time.monotonic()]
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                try:
                    client.get(world.url + "/healthz")
                except httpx.HTTPError:
                    continue
                answered.append(time.monotonic())
                done.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        outcome = ask(
            world,
            world.sources[0],
            case.queries,
            question=case.question,
            claims=case.claims,
            body=case.body,
            documents=documents,
        )
    finally:
        answered.append(time.monotonic())
        done.set()
        poller.join(timeout=30)
    stall = max(b - a for a, b in itertools.pairwise(answered))
    problems = check(world, [outcome], refused=case.refused, differential=False)
    if outcome.status not in (200, 504) and not 400 <= outcome.status < 500:
        problems.append(f"status {outcome.status}")
    if outcome.seconds > RESOURCE_SECONDS:
        problems.append(f"the answer took {outcome.seconds:.1f} s")
    if stall > HEALTH_STALL_S:
        problems.append(f"/healthz stood still for {stall:.1f} s meanwhile")
    size = len(outcome.text.encode())
    if size > ANSWER_BYTES:
        problems.append(f"the answer is {size:,} bytes, over max_answer_bytes")
    changed, _baselines[key] = unchanged(world, _baselines[key])
    problems += changed
    assert not problems, "\n".join(problems)
