"""People who sign in: customers, operators, analysts."""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator
from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from shopora.models.base import lower_unique, utcnow
from shopora.models.status import Role, values

# ASCII only: SQLite's lower() folds ASCII alone, and the unique indexes rely on lower().
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,30}$"
# No whitespace or control characters anywhere (PostgreSQL text cannot hold NUL).
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
MAX_EMAIL = 254
MAX_NAME = 120


class UserBase(SQLModel):
    """Who someone is to the shop. These fields and their limits are declared here once: the
    table, the users service (which checks them) and the API's schemas (whose OpenAPI shows
    them) all derive from this class."""

    username: str = Field(
        sa_type=String(40),
        nullable=False,
        min_length=3,
        max_length=30,
        schema_extra={"pattern": USERNAME_PATTERN},
        description="3 to 30 letters, digits, '_', '.' or '-'; kept in lower case, unique.",
    )
    email: str = Field(
        sa_type=String(MAX_EMAIL),
        nullable=False,
        max_length=MAX_EMAIL,
        schema_extra={"pattern": EMAIL_PATTERN},
        description="Kept in lower case; unique.",
    )
    name: str = Field(
        sa_type=String(MAX_NAME),
        nullable=False,
        min_length=1,
        max_length=MAX_NAME,
        schema_extra={"pattern": NAME_PATTERN},
        description="Shown on orders and receipts.",
    )

    # Validation runs for the derived schemas and the service's checks (SQLModel tables skip
    # it), so input is cleaned the same way wherever it comes from.
    @field_validator("username", "email", mode="before")
    @classmethod
    def _trimmed_lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("name", mode="before")
    @classmethod
    def _trimmed(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class User(UserBase, table=True):
    __tablename__ = "users"
    __table_args__ = (
        # Case-insensitive uniqueness, enforced by the database itself.
        lower_unique("uq_users_username_lower", "username"),
        lower_unique("uq_users_email_lower", "email"),
        CheckConstraint(f"role IN ({values(Role)})", name="ck_users_role"),
        CheckConstraint("failed_logins >= 0", name="ck_users_failed_logins"),
    )

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(sa_type=String(100), nullable=False)
    role: str = Field(default=Role.CUSTOMER, sa_type=String(16), nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    failed_logins: int = Field(default=0, nullable=False)
    locked_until: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
