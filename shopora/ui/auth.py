"""Who is signed in: restored from the cookie on every page, checked by every page.

streamlit-authenticator owns the cookie (a JWT with the username and an expiry, signed with
COOKIE_KEY) and the session-state keys; users, passwords and throttling live in our database
(shopora.services.users). The Authenticate object renders a cookie component, so it is
created at most once per run and only where a cookie is written or deleted (sign in/out).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from shopora.config import get_settings
from shopora.errors import ShoporaError
from shopora.models import Role, User
from shopora.ui import guest_cart, nav
from shopora.ui.components import links
from shopora.ui.facade import shop
from shopora.ui.state import StateKeys

# streamlit-authenticator's cookie component reports True under these keys once the browser
# has written (set) or removed (delete) the cookie; that rerun is the first safe moment to
# leave the page.
COOKIE_WRITTEN, COOKIE_REMOVED = "set", "delete"
HANDOFF = "shopora_handoff"
HANDOFF_PATIENCE_SECONDS = 5.0
# A late rerun from the account page's cookie component can land after the move; for this
# long it is taken as that echo and the move is made again.
RECENT_MOVE = "shopora_recent_move"
ECHO_SECONDS = 3.0


@dataclass(frozen=True)
class SessionUser:
    id: int
    username: str
    name: str
    email: str
    role: Role


def _remember(user: User) -> SessionUser:
    st.session_state[StateKeys.AUTH_STATUS] = True
    st.session_state[StateKeys.USERNAME] = user.username
    st.session_state[StateKeys.NAME] = user.name
    st.session_state[StateKeys.EMAIL] = user.email
    st.session_state[StateKeys.ROLES] = [user.role]
    st.session_state[StateKeys.USER_ID] = user.id
    st.session_state[StateKeys.LOGOUT] = False
    return SessionUser(user.id or 0, user.username, user.name, user.email, Role(user.role))


def _forget() -> None:
    for key in (
        StateKeys.USERNAME,
        StateKeys.NAME,
        StateKeys.EMAIL,
        StateKeys.ROLES,
        StateKeys.USER_ID,
        StateKeys.AUTH_STATUS,
    ):
        st.session_state[key] = None


def _cookie_username() -> str | None:
    """The username in a valid, unexpired authenticator cookie, if the browser sent one."""
    settings = get_settings()
    try:
        token = st.context.cookies.get(settings.cookie_name)
    except (AttributeError, RuntimeError):
        return None
    if not token:
        return None
    try:
        claims = jwt.decode(token, settings.cookie_key.get_secret_value(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if float(claims.get("exp_date", 0)) <= time.time():
        return None
    username = claims.get("username")
    return str(username) if username else None


def current_user() -> SessionUser | None:
    """The signed-in user (database-checked: a deleted or deactivated account is signed out),
    restoring it from the cookie in a new tab or after the Stripe redirect."""
    username = st.session_state.get(StateKeys.USERNAME)
    if not (st.session_state.get(StateKeys.AUTH_STATUS) and username):
        if st.session_state.get(StateKeys.LOGOUT):
            return None
        username = _cookie_username()
        if username is None:
            return None
    user = shop.user_named(str(username))
    if user is None or not user.is_active:
        _forget()
        return None
    return _remember(user)


def _deny(message: str, *, sign_in: bool) -> None:
    st.error(message, icon=":material/lock:")
    if sign_in:
        links.link(nav.SIGN_IN, "Sign in to continue")
    st.stop()


def require_role(*roles: Role) -> SessionUser:
    """Stop the page unless a user with one of `roles` is signed in. Every page calls this
    itself: a page can be run without Home.py (first request to /<page> on a fresh server)."""
    user = current_user()
    if user is None:
        # Signing in from here comes back here (Home.py says which page this is).
        if st.session_state.get(StateKeys.PAGE):
            st.session_state[StateKeys.AFTER_SIGN_IN] = st.session_state[StateKeys.PAGE]
        _deny("Please sign in to see this page.", sign_in=True)
        raise AssertionError("unreachable")  # st.stop() raises; this satisfies type checkers
    if user.role not in roles:
        wanted = " or ".join(f"{role}s" for role in roles)
        _deny(f"This page is for {wanted}. You are signed in as {user.username}.", sign_in=False)
    return user


def authenticator() -> stauth.Authenticate:
    """The cookie writer. Create it once per run, only on the page that signs in or out."""
    settings = get_settings()
    credentials: dict[str, Any] = {"usernames": {}}
    return stauth.Authenticate(
        credentials,
        cookie_name=settings.cookie_name,
        cookie_key=settings.cookie_key.get_secret_value(),
        cookie_expiry_days=settings.cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )


def sign_in(auth: stauth.Authenticate, login: str, password: str) -> tuple[SessionUser, list[str]]:
    """Check the password (throttled in the database), write the cookie, and merge the cart
    the visitor filled while anonymous. Never st.rerun() in this run: the cookie would be lost."""
    user = shop.authenticate(login, password)
    signed_in = _remember(user)
    st.session_state.pop(COOKIE_WRITTEN, None)
    auth.cookie_controller.set_cookie()
    return signed_in, merge_anonymous_cart(signed_in)


def merge_anonymous_cart(user: SessionUser) -> list[str]:
    if user.role != Role.CUSTOMER:
        return []  # staff keep the guest cart for when they shop as a customer
    guest, items = guest_cart.token(), guest_cart.items()
    if not items:
        return []
    try:
        notes = shop.merge_into_customer_cart(user.id, guest, items)
    except ShoporaError as exc:
        return [exc.message]
    st.session_state[StateKeys.ANON_CART] = {}
    st.session_state[StateKeys.CART_MERGED_FOR] = user.id
    return notes


def sign_out(auth: stauth.Authenticate) -> None:
    """Delete the cookie and forget the user (again: no rerun in this run)."""
    st.session_state.pop(COOKIE_REMOVED, None)
    if st.session_state.get(StateKeys.AUTH_STATUS):
        auth.logout(location="unrendered")
    else:
        auth.cookie_controller.delete_cookie()
    _forget()
    st.session_state[StateKeys.LOGOUT] = True


def start_handoff(target: str | None, *, signing_in: bool) -> None:
    """Leave the account page for `target` (or the role's front page) once the cookie
    change has reached the browser."""
    key = COOKIE_WRITTEN if signing_in else COOKIE_REMOVED
    st.session_state[HANDOFF] = (target or "home", key, time.monotonic())


def handoff_pending() -> bool:
    return HANDOFF in st.session_state


def repeat_cookie_change(auth: stauth.Authenticate) -> None:
    """Render the pending cookie write (or delete) again until the browser confirms it.

    The component does its work only while it is on the page: a rerun that left it out (the
    cookie reader's own first report often causes one) unmounted it before the browser acted,
    and the cookie was never written, or survived a sign-out."""
    handoff = st.session_state.get(HANDOFF)
    if handoff is None or st.session_state.get(handoff[1]) is True:
        return
    if handoff[1] == COOKIE_WRITTEN:
        auth.cookie_controller.set_cookie()
    else:
        auth.cookie_controller.delete_cookie()


def handoff_due() -> bool:
    handoff = st.session_state.get(HANDOFF)
    if handoff is None:
        return False
    _target, key, started = handoff
    settled = st.session_state.get(key) is True
    return settled or time.monotonic() - started > HANDOFF_PATIENCE_SECONDS


def move_requested() -> bool:
    """A move to another page is asked for but Home.py has not made it yet."""
    return StateKeys.GO_TO in st.session_state


def finish_handoff() -> None:
    """Home.py opens the target with the new role's navigation (on its next full run)."""
    handoff = st.session_state.pop(HANDOFF, None)
    if handoff is not None:
        st.session_state[StateKeys.GO_TO] = handoff[0]
        st.session_state[RECENT_MOVE] = (handoff[0], time.monotonic())
    st.rerun(scope="app")


def move_echoed() -> bool:
    """The account page ran again right after a move away from it: a stale rerun."""
    recent = st.session_state.get(RECENT_MOVE)
    return recent is not None and time.monotonic() - recent[1] < ECHO_SECONDS


def move_again() -> None:
    st.session_state[StateKeys.GO_TO] = st.session_state[RECENT_MOVE][0]
    st.rerun(scope="app")
