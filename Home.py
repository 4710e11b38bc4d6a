"""Entrypoint: page config, the user restored from the cookie, role-aware navigation."""

import streamlit as st

from shopora.ui.auth import current_user
from shopora.ui.nav import elsewhere, hidden_for, is_shopper, sections_for
from shopora.ui.state import StateKeys

st.set_page_config(page_title="Shopora", page_icon=":material/storefront:", layout="wide")

user = current_user()
role = user.role if user else None
specs = [spec for section in sections_for(role).values() for spec in section]
pages = [
    st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon) for spec in specs
]
pages += [
    st.Page(spec.path, title=spec.title, url_path=spec.url_path, visibility="hidden")
    for spec in hidden_for(role)
]
# Other roles' pages answer a link with their own refusal (and sign-in continues there).
refusing = [
    st.Page(spec.path, title=spec.title, url_path=spec.url_path, visibility="hidden")
    for spec in elsewhere(role)
]


def front_door() -> None:
    """'/' opens the role's front page at its own URL. (Streamlit serves its default page
    only at '/': were the shop the default, a link to /shop would say "Page not found".)"""
    st.switch_page(pages[0])


door = st.Page(front_door, title="Shopora", url_path="welcome", default=True, visibility="hidden")
# Shoppers move with the shop bar each page draws (shopora.ui.components.shop_bar): on a
# phone Streamlit's top navigation folds behind the sidebar chevron.
current = st.navigation([*pages, *refusing, door], position="hidden" if is_shopper(role) else "top")

# After signing in or out: open the page asked for, if this role has it, else the front page.
# The request stays until that page is reached: a rerun from the account page's cookie
# component can overtake the switch, and the next full run then switches again.
target = st.session_state.get(StateKeys.GO_TO)
if target:
    wanted = next((page for page in pages if page.url_path == target), pages[0])
    if current.url_path == wanted.url_path:
        del st.session_state[StateKeys.GO_TO]
    else:
        st.switch_page(wanted)
st.session_state[StateKeys.PAGE] = current.url_path
current.run()
