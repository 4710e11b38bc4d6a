"""Accounts: registration, sign-in with throttling, profiles and passwords."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import bcrypt
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, or_, select

from shopora.db import lock
from shopora.errors import (
    AlreadyExists,
    AuthenticationFailed,
    NotFound,
    TooManyAttempts,
    ValidationFailed,
)
from shopora.models import Role, User
from shopora.models.base import utcnow
from shopora.models.users import MAX_NAME, UserBase

# bcrypt's default cost; tests lower it (the factories use 4) to stay fast.
BCRYPT_ROUNDS = 12
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
WRONG_CREDENTIALS = "Incorrect username or password."

# What a field that breaks its rule (declared once, in UserBase) tells a person.
_RULES = {
    "username": "Usernames are 3 to 30 characters: letters, digits, '_', '.' or '-'.",
    "email": "Enter a valid email address.",
    "name": f"Names are 1 to {MAX_NAME} characters.",
}
MIN_PASSWORD = 8
# bcrypt ignores (bcrypt >= 5 refuses) anything past 72 bytes.
MAX_PASSWORD_BYTES = 72


def hash_password(password: str) -> str:
    """A salted bcrypt hash of `password`."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    """Whether `password` matches `password_hash` (bcrypt compares in constant time)."""
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:  # a malformed hash, or a password bcrypt refuses
        return False


def register(
    *,
    session: Session,
    username: str,
    email: str,
    name: str,
    password: str,
    role: Role = Role.CUSTOMER,
) -> User:
    """Create an account after checking every rule; usernames and emails are unique in any case."""
    username = _checked("username", username)
    email = _checked("email", email)
    name = _checked("name", name)
    _check_password(password, username=username)
    _refuse_taken(session, username=username, email=email)
    user = User(
        username=username,
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=Role(role).value,
    )
    _save(session, user, username=username, email=email)
    return user


def authenticate(
    *, session: Session, login: str, password: str, now: datetime | None = None
) -> User:
    """The user `login` (username or email) names, if `password` is theirs and they may sign in."""
    now = now or utcnow()
    user = _find_by_login(session, login)
    if user is None or user.id is None:
        verify_password(password, _dummy_hash(BCRYPT_ROUNDS))  # same time as a real check
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    user = lock(session, User, user.id)  # failure counters change under concurrent attempts
    if user is None:
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    _refuse_if_locked(session, user, now)
    if not verify_password(password, user.password_hash):
        _record_failure(session, user, now)
    if not user.is_active:
        session.rollback()
        raise AuthenticationFailed("This account has been deactivated.")
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return user


def get_user(*, session: Session, user_id: int) -> User:
    """The user with this id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.", field="user_id")
    return user


def get_user_by_username(*, session: Session, username: str) -> User | None:
    """The user with this username (any case), if there is one."""
    wanted = username.strip().lower()
    return session.exec(select(User).where(func.lower(User.username) == wanted)).first()


def list_users(*, session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.exec(select(User).order_by(col(User.username))).all())


def update_profile(*, session: Session, user_id: int, name: str, email: str) -> User:
    """Change a user's display name and email, with the registration rules."""
    name = _checked("name", name)
    email = _checked("email", email)
    user = get_user(session=session, user_id=user_id)
    _refuse_taken(session, email=email, except_id=user_id)
    user.name = name
    user.email = email
    _save(session, user, email=email)
    return user


def change_password(
    *, session: Session, user_id: int, current_password: str, new_password: str
) -> None:
    """Replace a user's password after checking the current one."""
    user = get_user(session=session, user_id=user_id)
    if not verify_password(current_password, user.password_hash):
        raise AuthenticationFailed("Your current password is incorrect.", field="current_password")
    _check_password(new_password, username=user.username, field="new_password")
    user.password_hash = hash_password(new_password)
    session.commit()


# --- rules ---------------------------------------------------------------------------------


def _checked(field: str, value: str) -> str:
    """`value` cleaned (trimmed, lower case where it must be) and checked by UserBase."""
    holder = UserBase.model_construct()
    try:
        UserBase.__pydantic_validator__.validate_assignment(holder, field, value)
    except ValidationError:
        raise ValidationFailed(_RULES[field], field=field) from None
    checked: str = getattr(holder, field)
    return checked


def _check_password(password: str, *, username: str, field: str = "password") -> None:
    """Passwords are taken as typed (never stripped): spaces may be part of them."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"Passwords need at least {MIN_PASSWORD} characters.", field=field)
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise ValidationFailed(
            f"Passwords can be at most {MAX_PASSWORD_BYTES} bytes long.", field=field
        )
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise ValidationFailed("Passwords need at least one letter and one digit.", field=field)
    if password.lower() == username.lower():
        raise ValidationFailed("Your password cannot be your username.", field=field)


def _taken_field(
    session: Session, *, username: str | None = None, email: str | None = None, except_id: int = 0
) -> str | None:
    """Which of `username`/`email` another account already uses, compared without case."""
    for field, column, value in (
        ("username", User.username, username),
        ("email", User.email, email),
    ):
        if value is None:
            continue
        clash = select(col(User.id)).where(func.lower(column) == value, col(User.id) != except_id)
        if session.exec(clash).first() is not None:
            return field
    return None


def _refuse_taken(
    session: Session, *, username: str | None = None, email: str | None = None, except_id: int = 0
) -> None:
    field = _taken_field(session, username=username, email=email, except_id=except_id)
    if field is not None:
        raise AlreadyExists(f"That {field} is already registered.", field=field)


def _save(session: Session, user: User, *, username: str | None = None, email: str) -> None:
    """Commit `user`; a concurrent registration that won the race still reads as AlreadyExists."""
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        field = _taken_field(session, username=username, email=email, except_id=user.id or 0)
        if field is None:
            raise
        raise AlreadyExists(f"That {field} is already registered.", field=field) from None
    session.refresh(user)


# --- sign-in -------------------------------------------------------------------------------


def _find_by_login(session: Session, login: str) -> User | None:
    wanted = login.strip().lower()
    matches = or_(func.lower(User.username) == wanted, func.lower(User.email) == wanted)
    return session.exec(select(User).where(matches)).first()


def _refuse_if_locked(session: Session, user: User, now: datetime) -> None:
    """While locked even the right password is refused; an expired lock starts a fresh count."""
    if user.locked_until is None:
        return
    if user.locked_until > now:
        session.rollback()
        raise _locked(user.locked_until, now)
    user.locked_until = None
    user.failed_logins = 0


def _record_failure(session: Session, user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins < MAX_FAILED_LOGINS:
        session.commit()
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    user.locked_until = now + LOCKOUT
    session.commit()
    raise _locked(user.locked_until, now)


def _locked(until: datetime, now: datetime) -> TooManyAttempts:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return TooManyAttempts(
        "Too many failed sign-in attempts. "
        f"Try again in {minutes} {unit} (after {until.astimezone(UTC):%H:%M} UTC)."
    )


@lru_cache
def _dummy_hash(rounds: int) -> str:
    return bcrypt.hashpw(b"not a real password", bcrypt.gensalt(rounds=rounds)).decode()
