"""Registration, tokens, and who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from shopora.api.deps import (
    ClientAddress,
    CurrentUser,
    RegistrationLimiter,
    SessionDep,
    SettingsDep,
    SignInLimiter,
)
from shopora.api.errors import errors
from shopora.api.schemas_auth import RegisterRequest, TokenRequest, TokenResponse, UserPublic
from shopora.api.security import issue_token
from shopora.models.base import pk
from shopora.services import users

router = APIRouter(prefix="/auth", tags=["auth"])

_TOKEN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": TokenRequest.model_json_schema()}
            for media in ("application/x-www-form-urlencoded", "application/json")
        },
    }
}


async def read_credentials(request: Request) -> TokenRequest:
    """The OAuth2 form most clients send, or the same fields as JSON."""
    data: Any
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[...
            raise RequestValidationError(
                [{"type": "json_invalid", "loc": ("body",), "msg": "The body is not valid JSON."}]
            ) from None
    else:
        data = dict(await request.form())
    try:
        return TokenRequest.model_validate(data)
    except ValidationError as exc:
        problems = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(problems) from None


Credentials = Annotated[TokenRequest, Depends(read_credentials)]


@router.post(
    "/register",
    status_code=201,
    responses=errors(409, 422, 429),
    summary="Create a customer account",
)
def register(
    body: RegisterRequest,
    session: SessionDep,
    limiter: RegistrationLimiter,
    client: ClientAddress,
) -> UserPublic:
    """Register a customer; then get a token with `POST /auth/token`."""
    limiter.hit(client)
    user = users.register(
        session=session,
        username=body.username,
        email=body.email,
        name=body.name,
        password=body.password,
    )
    return UserPublic.model_validate(user, from_attributes=True)


@router.post(
    "/token",
    responses=errors(401, 422, 429),
    openapi_extra=_TOKEN_BODY,
    summary="Sign in and get a bearer token",
)
def token(
    credentials: Credentials,
    session: SessionDep,
    settings: SettingsDep,
    limiter: SignInLimiter,
    client: ClientAddress,
    response: Response,
) -> TokenResponse:
    """Exchange a username (or email) and password for a bearer token.

    Ten attempts per minute per client address, and five wrong passwords lock the account
    for a few minutes.
    """
    limiter.hit(client)
    user = users.authenticate(
        session=session, login=credentials.username, password=credentials.password
    )
    issued = issue_token(settings, pk(user))
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@router.get("/me", responses=errors(401), summary="The signed-in account")
def me(user: CurrentUser) -> UserPublic:
    """Who the bearer token belongs to."""
    return UserPublic.model_validate(user, from_attributes=True)
