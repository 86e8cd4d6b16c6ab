"""The page and its static files: security headers, caching, compression, nothing else served."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from data_assistant.app import create_app
from data_assistant.settings import load_settings
from data_assistant.web.assets import StaticAssets
from tests.conftest import LOCAL
from tests.web.conftest import demo_config


@pytest.fixture(scope="module")
def client(demo_dir):
    settings = load_settings(demo_config(demo_dir, "auth: {mode: none}"), environ={})
    with TestClient(create_app(settings), base_url=LOCAL) as test_client:
        yield test_client


def static_prefix(page: str) -> str:
    return re.search(r'href="(/static/[0-9a-f]+)/app\.css"', page).group(1)


def test_the_page_is_served_with_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"  # no inline script, no eval
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-cache"


def test_the_page_has_no_inline_script_and_no_external_url(client):
    page = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_the_page_says_the_auth_mode(demo_dir):
    config = demo_config(demo_dir, 'auth: {mode: jwt, jwt: {secret: "' + "k" * 40 + '"}}')
    with TestClient(create_app(load_settings(config, environ={})), base_url=LOCAL) as client:
        assert '<meta name="da-auth-mode" content="jwt">' in client.get("/").text


def test_static_files_are_cached_for_a_year_under_their_version(client):
    prefix = static_prefix(client.get("/").text)
    response = client.get(f"{prefix}/app.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    stale = client.get("/static/000000000000/app.js")
    assert stale.headers["cache-control"] == "no-cache"


def test_the_version_changes_when_a_file_changes(tmp_path):
    (tmp_path / "a.js").write_text("1")
    before = StaticAssets(tmp_path).version
    (tmp_path / "a.js").write_text("2")
    assert StaticAssets(tmp_path).version != before


def test_big_files_are_sent_gzipped_to_browsers_that_accept_it(client):
    prefix = static_prefix(client.get("/").text)
    plain = client.get(f"{prefix}/vendor/vega.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    raw = client.get(f"{prefix}/vendor/vega.js", headers={"accept-encoding": "gzip, br"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["vary"] == "Accept-Encoding"
    assert raw.content == plain.content  # the client decoded it
    assert int(raw.headers["content-length"]) < len(plain.content) / 2


def test_the_json_api_is_not_compressed(client):
    response = client.get("/api/v1/sources", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "/static/x/../../pyproject.toml",
        "/static/x/%2e%2e/%2e%2e/config.py",
        "/static/x/../routes.py",
        "/static/x/nope.js",
        "/static/x/vendor",
        "/static/x//etc/passwd",
    ],
)
def test_only_the_packaged_static_files_can_be_fetched(client, path):
    response = client.get(path)
    assert response.status_code == 404


def test_head_on_the_page_answers_without_a_body(client):
    response = client.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_the_vendored_bundles_were_built_from_the_locked_versions():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    manifest = json.loads((root / "frontend" / "package.json").read_text())
    lock = json.loads((root / "frontend" / "package-lock.json").read_text())
    licences = (root / "src/data_assistant/web/static/vendor/LICENSES.txt").read_text()
    for name, pinned in manifest["dependencies"].items():
        locked = lock["packages"][f"node_modules/{name}"]["version"]
        assert locked == pinned, name
        assert f"\n{name} {locked} (" in licences, f"rebuild the vendor files for {name}"
