"""People who sign in: customers, operators, analysts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from shopora.models.base import lower_unique, utcnow
from shopora.models.status import Role, values


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        # Case-insensitive uniqueness, enforced by the database itself.
        lower_unique("uq_users_username_lower", "username"),
        lower_unique("uq_users_email_lower", "email"),
        CheckConstraint(f"role IN ({values(Role)})", name="ck_users_role"),
        CheckConstraint("failed_logins >= 0", name="ck_users_failed_logins"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(40), nullable=False)
    email: str = Field(sa_type=String(254), nullable=False)
    name: str = Field(sa_type=String(120), nullable=False)
    password_hash: str = Field(sa_type=String(100), nullable=False)
    role: str = Field(default=Role.CUSTOMER, sa_type=String(16), nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    failed_logins: int = Field(default=0, nullable=False)
    locked_until: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
