"""`data-assistant oauth ...` as an operator runs it, and the delegated mode, where an
external issuer signs users in and this server only checks its tokens."""

from __future__ import annotations

import re
import time

import pytest
import yaml
from argon2 import PasswordHasher
from typer.testing import CliRunner

from data_assistant.cli import app
from tests.auth.conftest import AUDIENCE, ISSUER, claims
from tests.oauth.conftest import bearer, fast_hash

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    env = {"DATA_ASSISTANT_CONFIG": "", "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}
    return runner.invoke(app, list(args), env=env, input=stdin)


@pytest.fixture
def config(tmp_path, shop_db):
    path = tmp_path / "data-assistant.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "base_url": "https://data.example.com",
                "data_dir": str(tmp_path / "data"),
                "sources": {"shop": {"url": f"sqlite:///{shop_db}"}},
                "auth": {
                    "mode": "oauth",
                    "oauth": {
                        "builtin": {
                            "users": {
                                "alice": {"password_hash": fast_hash("pw"), "databases": ["shop"]}
                            }
                        }
                    },
                },
            }
        )
    )
    return str(path)


def test_client_add_prints_what_the_gpt_editor_asks_for(config) -> None:
    result = run(
        "oauth", "client", "add", "chatgpt", "--gpt-id", "g-AbC123", "--confidential", "-c", config
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    fields = dict(re.findall(r"^  ([A-Za-z ]+):\s+(\S+)", out, re.MULTILINE))
    assert fields["Client ID"] == "chatgpt"
    assert fields["Authorization URL"] == "https://data.example.com/oauth/authorize"
    assert fields["Token URL"] == "https://data.example.com/oauth/token"
    assert fields["Scope"] == "read:data"
    assert fields["Token Exchange Method"] == "Default"
    assert "https://chatgpt.com/aip/g-AbC123/oauth/callback" in out
    assert "https://chat.openai.com/aip/g-AbC123/oauth/callback" in out

    from data_assistant.auth.oauth.runtime import OAuthRuntime
    from data_assistant.settings import load_settings

    runtime = OAuthRuntime(load_settings(config, environ={}))
    stored = runtime.server.clients.get("chatgpt")
    assert stored.check_client_secret(fields["Client Secret"])
    assert fields["Client Secret"] not in str(stored.to_record())  # only its hash is kept
    runtime.close()

    listed = run("oauth", "client", "list", "-c", config)
    assert listed.stdout.startswith("chatgpt\tconfidential\tcli\t")
    again = run(
        "oauth", "client", "add", "chatgpt", "--redirect-uri", "https://a.example/cb", "-c", config
    )
    assert again.exit_code == 2 and "already exists" in again.output
    assert run("oauth", "client", "remove", "chatgpt", "-c", config).exit_code == 0
    assert run("oauth", "client", "remove", "chatgpt", "-c", config).exit_code == 1


@pytest.mark.parametrize(
    "uri",
    [
        "http://chatgpt.com/aip/g-1/oauth/callback",
        "https://chatgpt.com/cb#x",
        "https://*.chatgpt.com/cb",
    ],
)
def test_client_add_refuses_an_unsafe_redirect_uri(config, uri) -> None:
    result = run("oauth", "client", "add", "x", "--redirect-uri", uri, "-c", config)
    assert result.exit_code == 2
    assert "redirect URI" in result.output


def test_a_public_client_is_told_to_use_pkce(config) -> None:
    result = run(
        "oauth",
        "client",
        "add",
        "cli-app",
        "--redirect-uri",
        "http://127.0.0.1/callback",
        "-c",
        config,
    )
    assert result.exit_code == 0
    assert "Client Secret" not in result.stdout
    assert "PKCE" in result.stdout


def test_user_add_prints_an_entry_whose_hash_checks_the_password() -> None:
    result = run(
        "oauth",
        "user",
        "add",
        "alice",
        "--password-stdin",
        "--databases",
        "sales,hr",
        "--claim",
        "region=EMEA",
        stdin="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    entry = yaml.safe_load(result.stdout)["alice"]
    assert entry["databases"] == ["sales", "hr"]
    assert entry["claims"] == {"region": "EMEA"}
    assert PasswordHasher().verify(entry["password_hash"], "correct horse battery")


def test_user_add_refuses_a_claim_the_token_sets_itself() -> None:
    result = run(
        "oauth", "user", "add", "alice", "--password-stdin", "--claim", "sub=root", stdin="pw\n"
    )
    assert result.exit_code == 2
    assert "set by the token" in result.output


def test_keys_rotate_makes_a_new_signing_key(config) -> None:
    first = run("oauth", "keys", "rotate", "-c", config)
    second = run("oauth", "keys", "rotate", "-c", config)
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.stdout != second.stdout


def test_oauth_commands_explain_when_oauth_is_off(tmp_path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("auth: {mode: none}\n")
    result = run("oauth", "client", "list", "-c", str(path))
    assert result.exit_code == 2
    assert "auth.mode: oauth" in result.output


@pytest.mark.parametrize(
    ("base_url", "message"),
    [("http://data.example.com", "https"), ("https://data.example.com/assistant", "origin")],
)
def test_the_built_in_server_needs_an_https_origin(tmp_path, shop_db, base_url, message) -> None:
    from data_assistant.app import create_app
    from data_assistant.errors import ConfigError
    from data_assistant.settings import load_settings

    settings = load_settings(None, dbs=[f"sqlite:///{shop_db}"], environ={})
    settings = settings.merged({"base_url": base_url, "auth": {"mode": "oauth", "oauth": {}}})
    with pytest.raises(ConfigError, match=message):
        create_app(settings)


# --- delegated ----------------------------------------------------------------------------


@pytest.fixture
def delegated(idp, shop_db):
    from fastapi.testclient import TestClient

    from data_assistant.app import create_app
    from data_assistant.settings import load_settings

    settings = load_settings(None, dbs=[f"sqlite:///{shop_db}"], environ={})
    settings = settings.model_copy(update={"base_url": "https://data.example.com"})
    settings = settings.merged(
        {
            "auth": {
                "mode": "oauth",
                "oauth": {
                    "server": "delegated",
                    "issuer": ISSUER,
                    "audience": AUDIENCE,
                    "jwks_url": idp.jwks_url,
                    "client_url": ISSUER + "/oauth2/v2.0/authorize",
                    "authorization_url": ISSUER + "/oauth2/v2.0/token",
                },
            }
        }
    )
    app = create_app(settings)
    with TestClient(app, base_url="https://data.example.com") as client:
        yield client, idp
    app.state.assistant.close()


def test_delegated_metadata_points_at_the_issuer(delegated) -> None:
    client, _ = delegated
    document = client.get("/.well-known/oauth-protected-resource").json()
    assert document["authorization_servers"] == [ISSUER]
    assert document["resource"] == "https://data.example.com"
    assert client.get("/.well-known/oauth-authorization-server").status_code == 404
    assert client.get("/oauth/authorize").status_code == 404
    manifest = client.get("/.well-known/ai-plugin.json").json()["auth"]
    assert manifest["client_url"] == ISSUER + "/oauth2/v2.0/authorize"
    assert manifest["authorization_url"] == ISSUER + "/oauth2/v2.0/token"


def test_delegated_tokens_are_checked_with_the_issuer_keys(delegated, rsa_signer) -> None:
    client, _ = delegated
    good = rsa_signer.sign(claims(databases=["shop"]))
    answer = client.get("/api/v1/sources", headers=bearer(good))
    assert answer.status_code == 200, answer.text
    assert [s["name"] for s in answer.json()["sources"]] == ["shop"]

    other = rsa_signer.sign(claims(aud="api://another-app"))
    refused = client.get("/api/v1/sources", headers=bearer(other))
    assert refused.status_code == 401
    assert "another audience" in refused.json()["detail"]
    assert "resource_metadata=" in refused.headers["www-authenticate"]

    expired = rsa_signer.sign(claims(exp=int(time.time()) - 3600))
    assert client.get("/api/v1/sources", headers=bearer(expired)).status_code == 401
    unscoped = rsa_signer.sign(claims(scp="profile"))
    forbidden = client.get("/api/v1/sources", headers=bearer(unscoped))
    assert forbidden.status_code == 403
    assert 'error="insufficient_scope"' in forbidden.headers["www-authenticate"]
