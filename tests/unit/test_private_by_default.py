"""Private by default: loopback unless told, and never beyond it with the demo's secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import SecretStr
from sqlmodel import Session

from shopora.config import ConfigError, Settings
from shopora.exposure import exposure_problems
from shopora.server import banner
from tests.factories import make_user

STRONG_KEY = SecretStr("k" * 48)


def test_the_server_listens_on_loopback_unless_told_otherwise() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert settings.host == "127.0.0.1"
    assert not settings.listens_beyond_loopback
    assert "127.0.0.1:8501: this machine only" in banner(settings, 8501)


@pytest.mark.parametrize(
    ("host", "beyond"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True),
     ("192.168.1.20", True), ("my-laptop.local", True)],
)  # fmt: skip
def test_any_address_but_loopback_counts_as_beyond_this_machine(host: str, beyond: bool) -> None:
    assert Settings(_env_file=None, host=host).listens_beyond_loopback is beyond  # type: ignore[call-arg]


def test_on_loopback_nothing_is_refused(session: Session) -> None:
    make_user(session, username="operator", password="operator123")

    assert exposure_problems(Settings(_env_file=None), session) == []  # type: ignore[call-arg]


def test_beyond_loopback_the_development_cookie_key_is_refused_saying_what_to_set(
    session: Session,
) -> None:
    settings = Settings(_env_file=None, host="0.0.0.0")  # type: ignore[call-arg]

    problems = exposure_problems(settings, session)

    assert len(problems) == 1
    assert "COOKIE_KEY" in problems[0]


def test_beyond_loopback_a_demo_account_with_its_demo_password_is_refused(
    session: Session,
) -> None:
    make_user(session, username="operator", password="operator123")
    make_user(session, username="customer", password="a-new-secret-1")
    settings = Settings(_env_file=None, host="0.0.0.0", cookie_key=STRONG_KEY)  # type: ignore[call-arg]

    problems = exposure_problems(settings, session)

    assert len(problems) == 1
    assert "operator / operator123" in problems[0]
    assert "python -m shopora.cli set-password operator" in problems[0]


def test_beyond_loopback_with_a_real_key_and_changed_passwords_is_allowed(
    session: Session,
) -> None:
    make_user(session, username="operator", password="a-new-secret-1")
    settings = Settings(_env_file=None, host="0.0.0.0", cookie_key=STRONG_KEY)  # type: ignore[call-arg]

    assert exposure_problems(settings, session) == []
    assert "reachable from other machines" in banner(settings, 8501)


def test_a_standalone_emulator_is_where_the_gateway_and_the_links_point() -> None:
    settings = Settings(_env_file=None, stripe_api_base="http://127.0.0.1:12111/")  # type: ignore[call-arg]

    assert settings.stripe_api_address == "http://127.0.0.1:12111"
    assert settings.emulator_url == "http://127.0.0.1:12111"
    assert not settings.mounts_emulator
    assert "running on its own at http://127.0.0.1:12111" in banner(settings, 8501)


def test_without_a_standalone_emulator_the_server_mounts_its_own() -> None:
    settings = Settings(_env_file=None, app_base_url="http://localhost:8501")  # type: ignore[call-arg]

    assert settings.mounts_emulator
    assert settings.stripe_api_address == "http://localhost:8501/stripe-emulator"


def test_a_stripe_stand_in_is_refused_in_production() -> None:
    with pytest.raises(ConfigError, match="unset STRIPE_API_BASE"):
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            shopora_env="production",
            cookie_key=STRONG_KEY,
            stripe_api_base="http://127.0.0.1:12111",
        )


def test_serve_exits_before_listening_on_every_interface_with_the_development_key(
    sqlite_url: str,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COOKIE_KEY", "HOST")}
    env["DATABASE_URL"] = sqlite_url
    command = [sys.executable, "-m", "shopora.cli", "serve", "--host", "0.0.0.0", "--port", "9"]

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert finished.returncode != 0
    assert "Refusing to listen on 0.0.0.0" in finished.stderr
    assert "set COOKIE_KEY" in finished.stderr
