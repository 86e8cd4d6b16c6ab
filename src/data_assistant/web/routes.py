"""Routes of the web page: `/` (the page, with its security headers) and `/static/...`."""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from data_assistant.web.assets import StaticAssets

router = APIRouter(include_in_schema=False)
TEMPLATE = Path(__file__).parent / "templates" / "index.html"

# The page runs only its own scripts and talks only to this server: no inline script, no
# eval (charts use Vega's expression interpreter), nothing from another origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=1)
def assets() -> StaticAssets:
    """The static files, read once per process."""
    return StaticAssets()


@lru_cache(maxsize=1)
def template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def render_page(request: Request) -> str:
    """The page with its static prefix, title and auth mode filled in."""
    settings = request.app.state.assistant.settings
    values = {
        "static": f"/static/{assets().version}",
        "title": settings.manifest.name_for_human,
        "auth_mode": settings.auth.mode,
    }
    page = template()
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
    return page


@router.api_route("/", methods=["GET", "HEAD"])
def page(request: Request) -> HTMLResponse:
    return HTMLResponse(render_page(request), headers=PAGE_HEADERS)


@router.get("/static/{version}/{name:path}")
def static_file(version: str, name: str, request: Request) -> Response:
    """A static file; cached for a year under the current version, revalidated otherwise."""
    store = assets()
    asset = store.get(name)
    if asset is None:
        return Response(
            "Not found.", status_code=404, media_type="text/plain", headers=SECURITY_HEADERS
        )
    headers = {
        **SECURITY_HEADERS,
        "Cache-Control": IMMUTABLE if version == store.version else "no-cache",
        "Vary": "Accept-Encoding",
    }
    body = asset.body
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        compressed = store.gzipped(name)
        if compressed is not None:
            body = compressed
            headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.content_type, headers=headers)
