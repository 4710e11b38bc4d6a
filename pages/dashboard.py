"""Operator dashboard: what needs doing now first (refreshing itself), then the period's
headline numbers against the previous period, then where the revenue came from. Analysts
read it too; only operators get the links that act."""

import streamlit as st

from shopora.config import get_settings
from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup
from shopora.ui.ops import dashboard
from shopora.ui.ops.kpis import show_kpis
from shopora.ui.ops.period import pick_period
from shopora.ui.ops.queue import show_queue
from shopora.ui.ops.style import console_style

page_setup("Dashboard", ":material/dashboard:")
console_style(compact_metrics=True)
user = require_role(Role.OPERATOR, Role.ANALYST)
operator = user.role == Role.OPERATOR
settings = get_settings()

title, tools = st.columns([3, 1], vertical_alignment="bottom")
title.title("Dashboard")
if operator and settings.stripe_mode == "emulator":
    tools.link_button(
        "Webhook deliveries",
        f"{settings.emulator_url}/deliveries",
        icon=":material/webhook:",
        help="The Stripe emulator's log of the webhooks it sent to this shop.",
    )
if not operator:
    st.caption(":material/visibility: Read-only view for analysts.")


@st.fragment(run_every=dashboard.REFRESH_SECONDS)
def needs_doing_now() -> None:
    """Re-read every few seconds on its own: a newly paid order shows up without a reload,
    and the rest of the page (scroll, period, charts) is left as it is."""
    show_queue(dashboard.queue(), dashboard.newest_unfulfilled(), actions=operator)


needs_doing_now()

st.subheader("Sales")
period = pick_period("dashboard")
board = dashboard.load(period)
show_kpis(board.kpis, per_row=6)
dashboard.show_charts(board)
