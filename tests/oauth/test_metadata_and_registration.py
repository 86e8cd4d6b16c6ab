"""Metadata documents carry the fields their RFCs require; clients register themselves
(RFC 7591) or name a metadata document (CIMD); the manifest and OpenAPI follow the config."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from tests.oauth.conftest import Flow

BASE = "http://127.0.0.1:8765"


@pytest.fixture
def client(app_client):
    return app_client()


@pytest.mark.parametrize(
    "path", ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]
)
def test_authorization_server_metadata_has_the_rfc_8414_fields(client, path) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    document = answer.json()
    AuthorizationServerMetadata(document).validate()  # Authlib's RFC 8414 checks
    assert document["issuer"] == BASE
    for required in ("authorization_endpoint", "token_endpoint", "response_types_supported"):
        assert required in document
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["authorization_response_iss_parameter_supported"] is True
    assert document["client_id_metadata_document_supported"] is True
    assert document["registration_endpoint"] == BASE + "/oauth/register"
    assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("path", "resource"),
    [
        ("/.well-known/oauth-protected-resource", BASE),
        ("/.well-known/oauth-protected-resource/mcp", BASE + "/mcp"),
    ],
)
def test_protected_resource_metadata_has_the_rfc_9728_fields(client, path, resource) -> None:
    document = client.get(path).json()
    # RFC 9728 §3.3: the resource must be the one the well-known URL was made from.
    assert document["resource"] == resource
    assert document["authorization_servers"] == [BASE]
    assert document["bearer_methods_supported"] == ["header"]
    assert "read:data" in document["scopes_supported"]


def test_the_jwks_publishes_the_signing_key_without_private_parts(client) -> None:
    keys = client.get("/oauth/jwks").json()["keys"]
    current = client.app.state.oauth.keys.current()
    assert [k["kid"] for k in keys] == [current.kid]
    assert keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])


def test_manifest_and_openapi_point_at_the_built_in_server(client) -> None:
    manifest = client.get("/.well-known/ai-plugin.json").json()["auth"]
    assert manifest == {
        "type": "oauth",
        "client_url": BASE + "/oauth/authorize",
        "scope": "read:data",
        "authorization_url": BASE + "/oauth/token",
        "authorization_content_type": "application/x-www-form-urlencoded",
        "verification_tokens": {},
    }
    spec = client.get("/openapi.json").json()
    flow = spec["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == BASE + "/oauth/authorize"
    assert flow["tokenUrl"] == BASE + "/oauth/token"
    assert spec["paths"]["/api/v1/query/sql"]["post"]["security"] == [{"oauth2": ["read:data"]}]


# --- dynamic registration -----------------------------------------------------------------


def test_a_client_registers_itself_and_signs_in(client) -> None:
    answer = client.post(
        "/oauth/register",
        json={
            "client_name": "Claude",
            "redirect_uris": ["http://127.0.0.1:9/callback"],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
        },
    )
    assert answer.status_code == 201, answer.text
    registered = answer.json()
    assert "client_secret" not in registered
    flow = Flow(client, registered["client_id"], verifier=secrets.token_urlsafe(48))
    assert "Claude" in flow.open().text
    assert flow.exchange(flow.code()).status_code == 200


def test_a_registered_confidential_client_gets_a_secret_that_works(client) -> None:
    answer = client.post(
        "/oauth/register",
        json={
            "redirect_uris": ["https://app.example.com/cb"],
            "token_endpoint_auth_method": "client_secret_post",
        },
    )
    registered = answer.json()
    stored = client.app.state.oauth.server.clients.get(registered["client_id"])
    assert stored.check_client_secret(registered["client_secret"])
    assert stored.secret_hash != registered["client_secret"]


@pytest.mark.parametrize(
    "uris",
    [
        ["http://app.example.com/cb"],
        ["https://app.example.com/cb#frag"],
        ["https://user@app.example.com/cb"],
        ["https://*.example.com/cb"],
        ["javascript:alert(1)"],
        [],
    ],
    ids=["plain-http", "fragment", "userinfo", "wildcard", "javascript", "none"],
)
def test_registration_refuses_unsafe_redirect_uris(client, uris) -> None:
    answer = client.post(
        "/oauth/register", json={"redirect_uris": uris, "token_endpoint_auth_method": "none"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"] in ("invalid_redirect_uri", "invalid_client_metadata")


def test_registration_can_be_turned_off(app_client) -> None:
    client = app_client(dynamic_registration=False)
    answer = client.post("/oauth/register", json={"redirect_uris": ["https://a.example/cb"]})
    assert answer.status_code == 404
    assert (
        "registration_endpoint" not in client.get("/.well-known/oauth-authorization-server").json()
    )


# --- client ID metadata documents ------------------------------------------------------------


class Documents:
    """A loopback server serving client metadata documents at /client/<name>."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.url = ""

    def document_url(self, name: str) -> str:
        return f"{self.url}/client/{name}"


@pytest.fixture
def documents() -> Iterator[Documents]:
    docs = Documents()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            if name not in docs.documents:
                self.send_error(404)
                return
            body = docs.documents[name]
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    docs.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield docs
    server.shutdown()
    server.server_close()


def test_a_client_named_by_its_metadata_document_signs_in(app_client, documents) -> None:
    client = app_client(client_metadata_documents={"allow_private_networks": True})
    client_id = documents.document_url("vscode")
    documents.documents["vscode"] = {
        "client_id": client_id,
        "client_name": "VS Code",
        "redirect_uris": ["http://127.0.0.1:9/callback"],
        "token_endpoint_auth_method": "none",
    }
    flow = Flow(client, client_id, verifier=secrets.token_urlsafe(48))
    assert "VS Code" in flow.open().text
    token = flow.exchange(flow.code()).json()["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["client_id"] == client_id


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"client_id": "https://elsewhere.example/client", "redirect_uris": ["x"]}, "own URL"),
        ({"redirect_uris": ["http://127.0.0.1:9/callback"], "client_secret": "s"}, "public"),
        ({"redirect_uris": ["http://evil.example/cb"]}, "https"),
        (b"x" * 6000, "too large"),
        (b"not json", "not JSON"),
    ],
    ids=["foreign-client-id", "has-secret", "bad-redirect", "too-large", "not-json"],
)
def test_a_bad_metadata_document_is_refused(app_client, documents, document, reason) -> None:
    client = app_client(client_metadata_documents={"allow_private_networks": True})
    client_id = documents.document_url("bad")
    if isinstance(document, dict):
        document = {"client_id": client_id, **document}
    documents.documents["bad"] = document
    answer = Flow(client, client_id, verifier=secrets.token_urlsafe(48)).open()
    assert answer.status_code == 400
    assert reason in answer.text


def test_metadata_documents_on_private_networks_are_not_fetched_by_default(
    app_client, documents
) -> None:
    client = app_client()
    client_id = documents.document_url("local")
    documents.documents["local"] = {"client_id": client_id, "redirect_uris": ["https://a.b/c"]}
    answer = Flow(client, client_id, verifier=secrets.token_urlsafe(48)).open()
    assert answer.status_code == 400
    assert "https" in answer.text  # plain http is refused before any fetch


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("10.0.0.5", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::ffff:127.0.0.1", False),
        ("fd00::1", False),
        ("93.184.216.34", True),
    ],
)
def test_a_document_host_must_resolve_to_public_addresses(address, allowed) -> None:
    from authlib.oauth2.rfc6749.errors import InvalidClientError

    from data_assistant.auth.oauth.client_documents import ClientDocuments
    from data_assistant.settings.oauth import ClientDocumentSettings

    documents = ClientDocuments(ClientDocumentSettings(), resolver=lambda host, port: [address])
    if allowed:
        assert documents._address("client.example", 443) == address
    else:
        with pytest.raises(InvalidClientError, match="private network"):
            documents._address("client.example", 443)


@pytest.mark.parametrize(
    "client_id",
    [
        "https://client.example",
        "https://client.example/",
        "https://client.example/a/../b",
        "https://u@client.example/c",
        "https://client.example/c?x=1",
        "https://client.example/c#f",
    ],
)
def test_a_document_client_id_must_be_a_plain_https_url_with_a_path(client_id) -> None:
    from authlib.oauth2.rfc6749.errors import InvalidClientError

    from data_assistant.auth.oauth.client_documents import ClientDocuments
    from data_assistant.settings.oauth import ClientDocumentSettings

    with pytest.raises(InvalidClientError):
        ClientDocuments(ClientDocumentSettings())._check_url(client_id)
