"""Private by default: what stops the server from listening beyond this machine.

The development cookie key is in the source and the demo accounts' passwords are printed
in the banner and the README: on any other interface than loopback, anyone who can reach
the port could sign in as the operator (or mint an operator cookie) and refund orders.
"""

from __future__ import annotations

from sqlmodel import Session

from shopora.config import DEV_COOKIE_KEY, Settings
from shopora.seed import load_seed
from shopora.services import users

NEW_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def demo_passwords_in_use(session: Session) -> list[str]:
    """Seeded demo accounts that still sign in with the password the seed gave them."""
    in_use = []
    for account in load_seed()["users"]:
        user = users.get_user_by_username(session=session, username=account["username"])
        if user and users.verify_password(account["password"], user.password_hash):
            in_use.append(f"{account['username']} / {account['password']}")
    return in_use


def exposure_problems(settings: Settings, session: Session) -> list[str]:
    """Why the server may not listen on `settings.host`; empty when it may."""
    if not settings.listens_beyond_loopback:
        return []
    problems = []
    if settings.cookie_key.get_secret_value() == DEV_COOKIE_KEY:
        problems.append(
            f"the development cookie key is in use: set COOKIE_KEY to a random secret ({NEW_KEY})"
        )
    for login in demo_passwords_in_use(session):
        username = login.split(" / ")[0]
        problems.append(
            f"the demo account {login} still has its demo password: set a new one with "
            f"`python -m shopora.cli set-password {username}`"
        )
    return problems


def refusal(settings: Settings, problems: list[str]) -> str:
    lines = [f"Refusing to listen on {settings.host} (beyond this machine) while:"]
    lines += [f"  - {problem}" for problem in problems]
    lines.append("Or serve on this machine only: HOST=127.0.0.1 (the default).")
    return "\n".join(lines)
