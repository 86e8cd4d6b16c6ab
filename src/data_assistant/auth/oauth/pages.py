"""The sign-in, consent and error pages: plain server-rendered HTML, no external assets,
every field labelled for screen readers, every value escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

SCOPE_TEXT = {
    "read:data": "Ask questions of the databases your account may read, and see the query "
    "and the rows.",
    "query:raw": "Run read-only queries the app writes itself, checked by the same rules.",
}

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1f2328}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:12px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;
font-size:1rem;border:1px solid #8c959f;border-radius:6px;margin-top:.25rem}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:6px;
border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2328;border-color:#8c959f;margin-left:.5rem}
.error{color:#a40e26;background:#ffebe9;padding:.6rem;border-radius:6px}
.muted{color:#57606a;font-size:.9rem}code{word-break:break-all}
"""


def _page(title: str, body: str, nonce: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><style nonce="{escape(nonce)}">{_STYLE}</style>'
        f"</head><body><main>{body}</main></body></html>"
    )


def _hidden(fields: dict[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items()
    )


def _client_line(client_name: str, redirect_host: str) -> str:
    return (
        f"<p><strong>{escape(client_name)}</strong> wants to use your account. "
        f"It will send you back to <code>{escape(redirect_host)}</code>.</p>"
    )


def sign_in_page(
    *,
    action: str,
    fields: dict[str, str],
    client_name: str,
    redirect_host: str,
    service: str,
    nonce: str,
    error: str | None = None,
    username: str = "",
) -> str:
    """The sign-in form; `fields` are the hidden transaction and CSRF values."""
    alert = f'<p class="error" id="error" role="alert">{escape(error)}</p>' if error else ""
    described = ' aria-describedby="error"' if error else ""
    body = (
        f"<h1>Sign in to {escape(service)}</h1>"
        f"{_client_line(client_name, redirect_host)}{alert}"
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        '<input type="hidden" name="step" value="sign-in">'
        '<label for="username">User name</label>'
        f'<input type="text" id="username" name="username" value="{escape(username)}" '
        f'autocomplete="username" autocapitalize="none" spellcheck="false" required{described}>'
        '<label for="password">Password</label>'
        '<input type="password" id="password" name="password" '
        f'autocomplete="current-password" required{described}>'
        '<button type="submit">Sign in</button></form>'
    )
    return _page(f"Sign in to {service}", body, nonce)


def consent_page(
    *,
    action: str,
    fields: dict[str, str],
    client_name: str,
    redirect_host: str,
    service: str,
    user: str,
    scopes: Iterable[str],
    databases: Iterable[str],
    nonce: str,
) -> str:
    """The consent form listing the scopes (and databases) the app will get."""
    scopes = list(scopes)
    items = "".join(
        f"<li><code>{escape(s)}</code>: {escape(SCOPE_TEXT.get(s, 'Access named ' + s + '.'))}</li>"
        for s in scopes
    )
    names = list(databases)
    where = (
        "every database on this server"
        if "*" in names
        else ", ".join(escape(n) for n in names) or "no database"
    )
    if scopes:
        grant = (
            f'<h2 id="scopes-heading">It will be able to</h2>'
            f'<ul aria-labelledby="scopes-heading">{items}</ul>'
            f"<p>Databases: {where}.</p>"
            '<button type="submit" name="decision" value="allow">Allow</button>'
            '<button type="submit" name="decision" value="deny" class="secondary">Deny</button>'
        )
    else:
        grant = (
            '<p class="error" role="alert">Your account may not grant what this app asks '
            "for.</p>"
            '<button type="submit" name="decision" value="deny">Go back</button>'
        )
    body = (
        f"<h1>Allow access to {escape(service)}?</h1>"
        f'<p class="muted">Signed in as <strong>{escape(user)}</strong>.</p>'
        f"{_client_line(client_name, redirect_host)}"
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}'
        f'<input type="hidden" name="step" value="consent">{grant}</form>'
    )
    return _page(f"Allow access to {service}?", body, nonce)


def error_page(*, title: str, message: str, nonce: str) -> str:
    """A page for a request that cannot be sent back to the app."""
    body = f'<h1>{escape(title)}</h1><p role="alert">{escape(message)}</p>'
    return _page(title, body, nonce)
