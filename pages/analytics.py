"""Sales analytics for stakeholders (and operators): trends, mix, discounts, fulfilment,
the purchase funnel and refunds. Read-only; every table downloads as CSV."""

import streamlit as st

from shopora.models import Role
from shopora.ui.auth import require_role
from shopora.ui.layout import page_setup
from shopora.ui.ops import insights
from shopora.ui.ops.dashboard import partial_day
from shopora.ui.ops.period import pick_period
from shopora.ui.ops.style import console_style

page_setup("Analytics", ":material/monitoring:")
console_style()
user = require_role(Role.ANALYST, Role.OPERATOR)

st.title("Analytics")
st.caption("Read-only. Amounts in the CSV files are integer cents.")
period = pick_period("analytics", compare_note=False)
data = insights.load(period)

st.subheader("Revenue trend")
insights.trend_section(data.trend, partial_day(period))

st.subheader("Category mix over time")
insights.mix_section(period)

left, right = st.columns(2)
with left:
    st.subheader("Top categories")
    insights.categories_table(data.categories)
with right:
    st.subheader("Top products")
    insights.products_table(data.products)

st.subheader("Discount impact")
insights.discounts_table(data.discounts)

left, right = st.columns(2)
with left:
    st.subheader("Fulfilment speed")
    insights.speed_section(data.speed)
    st.subheader("Refunds")
    insights.refunds_section(data.refunds)
with right:
    st.subheader("Funnel")
    insights.funnel_section(data.funnel)
