"""The ``netra`` command: the app and the commands that span areas (status, demo, settings)."""

from __future__ import annotations

import typer
from rich.table import Table

from netra.commands import api, classifier, collection, dashboards, digest, elastic_index
from netra.commands.common import EXIT_OK, open_store_or_exit, out, scorer_or_exit
from netra.commands.gazetteer import gazetteer_app
from netra.commands.registry import import_file as import_registry_file
from netra.commands.registry import registry_app
from netra.domain.access import sign_in_link
from netra.domain.models import QuarantineState
from netra.domain.settings import Settings, get_settings
from netra.store import Store

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Netra: ASN neutrality monitoring."
)
app.add_typer(registry_app, name="registry")
app.add_typer(gazetteer_app, name="gazetteer")
classifier.register(app)
collection.register(app)
api.register(app)
digest.register(app)
dashboards.register(app)
elastic_index.register(app)

DEMO_REGISTRY = "demo/registry.csv"


def print_summary(store: Store) -> None:
    described = store.describe()
    health = "ok" if described.ok else f"not ok: {described.reason}"
    out.print(
        f"[bold]Store[/bold]: {described.backend}, schema {described.schema_version or '?'},"
        f" {health}"
    )
    summary = store.summary()
    out.print(
        f"[bold]Registry[/bold]: {summary.people} ASN, {summary.accounts} accounts;"
        f" {summary.posts} posts, {summary.flags} flags in the queue"
    )
    quarantine = store.quarantine_counts()
    out.print(
        f"[bold]Quarantine[/bold]: {quarantine[QuarantineState.PENDING]} pending (retried at the"
        f" next collection), {quarantine[QuarantineState.GIVEN_UP]} given up,"
        f" {quarantine[QuarantineState.RESOLVED]} resolved"
    )
    platforms = Table("platform", "accounts")
    for platform, count in summary.accounts_by_platform.items():
        platforms.add_row(platform, str(count))
    agencies = Table("agency", "ASN")
    for agency, count in summary.people_by_agency.items():
        agencies.add_row(agency, str(count))
    out.print(platforms)
    out.print(agencies)


@app.command()
def status() -> None:
    """Summarise what the store holds and which encoder backend runs here."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        print_summary(store)
    out.print(f"encoder: {encoder_in_use(settings)}", markup=False)


@app.command()
def demo(
    serve: bool = typer.Option(True, help="serve the API afterwards (until Ctrl-C)"),
) -> None:
    """The main job on the embedded default: import the demo registry, start the fake platforms
    on 127.0.0.1, collect, score and queue suspected posts, report what happened, then serve the
    API on NETRA_API_HOST:NETRA_API_PORT with a fresh token for each role."""
    from netra import pipeline
    from netra.commands.collection import print_collect_summary
    from netra.fake_platforms import start_fake_platforms

    settings = get_settings()
    with open_store_or_exit(settings) as store:
        described = store.describe()
        out.print(
            f"store: {settings.db_path} ({described.backend}, schema"
            f" {described.schema_version or '?'})"
        )
        registry = settings.data_dir / DEMO_REGISTRY
        code = import_registry_file(store, registry, dry_run=False, encoding=None)
        if code != EXIT_OK:
            raise typer.Exit(code)
        scorer = scorer_or_exit(settings)
        test = scorer.artifact.metadata["metrics"]["test"]["model"]
        out.print(
            f"classifier: model {scorer.artifact.version} on {scorer.encoder.describe()}, threshold"
            f" {scorer.threshold:.3f} (held-out F1 {test['f1']:.3f}, recall {test['recall']:.3f})"
        )
        server = start_fake_platforms(registry, settings.data_dir / "corpus")
        try:
            out.print(
                f"fake platforms on {server.url}: {server.platforms.world.post_count} public posts"
            )
            local = settings.model_copy(
                update={"platform_url": server.url, "http_requests_per_second": 200.0}
            )
            print_collect_summary(pipeline.collect(store, local))
        finally:
            server.stop()
        scored = pipeline.score_and_flag(store, scorer, audit_rate=settings.audit_sample_rate)
        out.print(
            f"scored {scored.scored} new posts; {scored.flagged} entered the review queue as dugaan,"
            f" {scored.audited} as audit items"
        )
        print_summary(store)
        today = pipeline.utcnow().astimezone(settings.tz).date()
        (digest,) = pipeline.daily_digest(store, settings, today, region="all")
        out.print(f"digest of today: {digest.files[0]} (and .txt, .json)", markup=False)
        tokens = demo_tokens(store)
    url = f"http://{settings.api_host}:{settings.api_port}"
    out.print(f"\nNetra API {url}  (docs {url}/docs)", markup=False)
    for role, token in tokens.items():
        out.print(f"  {role:<10} Authorization: Bearer {token}", markup=False)
    out.print(f"\nAnalyst web UI {url}/ui — sign in as:", markup=False)
    for role, token in tokens.items():
        out.print(f"  {role:<10} {sign_in_link(url + '/ui', token)}", markup=False)
    if serve:
        from netra.commands.api import serve as serve_api

        serve_api(None, None, 1)


def demo_tokens(store: Store) -> dict[str, str]:
    """One demo user per role with a fresh token (tokens are stored hashed, so each run of the
    demo gives the demo users new tokens and prints them; names are never reused, so the users
    stay the same)."""
    from netra.domain.access import hash_token, new_token
    from netra.domain.models import Role

    tokens = {}
    for role in Role:
        name = f"demo-{role.value}"
        token = new_token()
        if not store.rotate_token(name, hash_token(token)):
            store.add_user(name, role, hash_token(token))
        tokens[role.value] = token
    return tokens


@app.command("settings")
def show_settings() -> None:
    """Print the effective settings (secrets masked) and the encoder backend really in use."""
    settings = get_settings()
    data = settings.public_dump()
    data["encoder_in_use"] = encoder_in_use(settings)
    out.print_json(data=data)


def encoder_in_use(settings: Settings) -> str:
    """The backend that really runs (a fallback says why); loading it may export it, once."""
    from netra.scoring import build_encoder

    try:
        return build_encoder(settings).describe()
    except Exception as exc:  # noqa: BLE001 - shown to the user, not raised
        return f"cannot load {settings.encoder_model}: {exc}"


if __name__ == "__main__":
    app()
