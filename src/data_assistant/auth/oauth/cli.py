"""`data-assistant oauth ...`: register clients (printing what a GPT editor needs), make
user entries with argon2 password hashes, rotate signing keys."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError

app = typer.Typer(help="The built-in OAuth server: clients, users, keys.", no_args_is_help=True)
client_app = typer.Typer(help="OAuth clients (GPT Actions, MCP clients).", no_args_is_help=True)
user_app = typer.Typer(help="Users who sign in on the built-in server.", no_args_is_help=True)
keys_app = typer.Typer(help="The server's signing keys.", no_args_is_help=True)
app.add_typer(client_app, name="client")
app.add_typer(user_app, name="user")
app.add_typer(keys_app, name="keys")

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML settings file (default: data-assistant.yaml)."),
]


def _runtime(config: Path | None):
    """The OAuth runtime of the configured built-in server, or exit 2 saying why not."""
    from data_assistant.auth.oauth.runtime import OAuthRuntime
    from data_assistant.cli import EXIT_USAGE, fail, settings_or_exit
    from data_assistant.errors import DataAssistantError

    settings = settings_or_exit(config, None)
    oauth = settings.auth.oauth
    if settings.auth.mode != "oauth" or oauth is None:
        fail("oauth commands need auth.mode: oauth with an auth.oauth section", EXIT_USAGE)
    if oauth.server != "builtin":
        fail("with server: delegated, register clients with your identity provider", EXIT_USAGE)
    try:
        return OAuthRuntime(settings)
    except DataAssistantError as exc:
        fail(exc.reason, EXIT_USAGE)


@client_app.command("add")
def client_add(
    name: Annotated[str, typer.Argument(help="The client's name, also its client id.")],
    redirect_uri: Annotated[
        list[str] | None, typer.Option("--redirect-uri", help="Exact callback URL; repeatable.")
    ] = None,
    gpt_id: Annotated[
        str | None,
        typer.Option("--gpt-id", help="A GPT's id (g-...): registers both its callback URLs."),
    ] = None,
    confidential: Annotated[
        bool, typer.Option(help="A client with a secret (GPT Actions); else public with PKCE.")
    ] = False,
    scope: Annotated[str | None, typer.Option(help="Limit the client to these scopes.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Register a client and print what to paste into the GPT editor."""
    from data_assistant.auth.oauth.clients import check_client_name, gpt_callbacks
    from data_assistant.cli import EXIT_USAGE, fail

    runtime = _runtime(config)
    assert runtime.server is not None
    try:
        uris = [*(redirect_uri or []), *(gpt_callbacks(gpt_id) if gpt_id else [])]
        if not uris:
            raise ValueError("give --redirect-uri (or --gpt-id)")
        client, secret = runtime.server.clients.create(
            client_id=check_client_name(name),
            name=name,
            redirect_uris=uris,
            confidential=confidential,
            scope=scope,
        )
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    finally:
        runtime.close()
    lines = [
        f"Client {client.client_id} added ({'confidential' if confidential else 'public'}).",
        "",
        "GPT editor: Actions > Authentication > OAuth",
        f"  Client ID:              {client.client_id}",
    ]
    if secret:
        lines.append(f"  Client Secret:          {secret}   (shown once; stored hashed)")
    lines += [
        f"  Authorization URL:      {runtime.authorization_endpoint}",
        f"  Token URL:              {runtime.token_endpoint}",
        f"  Scope:                  {scope or runtime.settings.scope}",
    ]
    if secret:
        lines.append(
            "  Token Exchange Method:  Default (POST request)  "
            "(Basic authorization header works too)"
        )
    else:
        lines.append("  Token Exchange Method:  none: a public client sends PKCE (S256)")
    lines += ["", "Redirect URIs (exact):", *(f"  {u}" for u in client.redirect_uris)]
    typer.echo("\n".join(lines))


@client_app.command("list")
def client_list(config: ConfigOpt = None) -> None:
    """List the registered clients (those from metadata documents are not stored)."""
    runtime = _runtime(config)
    assert runtime.server is not None
    try:
        clients = runtime.server.clients.all()
    finally:
        runtime.close()
    for client in sorted(clients, key=lambda c: c.client_id):
        kind = "confidential" if client.confidential else "public"
        typer.echo(f"{client.client_id}\t{kind}\t{client.origin}\t{' '.join(client.redirect_uris)}")


@client_app.command("remove")
def client_remove(
    name: Annotated[str, typer.Argument(help="The client id.")], config: ConfigOpt = None
) -> None:
    """Remove a client: its codes and refresh tokens stop working."""
    from data_assistant.cli import fail

    runtime = _runtime(config)
    assert runtime.server is not None
    try:
        removed = runtime.server.clients.remove(name)
    finally:
        runtime.close()
    if not removed:
        fail(f"no client {name!r}")
    typer.echo(f"Client {name} removed.")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The user name people sign in with.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    databases: Annotated[
        list[str] | None, typer.Option(help="Sources granted; repeatable or comma-separated.")
    ] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Scopes the user may grant.")] = None,
    claim: Annotated[
        list[str] | None, typer.Option(help="Claim name=value for row policies; repeatable.")
    ] = None,
) -> None:
    """Hash a password and print the user entry to paste under auth.oauth.builtin.users."""
    from data_assistant.auth.oauth.passwords import hash_password
    from data_assistant.auth.principal import claim_values
    from data_assistant.auth.tokens import parse_claim_args
    from data_assistant.cli import EXIT_USAGE, fail
    from data_assistant.settings.oauth import BuiltinServerSettings, OAuthUser

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        entry: dict = {"password_hash": hash_password(password)}
        entry["databases"] = [d for item in databases or [] for d in claim_values(item)]
        if scope:
            entry["scopes"] = list(scope)
        if claim:
            entry["claims"] = parse_claim_args(claim)
        # The same checks as the config file will make when the server starts.
        BuiltinServerSettings(users={name: OAuthUser(**entry)})
    except ValidationError as exc:
        fail(exc.errors()[0]["msg"], EXIT_USAGE)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    typer.echo("# under auth.oauth.builtin.users in the config file:")
    typer.echo(yaml.safe_dump({name: entry}, sort_keys=False, default_flow_style=None).rstrip())


@keys_app.command("rotate")
def keys_rotate(config: ConfigOpt = None) -> None:
    """Make a new signing key now; the previous one verifies until its tokens expire."""
    runtime = _runtime(config)
    assert runtime.keys is not None
    try:
        key = runtime.keys.rotate()
    finally:
        runtime.close()
    typer.echo(f"Signing with key {key.kid} ({key.alg}).")
