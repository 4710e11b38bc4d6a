"""Sign in, register, sign out, and (signed in) the account's details."""

import streamlit as st

from shopora.errors import ShoporaError, TooManyAttempts
from shopora.ui import auth
from shopora.ui.facade import shop
from shopora.ui.layout import demo_logins, page_setup
from shopora.ui.state import StateKeys

page_setup("Account", ":material/person:")

if auth.handoff_due():  # the cookie is written (or removed): move on
    auth.finish_handoff()
elif auth.move_echoed() and not st.query_params:
    auth.move_again()

# One Authenticate per run, here only: it renders the cookie component.
authenticator = auth.authenticator()


@st.fragment(run_every=1.0)
def wait_for_cookie() -> None:
    """Usually the cookie component's own rerun moves on; this covers a browser that is slow
    to report back, and a move that a concurrent rerun swallowed (then it asks again)."""
    if auth.move_requested() or auth.handoff_due():
        auth.finish_handoff()


def sign_in_form() -> None:
    with st.form("sign_in", clear_on_submit=False):
        st.subheader("Sign in")
        login = st.text_input("Username or email", key="sign_in_login")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    if not login or not password:
        st.error("Enter your username and password.")
        return
    try:
        user, notes = auth.sign_in(authenticator, login, password)
    except TooManyAttempts as exc:
        st.error(exc.message, icon=":material/timer:")
        return
    except ShoporaError as exc:
        st.error(exc.message, icon=":material/error:")
        return
    st.success(f"Welcome back, {user.name}! Taking you on…", icon=":material/check_circle:")
    for note in notes:
        st.info(note)
    auth.start_handoff(st.session_state.pop(StateKeys.AFTER_SIGN_IN, None), signing_in=True)


FIELD_LABELS = {
    "username": "Username",
    "email": "Email",
    "name": "Full name",
    "password": "Choose a password",
}


def register_form() -> None:
    with st.form("register"):
        st.subheader("Create an account")
        name = st.text_input("Full name", key="register_name")
        email = st.text_input("Email", key="register_email")
        username = st.text_input(
            "Username",
            key="register_username",
            help="3–30 letters, digits, dots, dashes or underscores",
        )
        password = st.text_input(
            "Choose a password",
            type="password",
            key="register_password",
            help="At least 8 characters with a letter and a digit",
        )
        repeat = st.text_input("Repeat password", type="password", key="register_repeat")
        submitted = st.form_submit_button("Create account", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("**Repeat password**: the two passwords differ.")
        return
    try:
        shop.register(username=username, email=email, name=name, password=password)
        user, notes = auth.sign_in(authenticator, username, password)
    except ShoporaError as exc:
        field = FIELD_LABELS.get(exc.field or "", "")
        st.error(f"**{field}**: {exc.message}" if field else exc.message)
        return
    st.success(f"Welcome to Shopora, {user.name}! Your account is ready.")
    for note in notes:
        st.info(note)
    auth.start_handoff(st.session_state.pop(StateKeys.AFTER_SIGN_IN, None), signing_in=True)


def signed_in_view(user: auth.SessionUser) -> None:
    st.title(f"Hello, {user.name}")
    st.write(f"**Username:** {user.username}  \n**Email:** {user.email}  \n**Role:** {user.role}")
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        auth.sign_out(authenticator)
        st.success("You are signed out.")
        auth.start_handoff("shop", signing_in=False)


def sign_in_view() -> None:
    st.title("Sign in to Shopora")
    if st.session_state.get(StateKeys.AFTER_SIGN_IN):
        st.info(
            "Sign in to continue where you were; your cart comes with you.",
            icon=":material/shopping_cart:",
        )
    left, right = st.columns(2, gap="large")
    with left:
        sign_in_form()
        demo_logins()
    with right:
        register_form()


if st.query_params.get("signout") == "1":
    st.query_params.clear()
    auth.sign_out(authenticator)
    st.success("You are signed out. See you soon!", icon=":material/logout:")
    auth.start_handoff("shop", signing_in=False)
elif auth.handoff_pending():
    # a rerun (a cookie component's) between signing in or out and moving on
    auth.repeat_cookie_change(authenticator)
    signed_in = auth.current_user() is not None
    st.success(
        "Signed in — taking you on…" if signed_in else "Signed out.", icon=":material/check_circle:"
    )
elif (current := auth.current_user()) is not None:
    signed_in_view(current)
else:
    sign_in_view()

if auth.handoff_pending() or auth.move_requested():
    wait_for_cookie()
