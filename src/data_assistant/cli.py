"""The `data-assistant` command: serve, mcp, ask, schema, check-sql, demo and the tools around them.

Exit codes: 0 success, 1 failure, 2 bad usage or configuration, 3 query rejected by the
guard, 4 question not understood (refusal); each error class carries its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from data_assistant.pipeline import Assistant

from data_assistant import __version__
from data_assistant.auth.oauth import cli as oauth_cli
from data_assistant.errors import (
    EXIT_FAILURE,
    EXIT_REJECTED,
    EXIT_USAGE,
    ConfigError,
    DataAssistantError,
    GuardRejection,
)
from data_assistant.settings import (
    DocumentsSourceSettings,
    Settings,
    SourceSettings,
    load_settings,
    normalise_db_url,
)

app = typer.Typer(
    help="Ask SQL databases questions in plain language, safely.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="YAML settings file (default: data-assistant.yaml)."),
]
DbOpt = Annotated[
    list[str] | None,
    typer.Option("--db", help="Database URL or SQLite file to use without a config; repeatable."),
]

app.add_typer(oauth_cli.app, name="oauth")

# Questions the offline translator answers on the demo data (tests check they keep working).
DEMO_QUESTIONS = (
    "how many orders per status",
    "top 5 customers by revenue, with their revenue",
    "revenue by region in 2024",
)
DEMO_CONTAINER_QUESTION = "how many tickets per status"


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    """Print one line on stderr and exit."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def fail_with(exc: DataAssistantError) -> NoReturn:
    """Print the error's one-sentence reason, and the questions a refusal suggests
    instead, then exit with its code."""
    typer.echo(f"error: {exc.reason}", err=True)
    if suggestions := exc.problem_extras().get("suggestions"):
        typer.echo("Try:", err=True)
        for question in suggestions:
            typer.echo(f"  {question}", err=True)
    raise typer.Exit(exc.exit_code)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"data-assistant {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Ask SQL databases and document containers questions in plain language, safely."""


def settings_or_exit(
    config: Path | None,
    db: list[str] | None,
    sources: dict[str, Any] | None = None,
    **server: Any,
) -> Settings:
    """Load settings, with sources and `server` options given on the command line; a bad
    config prints the key and file and exits 2."""
    try:
        settings = load_settings(
            config, dbs=[normalise_db_url(u) for u in db or []], sources=sources
        )
        changes = {k: v for k, v in server.items() if v is not None}
        if changes:
            return settings.merged({"server": changes}, origin="command line")
        return settings
    except ConfigError as exc:
        fail_with(exc)


def assistant_for(settings: Settings) -> Assistant:
    from data_assistant.pipeline import Assistant

    try:
        return Assistant(settings)
    except DataAssistantError as exc:
        fail_with(exc)


@app.command()
def serve(
    config: ConfigOpt = None,
    db: DbOpt = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    insecure: Annotated[
        bool, typer.Option(help="Allow auth mode none on a non-loopback address.")
    ] = False,
) -> None:
    """Serve the HTTP API, the plugin manifest and the OpenAPI document."""
    settings = settings_or_exit(config, db, host=host, port=port, workers=workers)
    if not settings.sources:
        fail("no sources: pass --db URL or a config file with sources", EXIT_USAGE)
    assistant: Assistant | None = assistant_for(settings)
    assert assistant is not None
    read_schemas(assistant, [s.name for s in assistant.sources], strict=False)
    if settings.server.workers > 1:
        # Each worker builds its own; the schemas they read are on disk now.
        assistant.close()
        assistant = None
    run_server(settings, insecure=insecure, assistant=assistant)


def read_schemas(assistant: Assistant, names: list[str], *, strict: bool = True) -> None:
    """Read the sources' schemas, with a progress bar on a terminal; with `strict` off a
    source that cannot be read is only reported (the server starts without it)."""
    import sys

    from rich.console import Console
    from rich.progress import Progress

    from data_assistant.schema.progress import reporting

    def read_all() -> None:
        for name in names:
            try:
                assistant.sources.get(name).schema()
            except DataAssistantError as exc:
                if strict:
                    raise
                typer.echo(f"warning: {name}: {exc.reason}", err=True)

    if not sys.stderr.isatty():
        read_all()
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, Any] = {}

        def report(source: str, done: int, total: int) -> None:
            if source not in tasks:
                tasks[source] = bar.add_task(f"Reading the schema of {source}", total=total)
            bar.update(tasks[source], completed=done, total=total)

        with reporting(report):
            read_all()


def run_server(
    settings: Settings, *, insecure: bool = False, assistant: Assistant | None = None
) -> None:
    """Run uvicorn; several workers each build the app from the same validated settings.

    Auth mode none is refused on a non-loopback address unless `insecure`. On SIGTERM or
    Ctrl-C uvicorn stops accepting, lets the answers in flight finish (at most
    `server.shutdown_timeout_s`), then the app closes its connections.
    """
    import os

    import uvicorn

    from data_assistant.app import create_app
    from data_assistant.auth.authenticator import check_auth_mode_allowed
    from data_assistant.observe.logs import configure_logging, log_config
    from data_assistant.settings import settings_for_workers

    try:
        check_auth_mode_allowed(settings, settings.server.host, insecure)
    except ConfigError as exc:
        fail_with(exc)

    server = settings.server
    logs = settings.logs
    configure_logging(logs.format, logs.level)
    options: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "log_level": logs.level,
        "timeout_graceful_shutdown": server.shutdown_timeout_s,
    }
    if (config := log_config(logs.format, logs.level)) is not None:
        options["log_config"] = config
    if server.workers > 1:
        os.environ.update(settings_for_workers(settings))
        if settings.metrics.enabled:
            os.environ.update(metrics_folder_for_workers())
        uvicorn.run(
            "data_assistant.app:app_from_worker_env",
            factory=True,
            workers=server.workers,
            **options,
        )
        return
    app_ = create_app(
        settings, assistant=assistant or assistant_for(settings), close_assistant=True
    )
    uvicorn.run(app_, **options)


def metrics_folder_for_workers() -> dict[str, str]:
    """PROMETHEUS_MULTIPROC_DIR for worker processes: the one set (emptied of the last
    run's files, as prometheus-client asks), else a new temporary folder."""
    import os
    import tempfile

    from data_assistant.observe.metrics import MULTIPROC_ENV_VAR

    folder = os.environ.get(MULTIPROC_ENV_VAR)
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="data-assistant-metrics-")
    return {MULTIPROC_ENV_VAR: folder}


@app.command("mcp")
def mcp_command(
    config: ConfigOpt = None,
    db: DbOpt = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token (JWT) or API key to act with when auth is on; default: "
            "mcp.token, or DATA_ASSISTANT_MCP__TOKEN (which, unlike an argument, no process "
            "list shows)."
        ),
    ] = None,
) -> None:
    """Serve the MCP tools over stdin and stdout, for desktop clients (Claude Desktop, VS Code)."""
    from data_assistant.mcp.auth import TokenPrincipal

    settings = settings_or_exit(config, db)
    if not settings.sources:
        fail("no sources: pass --db URL or a config file with sources", EXIT_USAGE)
    configured = settings.mcp.token.get_secret_value() if settings.mcp.token else None
    try:
        principal = TokenPrincipal(settings, token or configured)
        # A token that does not check out stops the start with its reason, not the first call.
        principal()
        from data_assistant.mcp.stdio import run_stdio

        run_stdio(settings, principal)
    except DataAssistantError as exc:
        fail_with(exc)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain language.")],
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source name.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON answer.")] = False,
    max_rows: Annotated[
        int | None,
        typer.Option(min=1, max=100_000, help="Return at most this many rows (or items)."),
    ] = None,
) -> None:
    """Ask one question and print the query and the rows."""
    from data_assistant.pipeline import Caller
    from data_assistant.present import answer_body
    from data_assistant.present.terminal import print_answer

    settings = settings_or_exit(config, db)
    name = source or _only_source(settings)
    assistant = assistant_for(settings)
    try:
        answer = assistant.ask(name, question, max_rows=max_rows, caller=Caller(surface="cli"))
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    if as_json:
        body = answer_body(answer, debug=settings.debug)
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False, default=str))
        return
    print_answer(answer)


@app.command()
def schema(
    name: Annotated[str | None, typer.Argument(help="Source name.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshot as JSON.")] = False,
) -> None:
    """Print the schema of a source as the translator sees it (policies applied)."""
    from data_assistant.present import presenter_for

    settings = settings_or_exit(config, db)
    assistant = assistant_for(settings)
    try:
        source_name = name or _only_source(settings)
        read_schemas(assistant, [source_name])
        snapshot = assistant.schema_for(source_name)
        language = assistant.sources.get(source_name).language.name
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    if as_json:
        typer.echo(json.dumps(snapshot.to_dict(), indent=2, default=str))
        return
    typer.echo(presenter_for(language).schema_text(snapshot))


@app.command("check-sql")
def check_sql_command(
    sql: Annotated[str, typer.Argument(help="The SQL to check.")],
    dialect: Annotated[
        str, typer.Option(help="sqlite, postgres, mysql, mariadb, tsql or duckdb.")
    ] = "sqlite",
    tables: Annotated[
        str | None, typer.Option(help="Comma-separated tables that exist and are allowed.")
    ] = None,
    max_rows: Annotated[int, typer.Option(help="Row cap to inject.")] = 100,
) -> None:
    """Say whether the guard allows a query, and print the SQL it would run."""
    from data_assistant.guard.sql_guard import check_sql

    allowed = {t.strip() for t in tables.split(",") if t.strip()} if tables else None
    try:
        guarded = check_sql(sql, dialect=dialect, tables=allowed, row_cap=max_rows)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    except GuardRejection as exc:
        typer.echo(json.dumps({"allowed": False, "reason": exc.reason, "sql": None}))
        raise typer.Exit(EXIT_REJECTED) from None
    typer.echo(json.dumps({"allowed": True, "reason": None, "sql": guarded.sql}))


@app.command("cosmos-query")
def cosmos_query(
    query: Annotated[str, typer.Argument(help="A Cosmos DB for NoSQL query.")],
    data: Annotated[
        Path, typer.Option(help="JSON file (an array of documents), JSON Lines file or folder.")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(help="@name=VALUE, VALUE read as JSON (else a string); repeatable."),
    ] = None,
) -> None:
    """Run a Cosmos DB query on local documents and print the results as one JSON array."""
    from data_assistant.cosmosql import CosmosQueryError, CosmosSyntaxError, evaluate
    from data_assistant.sources.documents import DocumentsSource

    if not data.exists():
        fail(f"{data} does not exist", EXIT_USAGE)
    container = DocumentsSource(data.stem, DocumentsSourceSettings(path=str(data)))
    try:
        parameters = parse_params(param or [])
        # Skipped documents are logged as warnings with their file and line.
        documents = container.documents()
        results = evaluate(query, documents, parameters=parameters)
    except CosmosSyntaxError as exc:
        fail(exc.reason, EXIT_USAGE)
    except (CosmosQueryError, DataAssistantError) as exc:
        fail(exc.reason)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    typer.echo(json.dumps(results, ensure_ascii=False, indent=2))


def parse_params(items: list[str]) -> dict[str, Any]:
    """`@name=VALUE` pairs: VALUE as JSON when it is valid JSON, else as a string."""
    parameters: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip().lstrip("@"):
            raise ValueError(f"parameter {item!r} must be @name=VALUE")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        parameters["@" + name.strip().lstrip("@")] = value
    return parameters


@app.command()
def token(
    sub: Annotated[str, typer.Option(help="The subject (user) the token is for.")],
    databases: Annotated[
        list[str] | None, typer.Option(help="Sources granted; repeatable or comma-separated.")
    ] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Scopes; repeatable.")] = None,
    claim: Annotated[
        list[str] | None, typer.Option(help="Extra claim name=value for policies; repeatable.")
    ] = None,
    ttl: Annotated[str, typer.Option(help="Lifetime: 3600, 30m, 1h, 7d.")] = "1h",
    config: ConfigOpt = None,
) -> None:
    """Mint a token for the shared-secret JWT mode (development and tests)."""
    from data_assistant.auth.principal import claim_values, expand_sources
    from data_assistant.auth.tokens import mint_token, parse_claim_args, parse_ttl

    settings = settings_or_exit(config, None)
    jwt = settings.auth.jwt
    if settings.auth.mode != "jwt" or jwt is None or jwt.secret is None:
        fail("token needs auth.mode: jwt with auth.jwt.secret in the config", EXIT_USAGE)
    try:
        minted = mint_token(
            jwt.secret.get_secret_value(),
            sub=sub,
            databases=expand_sources(
                [d for item in databases or [] for d in claim_values(item)], settings.sources
            ),
            scopes=scope or [settings.auth.required_scope],
            claims=parse_claim_args(claim or []),
            ttl_s=parse_ttl(ttl),
            issuer=jwt.issuer,
            audience=jwt.audience,
            sources_claim=settings.auth.sources_claim,
        )
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    typer.echo(minted)


@app.command("hash-key")
def hash_key(
    scheme: Annotated[str, typer.Option(help="sha256, pbkdf2_sha256 or scrypt.")] = "sha256",
) -> None:
    """Make a new API key and the hash to put in auth.api_keys."""
    from data_assistant.auth.apikeys import hash_api_key, new_api_key

    key = new_api_key()
    try:
        hashed = hash_api_key(key, scheme)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    typer.echo(f"key:  {key}\nhash: {hashed}")


@app.command("eval")
def eval_command(
    cases_files: Annotated[
        list[Path], typer.Argument(help="JSON Lines files: question + sql or rows; one set each.")
    ],
    source: Annotated[str | None, typer.Option("--source", "-s", help="Source name.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    databases: Annotated[
        Path | None,
        typer.Option(help="JSON map of each case's 'db' to its file: ask each case there."),
    ] = None,
    by_construct: Annotated[
        bool, typer.Option("--by-construct", help="Add a table per construct tag.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Per-question report (JSON Lines); with several files, a folder of <set>.jsonl."
        ),
    ] = None,
) -> None:
    """Score the configured translator on question sets: answered, accuracy, precision.

    One line per file (and one for all of them), a table per construct with --by-construct.
    A case whose gold query fails cannot be scored: it is listed, and the command exits 1.
    """
    from rich.progress import Progress

    from data_assistant.evaluation import (
        EvalCase,
        EvalFileError,
        EvalSummary,
        load_cases,
        run_cases,
        summarize,
    )
    from data_assistant.evaluation.databases import load_databases, sources_for
    from data_assistant.evaluation.pipeline_target import PipelineTarget

    sources = None
    try:
        sets = {str(path): load_cases(path) for path in cases_files}
        if databases is not None:
            every = [case for cases in sets.values() for case in cases]
            sources = sources_for(every, load_databases(databases))
    except (EvalFileError, OSError) as exc:
        fail(str(exc), EXIT_USAGE)
    settings = settings_or_exit(config, db, sources)
    name = None if databases is not None else (source or _only_source(settings))
    assistant = assistant_for(PipelineTarget.settings_for(settings))
    targets: dict[str, PipelineTarget] = {}

    def target_for(case: EvalCase) -> PipelineTarget:
        # With --databases every case names one (sources_for checked it).
        chosen = name or case.db or ""
        if chosen not in targets:
            targets[chosen] = PipelineTarget(assistant, chosen)
        return targets[chosen]

    several = len(sets) > 1
    if several and report is not None:
        report.mkdir(parents=True, exist_ok=True)
    # <set>.jsonl, or <folder>-<set>.jsonl when two sets share a name (tune/ and holdout/).
    stems = [Path(label).stem for label in sets]
    report_names = {
        label: f"{stem if stems.count(stem) == 1 else Path(label).parent.name + '-' + stem}.jsonl"
        for label, stem in zip(sets, stems, strict=True)
    }
    summaries: dict[str, EvalSummary] = {}
    total = sum(len(cases) for cases in sets.values())
    with Progress(transient=True) as progress:
        task = progress.add_task(f"{len(sets)} set(s) on {name or 'their databases'}", total=total)
        done_before = 0

        def advance(done: int, _: int) -> None:
            progress.update(task, completed=done_before + done)

        for label, cases in sets.items():
            summaries[label] = run_cases(
                cases,
                target_for,
                report=report / report_names[label] if several and report else report,
                progress=advance,
            )
            done_before += len(cases)
    assistant.close()
    everything = summarize([r for s in summaries.values() for r in s.results])
    if several:
        width = max(len(label) for label in summaries)
        for label, summary in summaries.items():
            typer.echo(f"{label:{width}}  {summary.line()}")
        typer.echo(f"{'all':{width}}  {everything.line()}")
    else:
        typer.echo(everything.line())
    if by_construct:
        typer.echo(everything.construct_table())
    if report:
        typer.echo(f"report: {report}", err=True)
    invalid = [r for r in everything.results if r.outcome == "invalid"]
    for result in invalid:
        typer.echo(f"cannot score {result.id or result.question!r}: {result.error}", err=True)
    if invalid:
        raise typer.Exit(EXIT_FAILURE)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: Annotated[
        Path | None, typer.Option(help="Where the demo database is generated.")
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(help="Load the sales data into this database (PostgreSQL, MariaDB, DuckDB)."),
    ] = None,
    replace: Annotated[bool, typer.Option(help="With --into: replace existing tables.")] = False,
    insecure: Annotated[
        bool, typer.Option(help="Allow serving without auth on a non-loopback address.")
    ] = False,
) -> None:
    """Generate the demo sales database once, then serve it (or load it --into a server)."""
    from data_assistant.sample_data.sales import ensure_demo_db
    from data_assistant.sample_data.tickets import ensure_demo_tickets

    if into is not None:
        from data_assistant.sample_data.load import DemoTargetExists, load_demo_into
        from data_assistant.sources.sql import unavailable_reason

        try:
            counts = load_demo_into(normalise_db_url(into), replace=replace)
        except DemoTargetExists as exc:
            fail(f"{exc.what}; pass --replace to replace it", EXIT_USAGE)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
        except Exception as exc:  # driver errors name hosts and users: say only what failed
            reason = unavailable_reason(exc) or f"the database answered {type(exc).__name__}"
            fail(f"loading the demo data failed: {reason}")
        for table, count in counts.items():
            typer.echo(f"{table}: {count} rows")
        typer.echo(f'Ask it: data-assistant ask --db "{into}" "{DEMO_QUESTIONS[0]}"', err=True)
        return

    settings = settings_or_exit(None, None, host=host, port=port)
    folder = data_dir or settings.data_dir
    typer.echo(f"Preparing the demo data in {folder} ...", err=True)
    path = ensure_demo_db(folder)
    tickets = ensure_demo_tickets(folder, path)
    settings = settings.model_copy(update={"sources": demo_sources(path, tickets)})
    base = f"http://{host}:{port}"
    how = (
        "the offline translator (no key needed)"
        if settings.translator.provider == "offline"
        else f"the {settings.translator.provider} translator ({settings.translator.model})"
    )
    lines = [f"Serving the demo on {base} with {how}. Try:"]
    for question in DEMO_QUESTIONS:
        body = json.dumps({"database": "sales", "question": question})
        lines.append(
            f"  curl -s {base}/api/v1/query/sql -H 'content-type: application/json' -d '{body}'"
        )
    body = json.dumps({"container": "tickets", "question": DEMO_CONTAINER_QUESTION})
    lines.append(
        f"  curl -s {base}/api/v1/query/cosmos -H 'content-type: application/json' -d '{body}'"
    )
    lines.append(f'  data-assistant ask --db {path} "{DEMO_QUESTIONS[0]}"')
    typer.echo("\n".join(lines), err=True)
    run_server(settings, insecure=insecure)


golden = typer.Typer(help="Golden queries: verified question and query pairs per source.")
app.add_typer(golden, name="golden")
SourceOpt = Annotated[str | None, typer.Option("--source", "-s", help="Source name.")]


@golden.command("add")
def golden_add(
    question: Annotated[str, typer.Argument(help="The question, as people ask it.")],
    query: Annotated[str, typer.Argument(help="The query verified to answer it.")],
    source: SourceOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Keep a golden query (it must pass the guard and run); prints its id."""
    from data_assistant.pipeline import Caller

    settings = settings_or_exit(config, db)
    assistant = assistant_for(settings)
    try:
        name = source or _only_source(settings)
        added = assistant.golden_add(name, question, query, Caller(surface="cli"))
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    typer.echo(added.id)


@golden.command("list")
def golden_list(
    source: SourceOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List a source's golden queries: id, where it is kept, question and query."""
    from data_assistant.pipeline import Caller

    settings = settings_or_exit(config, db)
    assistant = assistant_for(settings)
    try:
        name = source or _only_source(settings)
        found = assistant.golden_list(name, Caller(surface="cli"))
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    if as_json:
        rows = [
            {"id": g.id, "origin": g.origin, "question": g.question, "query": g.query}
            for g in found
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for g in found:
        typer.echo(f"{g.id}  {g.origin:5}  {g.question}\n    {' '.join(g.query.split())}")


@golden.command("remove")
def golden_remove(
    golden_id: Annotated[str, typer.Argument(help="The id `golden list` shows.")],
    source: SourceOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Forget a golden query added through the API or CLI."""
    from data_assistant.pipeline import Caller

    settings = settings_or_exit(config, db)
    assistant = assistant_for(settings)
    try:
        name = source or _only_source(settings)
        removed = assistant.golden_remove(name, golden_id, Caller(surface="cli"))
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    typer.echo(f"removed {removed.id}: {removed.question}")


@golden.command("verify")
def golden_verify(
    source: SourceOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Run every golden query on the live schema; exits 1 when one broke."""
    from data_assistant.pipeline import Caller

    settings = settings_or_exit(config, db)
    assistant = assistant_for(settings)
    try:
        name = source or _only_source(settings)
        results = assistant.golden_verify(name, Caller(surface="cli"))
    except DataAssistantError as exc:
        fail_with(exc)
    finally:
        assistant.close()
    broken = [r for r in results if not r.ok]
    for r in results:
        status = "ok    " if r.ok else "BROKEN"
        typer.echo(
            f"{status} {r.golden.id}  {r.golden.question}" + (f": {r.reason}" if r.reason else "")
        )
    typer.echo(f"{len(results)} checked, {len(broken)} broken", err=True)
    if broken:
        raise typer.Exit(EXIT_FAILURE)


def demo_sources(sales: Path, tickets: Path) -> dict[str, Any]:
    """The demo's two sources: the sales database and the tickets container."""
    return {
        "sales": SourceSettings(
            url=normalise_db_url(str(sales)),
            description=(
                "Demo sales data: regions, customers, product categories, products, orders "
                "and order items over 2023-2025."
            ),
        ),
        "tickets": DocumentsSourceSettings(
            path=str(tickets),
            description=(
                "Demo support tickets about the sales data: customer, status, priority, "
                "tags, comments and the order's items."
            ),
        ),
    }


def _only_source(settings: Settings) -> str:
    if len(settings.sources) == 1:
        return next(iter(settings.sources))
    if not settings.sources:
        fail("no sources: pass --db URL or a config file with sources", EXIT_USAGE)
    fail(f"several sources; choose one with --source ({', '.join(settings.sources)})", EXIT_USAGE)


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="data-assistant")


if __name__ == "__main__":  # pragma: no cover
    main()
