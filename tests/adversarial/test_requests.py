"""Class 10, at the HTTP layer: bodies, content types, names and sizes an attacker sends
directly. Each gets a clear 4xx (or a normal answer), never a 500, never anything hidden."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.adversarial.harness import hole_marks

C = "novel"
SQL = "/api/v1/query/sql"


@dataclass(frozen=True)
class Send:
    """A raw request: `content` as bytes or text, or `json` built from the world."""

    name: str
    content: str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    path: str = SQL
    # Any clear refusal (4xx); `answers` also allows a normal answer.
    answers: bool = False
    hole: str | None = None


def body(**fields: Any) -> str:
    return json.dumps({"database": "shop_a", "question": "products?", **fields})


SENDS = [
    Send("not-json", "database=shop_a&question=x"),
    Send("json-array", "[]"),
    Send("json-null", "null"),
    Send("truncated-json", '{"database": "shop_a", "question": '),
    Send("database-as-list", '{"database": ["shop_a", "payroll"], "question": "x"}'),
    Send("database-as-object", '{"database": {"$ne": ""}, "question": "x"}'),
    Send("database-as-number", '{"database": 1, "question": "x"}'),
    Send("question-as-object", '{"database": "shop_a", "question": {"a": 1}}'),
    Send("missing-question", '{"database": "shop_a"}'),
    Send("max-rows-negative", body(max_rows=-5), answers=True),
    Send("max-rows-as-text", body(max_rows="1e9"), answers=True),
    Send("max-rows-huge-number", body(max_rows=10**30), answers=True),
    Send("max-rows-float", body(max_rows=1.5), answers=True),
    Send("unknown-field", body(sql="SELECT token FROM secrets"), answers=True),
    Send(
        "duplicate-database-key",
        '{"database": "payroll", "question": "x", "database": "shop_a"}',
        answers=True,
    ),
    Send("database-with-nul", body(database="shop_a\u0000")),
    Send("database-with-path", body(database="../shop_a")),
    Send("database-with-trailing-space", body(database="shop_a ")),
    Send("database-in-capitals", body(database="SHOP_A")),
    Send("question-with-nul", body(question="products\u0000?"), answers=True),
    Send("long-question", body(question="products? " * 20_000), answers=True),
    Send("five-megabyte-question", body(question="x" * 5_000_000), answers=True),
    Send(
        "deeply-nested-json",
        '{"database": "shop_a", "question": "x", "q": ' + "[" * 5000 + "]" * 5000 + "}",
        answers=True,
    ),
    Send(
        "utf16-body",
        body().encode("utf-16"),
        headers={"content-type": "application/json; charset=utf-16"},
        answers=True,
    ),
    Send("invalid-utf8-body", b'{"database": "shop_a", "question": "\xff\xfe"}'),
    Send("text-plain-body", body(), headers={"content-type": "text/plain"}),
    Send(
        "form-content-type", body(), headers={"content-type": "application/x-www-form-urlencoded"}
    ),
    Send("multipart-content-type", body(), headers={"content-type": "multipart/form-data"}),
    Send("get-on-query", None, method="GET"),
    Send("put-on-query", body(), method="PUT"),
    Send("encoded-dots-in-refresh", None, path="/api/v1/sources/%2e%2e/refresh"),
    Send("encoded-slash-in-refresh", None, path="/api/v1/sources/shop_a%2f..%2fpayroll/refresh"),
    Send(
        "nul-in-refresh-path",
        None,
        path="/api/v1/sources/shop_a%00/refresh",
    ),
    Send(
        "very-long-path",
        None,
        method="GET",
        path="/api/v1/" + "a" * 20_000,
    ),
]


def params() -> list[Any]:
    out = []
    for s in SENDS:
        out.append(pytest.param(s, id=f"sqlite-{C}-http-{s.name}", marks=hole_marks(C, s.hole)))
    return out


@pytest.mark.parametrize("send", params())
def test_a_raw_request_gets_a_clear_answer_and_nothing_hidden(sqlite_world, send):
    world = sqlite_world
    world.stub.replies.clear()
    world.stub.sql("SELECT name FROM products")
    headers = {"content-type": "application/json", **world.headers(), **send.headers}
    with httpx.Client(timeout=120) as client:
        response = client.request(
            send.method, world.url + send.path, headers=headers, content=send.content
        )
    clear = 400 <= response.status_code < 500 or (send.answers and response.status_code == 200)
    assert clear, (response.status_code, response.text[:300])
    text = response.text + json.dumps(dict(response.headers))
    assert "Traceback" not in text
    assert not world.markers.find(text)
    assert world.ungranted not in text
    if response.status_code >= 400 and response.text:
        assert response.headers["content-type"].startswith("application/problem+json")
    world.stub.replies.clear()
