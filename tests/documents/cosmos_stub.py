"""A Cosmos DB gateway on loopback, speaking enough of the REST protocol for the SDK's
query path: the account read (GET /), the container read, and query POSTs (with
`x-ms-documentdb-isquery`) answered page by page with continuation tokens and a request
charge. Queries run with the project's own Cosmos DB engine over the stub's documents.

Not spoken: the query plan and partition key range requests that a multi-partition
account answers with 400/1004; this single-partition gateway answers every query itself,
as the SDK's default execution context expects.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from data_assistant.cosmosql import CosmosQueryError, evaluate

KEY = base64.b64encode(b"not-a-real-key-" * 4).decode()


@dataclass
class Request:
    """One request the stub received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Failure:
    """An answer to give instead of the query's results."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def bad_request(message: str, start: int = 0) -> Failure:
    """A 400 as the service words it: errors JSON inside "Message:", then an activity id."""
    errors = {"errors": [{"severity": "Error", "location": {"start": start, "end": start + 3},
                          "code": "SC2001", "message": message}]}  # fmt: skip
    text = (
        f"Message: {json.dumps(errors)}\r\nActivityId: 0f5a6c1e-1111-2222-3333-444455556666, "
        "Microsoft.Azure.Documents.Common/2.14.0"
    )
    return Failure(400, {"code": "BadRequest", "message": text})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out hangs up mid-answer; that is the point of the test


class CosmosStub:
    """Serve `documents` as container `container` of database `database`."""

    def __init__(
        self,
        documents: list[dict[str, Any]],
        *,
        database: str = "shop",
        container: str = "tickets",
        charge: float = 2.5,
        partition_key: str = "/customer/country",
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """`tls` (certificate, key) serves HTTPS, which Entra ID bearer tokens require."""
        self.documents = documents
        self.database = database
        self.container = container
        self.charge = charge
        self.partition_key = partition_key
        self.requests: list[Request] = []
        self.failures: list[Failure] = []
        self.delay_s = 0.0
        self.always: Failure | None = None
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def queries(self) -> list[Request]:
        """The query POSTs received, in order."""
        return [r for r in self.requests if r.headers.get("x-ms-documentdb-isquery") == "true"]

    def fail(self, failure: Failure, times: int = 1) -> None:
        """Answer the next `times` queries with `failure` (0: every query, until cleared)."""
        if times:
            self.failures.extend([failure] * times)
        else:
            self.always = failure

    def __enter__(self) -> CosmosStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------ protocol

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                stub._answer(self)

            def do_POST(self) -> None:
                stub._answer(self)

        return Handler

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        headers = {k.lower(): v for k, v in h.headers.items()}
        self.requests.append(Request(h.command, h.path, headers, body))
        parts = [p for p in h.path.split("?")[0].split("/") if p]
        coll_path = ["dbs", self.database, "colls", self.container]
        if not parts:
            return self._send(h, 200, self._account())
        if parts[:4] != coll_path:
            return self._send(h, 404, {"code": "NotFound", "message": "Resource Not Found"})
        if len(parts) == 4 and h.command == "GET":
            return self._send(h, 200, self._collection())
        if parts[4:] == ["docs"] and headers.get("x-ms-documentdb-isquery") == "true":
            return self._query(h, body, headers)
        return self._send(h, 404, {"code": "NotFound", "message": "Resource Not Found"})

    def _account(self) -> dict[str, Any]:
        location = [{"name": "Loopback", "databaseAccountEndpoint": self.url}]
        return {
            "id": "loopback",
            "_self": "",
            "writableLocations": location,
            "readableLocations": location,
            "enableMultipleWriteLocations": False,
            "userConsistencyPolicy": {"defaultConsistencyLevel": "Session"},
            "queryEngineConfiguration": "{}",
        }

    def _collection(self) -> dict[str, Any]:
        return {
            "id": self.container,
            "_rid": "AbCdEf==",
            "_self": "dbs/AbCd==/colls/AbCdEf==/",
            "partitionKey": {"paths": [self.partition_key], "kind": "Hash", "version": 2},
        }

    def _query(self, h: BaseHTTPRequestHandler, body: Any, headers: dict[str, str]) -> None:
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.failures or self.always:
            failure = self.failures.pop(0) if self.failures else self.always
            assert failure is not None
            time.sleep(failure.delay_s)
            return self._send(h, failure.status, failure.body, failure.headers)
        params = {p["name"]: p["value"] for p in body.get("parameters", [])}
        try:
            results = evaluate(body["query"], self._stored(), parameters=params)
        except CosmosQueryError as exc:
            failure = bad_request(exc.reason)
            return self._send(h, 400, failure.body)
        start = int(headers.get("x-ms-continuation") or 0)
        size = int(headers.get("x-ms-max-item-count") or 100)
        page = results[start : start + size]
        out = {"x-ms-request-charge": str(self.charge), "x-ms-item-count": str(len(page))}
        if start + size < len(results):
            out["x-ms-continuation"] = str(start + size)
        self._send(h, 200, {"_rid": "AbCdEf==", "Documents": page, "_count": len(page)}, out)

    def _stored(self) -> list[dict[str, Any]]:
        """The documents with the system properties the service adds."""
        return [
            {**doc, "_rid": f"r{i}", "_self": f"dbs/x/colls/y/docs/r{i}/", "_etag": '"0"',
             "_attachments": "attachments/", "_ts": 1700000000 + i}
            for i, doc in enumerate(self.documents)
        ]  # fmt: skip

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(data)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files in `folder`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
