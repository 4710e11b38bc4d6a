"""Dependencies every route shares: the database session, settings and who is calling.

Tests swap them with `app.dependency_overrides[get_session] = ...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from shopora.api.security import INVALID_TOKEN, RateLimiter, user_id_from_token
from shopora.config import Settings, get_settings
from shopora.db import session_scope
from shopora.errors import AuthenticationFailed, Forbidden, NotFound
from shopora.models import Role
from shopora.models.base import pk
from shopora.payments.gateway import StripeGateway, get_gateway
from shopora.services import users
from shopora.services.actors import Actor

# Relative, so it resolves against wherever the API is mounted (/api/auth/token).
bearer = OAuth2PasswordBearer(
    tokenUrl="auth/token",
    auto_error=False,
    description="A token from `POST /auth/token` (username or email, and password).",
)


def get_session() -> Iterator[Session]:
    """One session per request; whatever a service did not commit is rolled back."""
    with session_scope() as session:
        yield session


def get_app_settings() -> Settings:
    return get_settings()


def get_payment_gateway() -> StripeGateway:
    """Real Stripe test mode or the local emulator, as the settings say."""
    return get_gateway()


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
GatewayDep = Annotated[StripeGateway, Depends(get_payment_gateway)]
TokenDep = Annotated[str | None, Depends(bearer)]


@dataclass(frozen=True)
class Principal:
    """The signed-in caller: plain values, never an ORM row held across the request."""

    id: int
    username: str
    name: str
    email: str
    role: Role

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.id)


def get_current_user(session: SessionDep, settings: SettingsDep, token: TokenDep) -> Principal:
    """The caller named by a valid bearer token whose account still exists and is active."""
    if not token:
        raise AuthenticationFailed("Sign in first: send `Authorization: Bearer <token>`.")
    user_id = user_id_from_token(settings, token)
    try:
        user = users.get_user(session=session, user_id=user_id)
    except NotFound:
        raise AuthenticationFailed(INVALID_TOKEN) from None
    if not user.is_active:
        raise AuthenticationFailed("This account has been deactivated.")
    principal = Principal(pk(user), user.username, user.name, user.email, Role(user.role))
    # End the read transaction now: payment routes go on to call Stripe (which may deliver a
    # webhook to this very server meanwhile), and no transaction should span a network call.
    session.rollback()
    return principal


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def require_operator(user: CurrentUser) -> Principal:
    if user.role != Role.OPERATOR:
        raise Forbidden("Only operators can do this.")
    return user


def require_staff(user: CurrentUser) -> Principal:
    if user.role not in (Role.OPERATOR, Role.ANALYST):
        raise Forbidden("Only operators and analysts can see this.")
    return user


OperatorUser = Annotated[Principal, Depends(require_operator)]
StaffUser = Annotated[Principal, Depends(require_staff)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.sign_in_limiter
    return limiter


def registration_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.registration_limiter
    return limiter


ClientAddress = Annotated[str, Depends(client_address)]
SignInLimiter = Annotated[RateLimiter, Depends(sign_in_limiter)]
RegistrationLimiter = Annotated[RateLimiter, Depends(registration_limiter)]
