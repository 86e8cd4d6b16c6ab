"""What operators see: request ids, /metrics and who may read it, the counts and timings it
shows, OpenTelemetry spans per pipeline step, JSON log lines."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.auth.tokens import mint_token
from data_assistant.observe import metrics
from data_assistant.observe.logs import JsonFormatter, RequestIdFilter
from data_assistant.settings import Settings
from data_assistant.sources.gate import FairGate
from tests.conftest import LOCAL
from tests.llm_stub import ChatStub, Reply
from tests.ops.test_faults import QUESTION, REGIONS, metric

SECRET = "s" * 40


# --- request ids ----------------------------------------------------------------------------


def test_every_answer_carries_a_new_request_id_that_the_audit_record_holds(
    make_client, llm: ChatStub, tmp_path: Path
):
    llm.default = Reply(content=REGIONS)
    audit = tmp_path / "audit.jsonl"
    client = make_client(audit={"path": str(audit)})
    first = client.post("/api/v1/query/sql", json=QUESTION)
    second = client.post("/api/v1/query/sql", json=QUESTION)
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [r["request_id"] for r in records] == ids


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("req_123.abc:7", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("two words", False),
        ("-leading-dash", False),
        ("<script>", False),
        ("id\u00e9", False),
        ("", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(make_client, sent, kept):
    client = make_client()
    answer = client.get("/healthz", headers={"x-request-id": sent.encode("utf-8")})
    returned = answer.headers["x-request-id"]
    assert (returned == sent) is kept
    if not kept:
        assert len(returned) == 32


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/no-such-page", {}, 404),
        ("POST", "/api/v1/query/sql", {"content-type": "application/json"}, 400),
        ("GET", "/healthz", {"host": "evil.example"}, 421),
    ],
)
def test_problems_and_refusals_carry_the_request_id_too(make_client, method, path, headers, status):
    client = make_client()
    answer = client.request(method, path, headers={**headers, "x-request-id": "abc"}, content="{")
    assert answer.status_code == status
    assert answer.headers["x-request-id"] == "abc"


def test_log_lines_are_json_with_the_request_id_when_asked():
    formatter = JsonFormatter()
    record = logging.LogRecord("data_assistant", logging.WARNING, __file__, 1, "a %s", ("b",), None)
    record.source = "sales"
    RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["message"] == "a b" and line["level"] == "warning"
    assert line["request_id"] is None and line["source"] == "sales"


# --- /metrics: who may read it -------------------------------------------------------------


def test_metrics_are_open_on_a_loopback_address(make_client):
    answer = make_client().get("/metrics")
    assert answer.status_code == 200
    assert "data_assistant_questions_total" in answer.text
    assert answer.headers["content-type"].startswith("text/plain")


def test_metrics_are_refused_on_another_address_without_a_token_or_scope(make_client):
    client = make_client(server={"host": "0.0.0.0"}, auth={"insecure": True})
    answer = client.get("/metrics")
    assert answer.status_code == 403
    assert "metrics.token" in answer.json()["detail"]


def test_a_metrics_token_opens_them_and_nothing_else_does(make_client):
    token = "prometheus-" + "t" * 20
    client = make_client(server={"host": "0.0.0.0"}, metrics={"token": token})
    assert client.get("/metrics").status_code == 401
    assert "Bearer" in client.get("/metrics").headers["www-authenticate"]
    wrong = client.get("/metrics", headers={"authorization": "Bearer " + "t" * 31})
    assert wrong.status_code == 401
    right = client.get("/metrics", headers={"authorization": f"Bearer {token}"})
    assert right.status_code == 200


def test_a_metrics_scope_asks_for_the_callers_own_token_with_that_scope(make_client):
    client = make_client(
        auth={"mode": "jwt", "jwt": {"secret": SECRET}},
        metrics={"scope": "metrics:read"},
    )

    def token(*scopes: str) -> dict[str, str]:
        minted = mint_token(SECRET, sub="ops", databases=[], scopes=list(scopes), ttl_s=60)
        return {"authorization": f"Bearer {minted}"}

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=token("read:data")).status_code == 403
    assert client.get("/metrics", headers=token("metrics:read")).status_code == 200


def test_metrics_can_be_turned_off(make_client, llm: ChatStub):
    llm.default = Reply(content=REGIONS)
    client = make_client(metrics={"enabled": False})
    before = metrics.QUESTIONS.labels("api", "shop", "ask", "200")._value.get()
    assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 200
    assert client.get("/metrics").status_code == 404
    assert metrics.QUESTIONS.labels("api", "shop", "ask", "200")._value.get() == before


# --- /metrics: what it shows ----------------------------------------------------------------


def test_questions_are_counted_by_surface_source_and_status(make_client, llm: ChatStub):
    llm.default = Reply(content=REGIONS)
    client = make_client()
    labels = {"surface": "api", "source": "shop", "action": "ask"}
    before = metric(client, "data_assistant_questions_total", status="200", **labels)
    unknown = metric(
        client, "data_assistant_questions_total", source="(unknown)", status="404", action="ask"
    )
    assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 200
    typo = client.post("/api/v1/query/sql", json={**QUESTION, "database": "shopp-" + "x" * 50})
    assert typo.status_code == 404
    after = metric(client, "data_assistant_questions_total", status="200", **labels)
    assert after == before + 1
    assert (
        metric(
            client,
            "data_assistant_questions_total",
            source="(unknown)",
            status="404",
            action="ask",
        )
        == unknown + 1
    )
    assert "shopp-" not in client.get("/metrics").text  # a client's words are never a label


def test_each_pipeline_step_is_timed_and_the_count_when_rows_are_cut(make_client, llm: ChatStub):
    llm.default = Reply(content="```sql\nSELECT * FROM orders\n```")
    client = make_client()
    steps = ("translate", "prepare", "execute", "count")

    def counts() -> list[float]:
        return [
            metric(client, "data_assistant_step_seconds_count", step=s, source="shop")
            for s in steps
        ]

    before = counts()
    answer = client.post("/api/v1/query/sql", json={**QUESTION, "max_rows": 2})
    assert answer.json()["truncated"] is True
    assert [a - b for a, b in zip(counts(), before, strict=True)] == [1, 1, 1, 1]


def test_translator_calls_and_the_tokens_the_model_reported_are_counted(make_client, llm: ChatStub):
    llm.default = Reply(content=REGIONS)
    client = make_client()
    calls = metric(client, "data_assistant_translator_calls_total", translator="llm", outcome="ok")
    prompt = metric(client, "data_assistant_translator_tokens_total", model="stub", kind="prompt")
    client.post("/api/v1/query/sql", json=QUESTION)
    assert (
        metric(client, "data_assistant_translator_calls_total", translator="llm", outcome="ok")
        == calls + 1
    )
    # The stub reports one prompt token and one completion token per answer.
    assert (
        metric(client, "data_assistant_translator_tokens_total", model="stub", kind="prompt")
        == prompt + 1
    )


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("DELETE FROM orders", "statement"),
        ("SELECT * FROM secrets", "table"),
        ("SELEC nonsense FROM", "parse"),
    ],
)
def test_guard_rejections_are_counted_by_class(make_client, llm: ChatStub, query, reason):
    llm.default = Reply(content=f"```sql\n{query}\n```")
    client = make_client(translator={"max_corrections": 0})
    before = metric(client, "data_assistant_guard_rejections_total", source="shop", reason=reason)
    assert client.post("/api/v1/query/sql", json=QUESTION).status_code == 400
    after = metric(client, "data_assistant_guard_rejections_total", source="shop", reason=reason)
    assert after == before + 1


def test_the_pool_gate_tells_how_many_hold_and_wait():
    told: list[tuple[int, int]] = []
    gate = FairGate(1, listener=lambda held, waiting: told.append((held, waiting)))
    assert gate.acquire(1, "a")
    waiter = threading.Thread(target=lambda: gate.acquire(5, "b"))
    waiter.start()
    while (1, 1) not in told:
        threading.Event().wait(0.01)
    gate.release("a")  # handed straight to b
    waiter.join()
    gate.release("b")
    assert told == [(1, 0), (1, 1), (1, 0), (0, 0)]


def test_pool_gauges_and_the_cache_hook_are_on_the_page(make_client, llm: ChatStub):
    llm.default = Reply(content=REGIONS)
    client = make_client()
    client.post("/api/v1/query/sql", json=QUESTION)
    assert metric(client, "data_assistant_pool_in_use", source="shop") == 0
    assert 'data_assistant_pool_waiting{source="shop"}' in client.get("/metrics").text
    hits = metric(client, "data_assistant_cache_lookups_total", cache="translation", result="hit")
    metrics.cache_lookup("translation", True)
    assert (
        metric(client, "data_assistant_cache_lookups_total", cache="translation", result="hit")
        == hits + 1
    )


# --- tracing --------------------------------------------------------------------------------


class Collector:
    """A loopback OTLP/HTTP receiver: keeps every span it is sent."""

    def __init__(self) -> None:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        spans: list[Any] = []
        self.spans = spans

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                request = ExportTraceServiceRequest.FromString(body)
                for resource in request.resource_spans:
                    for scope in resource.scope_spans:
                        spans.extend(scope.spans)
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_question_is_one_trace_with_a_span_per_step_sent_by_otlp(
    shop_settings: Settings, llm: ChatStub, monkeypatch
):
    collector = Collector()
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url)
    llm.default = Reply(content="```sql\nSELECT * FROM orders\n```")
    settings = shop_settings.merged({"tracing": {"enabled": True}})
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    try:
        with TestClient(create_app(settings), base_url=LOCAL) as client:
            answer = client.post(
                "/api/v1/query/sql",
                json={**QUESTION, "max_rows": 1},
                headers={"traceparent": traceparent},
            )
            assert answer.status_code == 200
        # Leaving the app shut the tracer down, which sends what is queued.
    finally:
        collector.close()
    by_name = {span.name: span for span in collector.spans}
    root = by_name["POST /api/v1/query/sql"]
    assert root.trace_id.hex() == "0af7651916cd43dd8448eb211c80319c"  # the caller's trace
    for step in ("translate", "prepare", "execute"):
        assert by_name[step].trace_id == root.trace_id
        assert by_name[step].parent_span_id == root.span_id
    assert by_name["count"].parent_span_id == by_name["execute"].span_id
    status = {a.key: a.value.int_value for a in root.attributes}["http.response.status_code"]
    assert status == 200


def test_with_tracing_off_the_opentelemetry_sdk_is_never_loaded(tmp_path: Path, shop_db: Path):
    script = f"""
import sys
from fastapi.testclient import TestClient
from data_assistant.app import create_app
from data_assistant.settings import load_settings
settings = load_settings(None, dbs=["sqlite:///{shop_db}"], environ={{}})
settings = settings.merged({{"translator": {{"provider": "offline"}}}})
with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
    assert client.post("/api/v1/query/sql",
        json={{"database": "shop", "question": "how many orders"}}).status_code == 200
# FastAPI itself imports the OpenTelemetry API when it is installed; the SDK, exporters,
# tracer and span processors are what tracing adds.
added = ("opentelemetry.sdk", "opentelemetry.exporter")
print(sorted(m for m in sys.modules if m.startswith(added)))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
