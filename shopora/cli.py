"""`shopora` command line: migrate, seed, serve, reconcile, rebuild-rollups, check-rollups."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from shopora.config import ConfigError, get_settings


def _migrate(_args: argparse.Namespace) -> None:
    from shopora.db import migrate

    migrate()
    print("Database migrated.")


def _seed(args: argparse.Namespace) -> None:
    from shopora.db import session_scope
    from shopora.seed import seed_database

    with session_scope() as session:
        report = seed_database(session=session, history=not args.no_history)
    print(report)


def _serve(args: argparse.Namespace) -> None:
    from shopora.server import serve

    serve(port=args.port, host=args.host)


def _set_password(args: argparse.Namespace) -> None:
    import getpass

    from shopora.db import session_scope
    from shopora.errors import ShoporaError
    from shopora.services import users

    current = getpass.getpass(f"Current password of {args.username}: ")
    new = getpass.getpass("New password: ")
    with session_scope() as session:
        user = users.get_user_by_username(session=session, username=args.username)
        if user is None or user.id is None:
            sys.exit(f"No user named {args.username}.")
        try:
            users.change_password(
                session=session, user_id=user.id, current_password=current, new_password=new
            )
        except ShoporaError as exc:
            sys.exit(exc.message)
    print(f"Password of {args.username} changed.")


def _reconcile(_args: argparse.Namespace) -> None:
    from shopora.payments.reconcile import reconcile_from_cli

    print(reconcile_from_cli())


def _rebuild_rollups(_args: argparse.Namespace) -> None:
    from shopora.db import session_scope
    from shopora.services.rollups_rebuild import rebuild

    with session_scope() as session:
        rows = rebuild(session)
        session.commit()
    print(f"Rollups rebuilt from the source rows: {rows} rows.")


def _check_rollups(_args: argparse.Namespace) -> None:
    from shopora.db import session_scope
    from shopora.services.rollups_rebuild import differences

    with session_scope() as session:
        found = differences(session)
    for difference in found:
        print(difference)
    if found:
        sys.exit(f"{len(found)} rollup values differ from the source rows.")
    print("Rollups match the source rows.")


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "migrate": _migrate,
    "seed": _seed,
    "serve": _serve,
    "reconcile": _reconcile,
    "set-password": _set_password,
    "rebuild-rollups": _rebuild_rollups,
    "check-rollups": _check_rollups,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopora", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database schema up to date")
    seed = sub.add_parser("seed", help="load the demo catalog, users, codes (and order history)")
    seed.add_argument("--no-history", action="store_true", help="skip the demo order history")
    serve = sub.add_parser("serve", help="serve the UI, the API and the Stripe emulator")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--host", help="address to listen on (default: the HOST setting, 127.0.0.1)")
    sub.add_parser("reconcile", help="settle pending orders whose Stripe session moved on")
    password = sub.add_parser("set-password", help="change a user's password (asks for both)")
    password.add_argument("username")
    sub.add_parser("rebuild-rollups", help="recompute the dashboard rollups from the orders")
    sub.add_parser(
        "check-rollups", help="compare the rollups with the orders; non-zero exit on a difference"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        get_settings()
    except ConfigError as exc:
        sys.exit(f"Configuration error: {exc}")
    COMMANDS[args.command](args)


if __name__ == "__main__":
    main()
