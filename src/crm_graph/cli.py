"""The `crm-graph` command: run | serve | worker | migrate | seed | export-schema | token | tenant | user."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from crm_graph.kernel.embedded import ServiceUrls, ensure_services
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.observability.logging import configure_logging, log_level


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = get_settings()
    # Logs go to stderr (JSON lines unless CRM_LOG_JSON=false): stdout carries only
    # export-schema's output and the URL banner.
    configure_logging(settings)
    command: Callable[[argparse.Namespace, Settings], None] = args.command
    try:
        command(args, settings)
    except KeyboardInterrupt:
        sys.exit(130)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm-graph", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start services, migrate, seed the demo tenant once, serve")
    _serve_options(run)
    run.set_defaults(command=_run)

    serve = commands.add_parser("serve", help="serve the API (embedded services unless CRM_*_URL)")
    _serve_options(serve)
    serve.set_defaults(command=_serve)

    worker = commands.add_parser("worker", help="run the arq worker: outbox relay and scheduled jobs")
    worker.set_defaults(command=_worker)

    migrate = commands.add_parser("migrate", help="upgrade the database to the latest migration")
    migrate.set_defaults(command=_migrate)

    seed = commands.add_parser("seed", help="load generated demo data")
    seed.add_argument("--demo", action="store_true", required=True, help="the demo tenant")
    seed.add_argument("--organizations", type=int, default=200)
    seed.add_argument("--seed", type=int, default=42, help="random seed, for repeatable data")
    seed.set_defaults(command=_seed)

    schema = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(command=_export_schema)

    new_domain = commands.add_parser("new-domain", help="write a working domain skeleton in src/crm_graph/domains/NAME")
    new_domain.add_argument("name", help="the folder: lower-case plural, e.g. leads")
    new_domain.add_argument("--entity", help="the GraphQL type name (default: the singular of NAME in PascalCase)")
    new_domain.add_argument("--src", type=Path, help="the source root holding crm_graph/ (default: this package's)")
    new_domain.add_argument("--tests", type=Path, help="where tests go (default: tests/ beside src/)")
    new_domain.set_defaults(command=_new_domain)

    token = commands.add_parser("token", help="print a bearer token for a user (HS256, CRM_JWT_SECRET)")
    token.add_argument("--tenant", required=True, help="tenant slug")
    token.add_argument("--email", required=True)
    token.add_argument("--ttl", type=_duration, default=timedelta(hours=1), help="e.g. 30m, 1h, 7d (default 1h)")
    token.set_defaults(command=_token)

    tenant = commands.add_parser("tenant", help="tenants").add_subparsers(required=True, metavar="ACTION")
    tenant_create = tenant.add_parser("create", help="a tenant with the default roles and pipeline")
    tenant_create.add_argument("--slug", required=True, help="lower-case letters, digits and hyphens")
    tenant_create.add_argument("--name", required=True)
    tenant_create.set_defaults(command=_tenant_create)

    user = commands.add_parser("user", help="users").add_subparsers(required=True, metavar="ACTION")
    user_create = user.add_parser("create", help="a user of a tenant")
    user_create.add_argument("--tenant", required=True, help="tenant slug")
    user_create.add_argument("--email", required=True)
    user_create.add_argument("--role", required=True, action="append", help="repeat for several roles")
    user_create.add_argument("--name", help="default: the part of the email before @")
    user_create.add_argument("--team", help="team name; created if the tenant has none of that name")
    user_create.set_defaults(command=_user_create)

    audit = commands.add_parser("audit", help="the audit log").add_subparsers(required=True, metavar="ACTION")
    verify = audit.add_parser("verify", help="check the hash chains; exit 1 if an entry was edited or removed")
    verify.add_argument("--tenant", help="tenant slug (default: every tenant)")
    verify.set_defaults(command=_audit_verify)
    return parser


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="default: CRM_HOST")
    parser.add_argument("--port", type=int, help="default: CRM_PORT")
    parser.add_argument("--workers", type=int, default=1)


def _run(args: argparse.Namespace, settings: Settings) -> None:
    services = ensure_services(settings)
    try:
        _upgrade(services.database_url)
        from crm_graph.seed import seed_demo

        asyncio.run(seed_demo(services.database_url))  # leaves an existing demo tenant untouched
        # The demo needs live events (subscriptions, webhooks): run a worker beside the API.
        env = {**os.environ, "CRM_DATABASE_URL": services.database_url, "CRM_REDIS_URL": services.redis_url}
        worker = subprocess.Popen([sys.executable, "-m", "crm_graph", "worker"], env=env)
        try:
            _uvicorn(args, settings, services)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
    finally:
        services.stop()


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    services = ensure_services(settings)
    try:
        _uvicorn(args, settings, services)
    finally:
        services.stop()


def _worker(args: argparse.Namespace, settings: Settings) -> None:
    from arq.connections import RedisSettings
    from arq.worker import run_worker
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from crm_graph.worker import WorkerSettings

    services = ensure_services(settings)
    try:
        settings = settings.model_copy(update={"database_url": services.database_url, "redis_url": services.redis_url})
        redis_settings = RedisSettings.from_dsn(services.redis_url)
        # Ride out a Redis restart (about a minute of retries) instead of exiting: the
        # relay rebuilds the streams from PostgreSQL once Redis is back. arq's client is
        # redis.asyncio's, so the retry is asyncio's too (the synchronous Retry's
        # call_with_retry returned the coroutine unretried).
        redis_settings.retry_on_error = [RedisConnectionError, RedisTimeoutError]
        redis_settings.retry = Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=40)
        # arq handles SIGTERM and SIGINT: jobs are cancelled, then on_shutdown stops the relay.
        # arq types run_worker for WorkerSettingsBase subclasses; ours is a plain class, as arq's docs show.
        run_worker(WorkerSettings, redis_settings=redis_settings, ctx={"settings": settings})  # type: ignore[arg-type]
    finally:
        services.stop()


def _migrate(args: argparse.Namespace, settings: Settings) -> None:
    services = ensure_services(settings)
    try:
        _upgrade(services.database_url)
    finally:
        services.stop()


def _seed(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph.seed import seed_demo

    services = ensure_services(settings)
    try:
        _upgrade(services.database_url)
        asyncio.run(seed_demo(services.database_url, organizations=args.organizations, seed=args.seed))
    finally:
        services.stop()


def _audit_verify(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph.platform.audit.verify import verify_chains

    services = ensure_services(settings)
    try:
        results = asyncio.run(verify_chains(services.database_url, args.tenant))
    finally:
        services.stop()
    for slug, problems in results.items():
        sys.stdout.write(f"{slug}: {'ok' if not problems else 'BROKEN'}\n")
        for problem in problems:
            sys.stdout.write(f"  {problem}\n")
    if any(results.values()):
        raise SystemExit(1)


def _export_schema(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph.api.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


def _new_domain(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph import scaffold
    from crm_graph.domains.enabled import DOMAINS

    src = args.src or Path(__file__).resolve().parents[1]
    tests = args.tests or (src.parent / "tests" if (src.parent / "tests").is_dir() else None)
    tag = max(e.tag for d in DOMAINS for e in d.entities) + 1  # the next free global-ID tag
    try:
        names = scaffold.names_for(args.name, args.entity, tag)
        written = scaffold.write_domain(src, tests, names)
    except (ValueError, FileExistsError) as exc:
        raise Refused(str(exc)) from exc
    for path in written:
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write(
        f"\nNext:\n  1. add `{args.name}.DOMAIN` to DOMAINS in src/crm_graph/domains/enabled.py\n"
        f"     (from crm_graph.domains.{args.name} import manifest as {args.name})\n"
        f'  2. .venv/bin/alembic revision --autogenerate -m "{args.name}" (then add row-level security, see CONTRIBUTING.md)\n'
        f"  3. make schema\n"
    )


class Refused(Exception):
    """A command cannot do what was asked (unknown tenant, duplicate email, ...)."""


def _duration(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([smhd]?)", text.strip())
    if match is None or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 30m, 1h, 7d)")
    unit = {"s": "seconds", "": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def _with_database(settings: Settings, work: Callable[[Any], Awaitable[str]]) -> None:
    """Run `work(engine)` against the configured (or embedded) database; print its result.

    A Refused becomes a message on stderr and exit status 1.
    """
    from crm_graph.kernel.db import make_engine

    async def run(url: str) -> str:
        engine = make_engine(url, 1)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    services = ensure_services(settings)
    try:
        output = asyncio.run(run(services.database_url))
    except Refused as exc:
        raise SystemExit(f"crm-graph: {exc}") from None
    finally:
        services.stop()
    sys.stdout.write(output + "\n")


def _token(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph.platform.identity import auth

    async def work(engine: Any) -> str:
        found = await auth.find_user(engine, args.tenant, args.email)
        if found is None:
            raise Refused(f"no active user {args.email} in tenant {args.tenant}")
        return auth.issue_token_for(settings, found[0], found[1], args.ttl)

    _with_database(settings, work)


def _tenant_create(args: argparse.Namespace, settings: Settings) -> None:
    import sqlalchemy as sa

    from crm_graph import provisioning

    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?", args.slug):
        raise SystemExit("crm-graph: --slug takes lower-case letters, digits and inner hyphens (at most 64)")

    async def work(engine: Any) -> str:
        try:
            async with engine.begin() as conn:
                tenant_id = await provisioning.create_tenant(conn, args.slug, args.name)
        except sa.exc.IntegrityError:
            raise Refused(f"a tenant with slug {args.slug} exists") from None
        return str(tenant_id)

    _with_database(settings, work)


def _user_create(args: argparse.Namespace, settings: Settings) -> None:
    import sqlalchemy as sa

    from crm_graph import provisioning
    from crm_graph.platform.identity.api_keys import role_defined
    from crm_graph.platform.identity.models import Team, Tenant

    email = args.email.strip()
    roles = list(dict.fromkeys(r.strip() for r in args.role))

    async def work(engine: Any) -> str:
        tenants, teams = Tenant.__table__, Team.__table__
        async with engine.begin() as conn:
            tenant_id = (await conn.execute(sa.select(tenants.c.id).where(tenants.c.slug == args.tenant))).scalar()
            if tenant_id is None:
                raise Refused(f"no tenant with slug {args.tenant}")
            unknown = [r for r in roles if not await role_defined(conn.execute, tenant_id, r)]
            if unknown:
                raise Refused(f"tenant {args.tenant} has no role {', '.join(unknown)}")
            team_id = None
            if args.team:
                team_id = (
                    await conn.execute(
                        sa.select(teams.c.id).where(teams.c.tenant_id == tenant_id, teams.c.name == args.team)
                    )
                ).scalar()
                if team_id is None:
                    team_id = await provisioning.create_team(conn, tenant_id, args.team)
            try:
                async with conn.begin_nested():
                    user_id = await provisioning.create_user(
                        conn, tenant_id, email, args.name or email.split("@")[0], roles, team_id
                    )
            except sa.exc.IntegrityError:
                raise Refused(f"tenant {args.tenant} already has a user {email}") from None
        return str(user_id)

    _with_database(settings, work)


def _upgrade(database_url: str) -> None:
    from crm_graph.kernel.migrate import upgrade

    upgrade(database_url)


def _uvicorn(args: argparse.Namespace, settings: Settings, services: ServiceUrls) -> None:
    import uvicorn

    from crm_graph.platform.observability import tracing

    try:  # before any worker starts: each would fail alike, and uvicorn would respawn it
        tracing.check_installed(settings)
    except RuntimeError as exc:
        raise SystemExit(f"crm-graph: {exc}") from None
    # The app (and every worker process uvicorn spawns) reads the URLs from the
    # environment, so all of them use the services resolved here.
    os.environ["CRM_DATABASE_URL"] = services.database_url
    os.environ["CRM_REDIS_URL"] = services.redis_url
    get_settings.cache_clear()
    host, port = args.host or settings.host, args.port or settings.port
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # The workers add up their metrics in files here (prometheus_client's
        # multiprocess mode); one folder per port, emptied at each start.
        metrics_dir = settings.data_dir.resolve() / "metrics" / str(port)
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    from crm_graph.api.transport import ui

    ui.announce(settings, host, port)  # the URLs of the app, the widget demo and GraphiQL
    uvicorn.run(
        "crm_graph.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        # uvicorn formats an access line per request even when its level is off.
        access_log=log_level(settings) <= logging.INFO,
        log_config=None,  # uvicorn's lines go through configure_logging's handler (JSON)
        # X-Forwarded-* only from the proxies the app trusts (uvicorn trusts 127.0.0.1
        # by default), so its access log and the app agree on who the client is.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        ws_per_message_deflate=settings.ws_compression,
    )
