"""Accounts and tokens."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shopora.api.schemas_common import text
from shopora.models import Role
from shopora.models.users import UserBase


class RegisterRequest(UserBase):
    """The account's fields and limits come from UserBase (the table and the users service use
    the same); the service adds the password rules and uniqueness."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "username": "ada",
                    "email": "ada@example.com",
                    "name": "Ada Lovelace",
                    "password": "analytical1843",
                }
            ]
        }
    }

    password: Annotated[str, text(200, 1)]


class TokenRequest(BaseModel):
    """OAuth2 password grant: sent as a form (`application/x-www-form-urlencoded`) or as JSON."""

    model_config = {
        "json_schema_extra": {"examples": [{"username": "customer", "password": "customer123"}]}
    }

    username: Annotated[str, text(320, 1)] = Field(description="Username or email.")
    password: Annotated[str, text(200, 1)]
    grant_type: Literal["password"] | None = None


class TokenResponse(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIs...",
                    "token_type": "bearer",
                    "expires_in": 3600,
                }
            ]
        }
    }

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class UserPublic(UserBase):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": 3,
                    "username": "ada",
                    "email": "ada@example.com",
                    "name": "Ada Lovelace",
                    "role": "customer",
                }
            ]
        }
    }

    id: int
    role: Role
