"""Settings: the one place configuration is read (environment or `.env`)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
DEV_COOKIE_KEY = "shopora-development-cookie-key-change-me"
EMULATOR_API_KEY = "sk_test_shopora_emulator"
EMULATOR_WEBHOOK_SECRET = "whsec_shopora_emulator_local_secret"

StripeMode = Literal["emulator", "test"]


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    shopora_env: Literal["development", "test", "production"] = "development"
    # Where the server listens. Loopback unless told otherwise: a laptop on café Wi-Fi must not
    # offer the demo logins (or the development cookie key) to its neighbours.
    host: str = "127.0.0.1"
    database_url: str = f"sqlite:///{VAR_DIR / 'shopora.sqlite3'}"
    # Up to 40 connections, one per API worker thread (anyio's default), of which 10 stay
    # open between bursts; a request that finds none free within the timeout is answered
    # 503 + Retry-After instead of queueing into a hang.
    database_pool_size: int = Field(default=10, ge=1)
    database_pool_overflow: int = Field(default=30, ge=0)
    database_pool_timeout_seconds: float = Field(default=3, gt=0)
    app_base_url: str = "http://localhost:8501"
    cookie_key: SecretStr = SecretStr(DEV_COOKIE_KEY)
    cookie_name: str = "shopora_auth"
    cookie_expiry_days: float = 7
    # A random id per browser, set by the server on the first page load: the guest's cart.
    guest_cookie_name: str = "shopora_guest"
    api_token_minutes: int = 60

    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_emulator_state: Path = VAR_DIR / "stripe-emulator.sqlite3"
    # A Stripe emulator run on its own (`python -m shopora.stripe_emulator`), shared by several
    # app processes; unset, the server mounts its own. Never in production.
    stripe_api_base: str | None = None
    # Stripe allows 30 min to 24 h; 30 min keeps a held stock reservation short.
    checkout_session_minutes: int = Field(default=30, ge=30, le=24 * 60)
    reconcile_interval_seconds: float = 60

    currency: str = "usd"
    # How money reads (Babel locale): "en_US" shows €1,234.50, "de_DE" 1.234,50 €.
    shop_locale: str = "en_US"
    shipping_standard_cents: int = Field(default=599, ge=0)
    shipping_express_cents: int = Field(default=1499, ge=0)
    free_shipping_threshold_cents: int = Field(default=7500, ge=0)
    demo_mode: bool = True
    # The shop's calendar: dashboard days, periods and rollups start at its midnight.
    # Changing it needs `python -m shopora.cli rebuild-rollups`.
    shop_timezone: str = "UTC"

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value.upper() not in list_currencies():
            raise ValueError(f"CURRENCY={value!r} is not an ISO 4217 code such as usd or eur")
        return value.lower()

    @field_validator("shop_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        try:
            Locale.parse(value)
        except (ValueError, UnknownLocaleError) as exc:
            raise ValueError(f"SHOP_LOCALE={value!r} is not a locale such as en_US") from exc
        return value

    @field_validator("stripe_secret_key", "stripe_webhook_secret", "stripe_api_base", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("shop_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"SHOP_TIMEZONE {value!r} is not a known time zone") from exc
        return value

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        key = self.stripe_secret_key.get_secret_value() if self.stripe_secret_key else ""
        if key.startswith(("sk_live_", "rk_live_")):
            raise ConfigError(
                "STRIPE_SECRET_KEY is a live key. Shopora is a demo and only runs in Stripe "
                "test mode: use an sk_test_ key, or unset it to use the local Stripe emulator."
            )
        if key and not key.startswith("sk_test_"):
            raise ConfigError("STRIPE_SECRET_KEY must start with sk_test_ (or be unset).")
        if self.shopora_env == "production" and self.stripe_api_base:
            raise ConfigError(
                "STRIPE_API_BASE points Shopora at a Stripe stand-in; production talks to "
                "Stripe itself: unset STRIPE_API_BASE."
            )
        if self.stripe_api_base and not self.stripe_api_base.startswith(("http://", "https://")):
            raise ConfigError("STRIPE_API_BASE must be an http:// or https:// address.")
        cookie = self.cookie_key.get_secret_value()
        if self.shopora_env == "production" and (cookie == DEV_COOKIE_KEY or len(cookie) < 32):
            raise ConfigError(
                "COOKIE_KEY must be a random secret of at least 32 characters in production "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        return self

    @property
    def stripe_mode(self) -> StripeMode:
        return "test" if self.stripe_secret_key else "emulator"

    @property
    def mounts_emulator(self) -> bool:
        """No Stripe key and no emulator of its own: the server serves one at /stripe-emulator."""
        return self.stripe_mode == "emulator" and not self.stripe_api_base

    @property
    def emulator_url(self) -> str:
        if self.stripe_api_base:
            return self.stripe_api_base.rstrip("/")
        return f"{self.app_base_url.rstrip('/')}/stripe-emulator"

    @property
    def stripe_api_address(self) -> str | None:
        """Where the gateway sends Stripe API calls; None is Stripe itself."""
        if self.stripe_api_base:
            return self.stripe_api_base.rstrip("/")
        return self.emulator_url if self.stripe_mode == "emulator" else None

    @property
    def listens_beyond_loopback(self) -> bool:
        if self.host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name other than localhost may resolve to anything
            return True

    @property
    def webhook_url(self) -> str:
        return f"{self.app_base_url.rstrip('/')}/api/webhooks/stripe"

    def stripe_api_key(self) -> str:
        """The real test key, or the emulator's (which accepts any sk_test_ key)."""
        if self.stripe_secret_key:
            return self.stripe_secret_key.get_secret_value()
        return EMULATOR_API_KEY

    def webhook_secret(self) -> str:
        if self.stripe_webhook_secret:
            return self.stripe_webhook_secret.get_secret_value()
        return EMULATOR_WEBHOOK_SECRET


@lru_cache
def get_settings() -> Settings:
    return Settings()
