"""Accounts: registration rules, sign-in throttling, profiles and passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from shopora.errors import (
    AlreadyExists,
    AuthenticationFailed,
    NotFound,
    TooManyAttempts,
    ValidationFailed,
)
from shopora.models import Role, User
from shopora.services import users
from shopora.services.users import (
    authenticate,
    change_password,
    get_user,
    get_user_by_username,
    hash_password,
    list_users,
    register,
    update_profile,
    verify_password,
)
from tests.factories import make_user

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The minimum bcrypt cost keeps these tests fast; production keeps the default."""
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)


def sign_up(session: Session, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "username": "ada",
        "email": "ada@example.test",
        "name": "Ada Lovelace",
        "password": "engine1843",
    }
    values.update(overrides)
    return register(session=session, **values)


def fail_to_sign_in(session: Session, user: User, times: int, now: datetime = NOW) -> None:
    for _ in range(times):
        with pytest.raises((AuthenticationFailed, TooManyAttempts)):
            authenticate(session=session, login=user.username, password="wrong-pass1", now=now)


def committed(session: Session, user: User) -> User:
    """The user as the database holds it, after dropping anything uncommitted."""
    session.rollback()
    return get_user(session=session, user_id=user.id or 0)


# --- passwords -----------------------------------------------------------------------------


def test_a_hashed_password_verifies_and_nothing_else_does() -> None:
    # when
    hashed = hash_password("correct horse 1")

    # then
    assert verify_password("correct horse 1", hashed)
    assert not verify_password("correct horse 2", hashed)
    assert hashed != hash_password("correct horse 1")  # salted


def test_a_malformed_hash_never_verifies() -> None:
    assert not verify_password("anything1", "not-a-bcrypt-hash")


# --- registration --------------------------------------------------------------------------


def test_registering_creates_a_customer_with_tidied_details(session: Session) -> None:
    # when
    user = sign_up(session, username="  Ada.L ", email=" Ada@Example.TEST ", name=" Ada  ")

    # then
    stored = committed(session, user)
    assert (stored.username, stored.email, stored.name) == ("ada.l", "ada@example.test", "Ada")
    assert stored.role == Role.CUSTOMER
    assert stored.is_active
    assert verify_password("engine1843", stored.password_hash)


def test_registering_can_create_an_operator(session: Session) -> None:
    assert sign_up(session, role=Role.OPERATOR).role == Role.OPERATOR


@pytest.mark.parametrize("username", ["ab", "a" * 31, "has space", "bang!", "émile", "a@b"])
def test_a_bad_username_is_refused(session: Session, username: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sign_up(session, username=username)
    assert refused.value.field == "username"


@pytest.mark.parametrize("username", ["abc", "a" * 30, "first.last-2_x"])
def test_usernames_of_3_to_30_letters_digits_and_separators_are_accepted(
    session: Session, username: str
) -> None:
    assert sign_up(session, username=username).username == username


@pytest.mark.parametrize(
    "email", ["", "no-at-sign", "a@b", "two@@example.test", "a b@example.test", "x@y.z" + "z" * 250]
)
def test_a_bad_email_is_refused(session: Session, email: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sign_up(session, email=email)
    assert refused.value.field == "email"


def test_an_email_of_254_characters_is_accepted(session: Session) -> None:
    email = "a" * (254 - len("@example.test")) + "@example.test"
    assert sign_up(session, email=email).email == email


@pytest.mark.parametrize("name", ["", "   ", "n" * 121])
def test_a_missing_or_overlong_name_is_refused(session: Session, name: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sign_up(session, name=name)
    assert refused.value.field == "name"


def test_a_name_of_120_characters_is_accepted(session: Session) -> None:
    assert sign_up(session, name="n" * 120).name == "n" * 120


@pytest.mark.parametrize(
    "password",
    ["short1a", "onlyletters", "1234567890", "Ada12345x" * 8 + "x", "Ada2024x"],
    ids=["too-short", "no-digit", "no-letter", "over-72-bytes", "same-as-username"],
)
def test_a_weak_password_is_refused(session: Session, password: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sign_up(session, username="ada2024x", password=password)
    assert refused.value.field == "password"


def test_a_refused_registration_creates_no_account(session: Session) -> None:
    # when
    with pytest.raises(ValidationFailed):
        sign_up(session, password="short")

    # then
    assert list_users(session=session) == []


@pytest.mark.parametrize(
    ("duplicate", "field"),
    [
        ({"username": "ADA", "email": "other@example.test"}, "username"),
        ({"username": "other", "email": "ADA@example.TEST"}, "email"),
    ],
)
def test_a_username_or_email_already_taken_in_any_case_is_refused(
    session: Session, duplicate: dict[str, str], field: str
) -> None:
    # given
    sign_up(session)

    # when
    with pytest.raises(AlreadyExists) as refused:
        sign_up(session, **duplicate)

    # then
    assert refused.value.field == field
    assert len(list_users(session=session)) == 1


def test_a_registration_that_loses_a_race_still_reads_as_already_exists(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the other request committed between our check and our insert
    make_user(session, username="ada", email="ada@example.test")
    monkeypatch.setattr(users, "_refuse_taken", lambda *_args, **_kwargs: None)

    # when
    with pytest.raises(AlreadyExists) as refused:
        sign_up(session, email="ADA@example.test")

    # then: the database's unique index caught it and the session is usable again
    assert refused.value.field == "username"
    assert len(list_users(session=session)) == 1


# --- signing in ----------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["ada", "ADA", " Ada ", "ada@example.test", "Ada@Example.Test"])
def test_signing_in_by_username_or_email_ignores_case(session: Session, login: str) -> None:
    # given
    user = sign_up(session)

    # when
    signed_in = authenticate(session=session, login=login, password="engine1843", now=NOW)

    # then
    assert signed_in.id == user.id


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(session: Session) -> None:
    # given
    sign_up(session)

    # when
    with pytest.raises(AuthenticationFailed) as unknown:
        authenticate(session=session, login="nobody", password="engine1843", now=NOW)
    with pytest.raises(AuthenticationFailed) as wrong:
        authenticate(session=session, login="ada", password="engine1844", now=NOW)

    # then
    assert unknown.value.message == wrong.value.message == "Incorrect username or password."


def test_a_wrong_password_is_counted_and_the_count_is_committed(session: Session) -> None:
    # given
    user = sign_up(session)

    # when
    fail_to_sign_in(session, user, times=2)

    # then
    assert committed(session, user).failed_logins == 2


def test_a_successful_sign_in_resets_the_failure_count(session: Session) -> None:
    # given
    user = sign_up(session)
    fail_to_sign_in(session, user, times=4)

    # when
    authenticate(session=session, login="ada", password="engine1843", now=NOW)

    # then
    assert committed(session, user).failed_logins == 0
    fail_to_sign_in(session, user, times=4)  # four more are not five in a row
    assert committed(session, user).locked_until is None


def test_the_fifth_failure_in_a_row_locks_the_account_for_five_minutes(session: Session) -> None:
    # given
    user = sign_up(session)
    fail_to_sign_in(session, user, times=4)

    # when
    with pytest.raises(TooManyAttempts) as locked:
        authenticate(session=session, login="ada", password="wrong-pass1", now=NOW)

    # then
    assert committed(session, user).locked_until == NOW + timedelta(minutes=5)
    assert "Try again in 5 minutes (after 12:05 UTC)" in locked.value.message


def test_while_locked_even_the_right_password_is_refused(session: Session) -> None:
    # given
    user = sign_up(session)
    fail_to_sign_in(session, user, times=5)

    # when
    with pytest.raises(TooManyAttempts) as locked:
        authenticate(
            session=session,
            login="ada",
            password="engine1843",
            now=NOW + timedelta(minutes=4, seconds=30),
        )

    # then
    assert "Try again in 1 minute " in locked.value.message
    assert committed(session, user).locked_until == NOW + timedelta(minutes=5)


def test_once_the_lock_expires_the_right_password_works_and_clears_it(session: Session) -> None:
    # given
    user = sign_up(session)
    fail_to_sign_in(session, user, times=5)

    # when
    authenticate(
        session=session, login="ada", password="engine1843", now=NOW + timedelta(minutes=5)
    )

    # then
    stored = committed(session, user)
    assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_after_the_lock_expires_a_wrong_password_starts_a_fresh_count(session: Session) -> None:
    # given
    user = sign_up(session)
    fail_to_sign_in(session, user, times=5)

    # when
    later = NOW + timedelta(minutes=6)
    with pytest.raises(AuthenticationFailed):
        authenticate(session=session, login="ada", password="wrong-pass1", now=later)

    # then
    stored = committed(session, user)
    assert (stored.failed_logins, stored.locked_until) == (1, None)


def test_a_deactivated_account_cannot_sign_in(session: Session) -> None:
    # given
    make_user(session, username="gone", password="engine1843", is_active=False)

    # when / then
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        authenticate(session=session, login="gone", password="engine1843", now=NOW)


def test_a_deactivated_account_with_a_wrong_password_gets_the_usual_answer(
    session: Session,
) -> None:
    # given
    make_user(session, username="gone", password="engine1843", is_active=False)

    # when / then
    with pytest.raises(AuthenticationFailed, match="Incorrect username or password"):
        authenticate(session=session, login="gone", password="wrong-pass1", now=NOW)


# --- looking people up ---------------------------------------------------------------------


def test_a_user_is_found_by_id(session: Session) -> None:
    user = make_user(session)
    assert get_user(session=session, user_id=user.id or 0).username == user.username


def test_a_missing_user_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        get_user(session=session, user_id=999_999)


def test_a_user_is_found_by_username_in_any_case(session: Session) -> None:
    # given
    user = make_user(session, username="grace")

    # when / then
    assert get_user_by_username(session=session, username=" GRACE ") == user
    assert get_user_by_username(session=session, username="nobody") is None


def test_users_are_listed_by_username(session: Session) -> None:
    # given
    for username in ("carol", "alice", "bob"):
        make_user(session, username=username)

    # when / then
    assert [u.username for u in list_users(session=session)] == ["alice", "bob", "carol"]


# --- profile and password ------------------------------------------------------------------


def test_a_profile_update_changes_name_and_email(session: Session) -> None:
    # given
    user = sign_up(session)

    # when
    update_profile(
        session=session, user_id=user.id or 0, name=" Countess ", email=" Ada@Lovelace.TEST "
    )

    # then
    stored = committed(session, user)
    assert (stored.name, stored.email) == ("Countess", "ada@lovelace.test")


def test_a_profile_may_keep_its_own_email_in_another_case(session: Session) -> None:
    user = sign_up(session)
    updated = update_profile(
        session=session, user_id=user.id or 0, name="Ada", email="ADA@example.test"
    )
    assert updated.email == "ada@example.test"


def test_a_profile_cannot_take_someone_elses_email(session: Session) -> None:
    # given
    user = sign_up(session)
    make_user(session, email="grace@example.test")

    # when
    with pytest.raises(AlreadyExists) as refused:
        update_profile(
            session=session, user_id=user.id or 0, name="Ada", email="GRACE@example.test"
        )

    # then
    assert refused.value.field == "email"
    assert committed(session, user).email == "ada@example.test"


@pytest.mark.parametrize(
    ("name", "email", "field"), [("", "ok@example.test", "name"), ("Ada", "nope", "email")]
)
def test_a_profile_update_follows_the_registration_rules(
    session: Session, name: str, email: str, field: str
) -> None:
    user = sign_up(session)
    with pytest.raises(ValidationFailed) as refused:
        update_profile(session=session, user_id=user.id or 0, name=name, email=email)
    assert refused.value.field == field


def test_a_profile_update_of_a_missing_user_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        update_profile(session=session, user_id=999_999, name="X", email="x@example.test")


def test_changing_the_password_replaces_it(session: Session) -> None:
    # given
    user = sign_up(session)

    # when
    change_password(
        session=session,
        user_id=user.id or 0,
        current_password="engine1843",
        new_password="analytical42",
    )

    # then
    authenticate(session=session, login="ada", password="analytical42", now=NOW)
    with pytest.raises(AuthenticationFailed):
        authenticate(session=session, login="ada", password="engine1843", now=NOW)


def test_changing_the_password_needs_the_current_one(session: Session) -> None:
    # given
    user = sign_up(session)

    # when
    with pytest.raises(AuthenticationFailed) as refused:
        change_password(
            session=session,
            user_id=user.id or 0,
            current_password="guess1234",
            new_password="analytical42",
        )

    # then
    assert refused.value.field == "current_password"
    assert verify_password("engine1843", committed(session, user).password_hash)


@pytest.mark.parametrize(
    "new_password",
    ["short1", "nodigitshere", "ADA12345"],
    ids=["too-short", "no-digit", "same-as-username"],
)
def test_a_new_password_follows_the_registration_rules(session: Session, new_password: str) -> None:
    user = sign_up(session, username="ada12345")
    with pytest.raises(ValidationFailed) as refused:
        change_password(
            session=session,
            user_id=user.id or 0,
            current_password="engine1843",
            new_password=new_password,
        )
    assert refused.value.field == "new_password"
