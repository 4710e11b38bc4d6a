"""Entrypoint: page config, the user restored from the cookie, role-aware navigation."""

import streamlit as st

from shopora.ui.auth import current_user
from shopora.ui.nav import hidden_for, sections_for

st.set_page_config(page_title="Shopora", page_icon=":material/storefront:", layout="wide")

user = current_user()
role = user.role if user else None
pages = {
    section: [
        st.Page(
            spec.path,
            title=spec.title,
            url_path=spec.url_path,
            icon=spec.icon,
            default=(i == 0 and j == 0),
        )
        for j, spec in enumerate(specs)
    ]
    for i, (section, specs) in enumerate(sections_for(role).items())
}
hidden = [
    st.Page(spec.path, title=spec.title, url_path=spec.url_path, visibility="hidden")
    for spec in hidden_for(role)
]
next(iter(pages.values())).extend(hidden)

st.navigation(pages).run()
